// One `--listen` value of `sipwire ua`: transport, address and port ("udp:127.0.0.1:5062", "tcp:[::1]:0").
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>A socket to open: transport, local address and port (0 = any free port).</summary>
internal readonly record struct UaListen(TransportProtocol Protocol, IPAddress Address, int Port)
{
    /// <summary>Parses <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c> or <c>tls:HOST:PORT</c>; IPv6 hosts in brackets.</summary>
    public static bool TryParse(string text, out UaListen listen, out string error)
    {
        listen = default;
        error = "";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? "" : text[..colon].ToLowerInvariant();
        TransportProtocol protocol;
        switch (scheme)
        {
            case "udp": protocol = TransportProtocol.Udp; break;
            case "tcp": protocol = TransportProtocol.Tcp; break;
            case "tls": protocol = TransportProtocol.Tls; break;
            default:
                error = $"--listen '{text}': expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT";
                return false;
        }
        // IPEndPoint.TryParse takes "1.2.3.4:5" and "[::1]:5"; a bare IPv6 address without brackets
        // would swallow the port, so brackets are required for IPv6 (RFC 3261 §25.1 IPv6reference).
        string hostPort = text[(colon + 1)..];
        bool bracketed = hostPort.StartsWith('[');
        if (!IPEndPoint.TryParse(hostPort, out IPEndPoint? ep) || !hostPort.Contains(':', StringComparison.Ordinal)
            || (ep.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed)
            || !int.TryParse(hostPort[(hostPort.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"--listen '{text}': '{hostPort}' is not an IP address and port (IPv6 as [::1]:5062; names are not allowed)";
            return false;
        }
        listen = new UaListen(protocol, ep.Address, ep.Port);
        return true;
    }

    /// <summary>The text form, as accepted by <see cref="TryParse"/>.</summary>
    public override string ToString() => $"{Protocol.ToString().ToLowerInvariant()}:{new IPEndPoint(Address, Port)}";
}
