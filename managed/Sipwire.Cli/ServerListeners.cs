// Opens the --listen sockets of a server role, TLS ones with the --tls-cert/--tls-key identity, and picks the one Via and Record-Route name.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Sipwire.Tls;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>Listener set-up shared by <see cref="ServerCommand"/> and <see cref="PresenceCommand"/>.</summary>
internal static class ServerListeners
{
    /// <summary>
    /// Loads the TLS files (when a tls: listener or --tls-ca asks for them) and binds every --listen.
    /// Returns 0, 2 when a PEM file is unreadable or invalid (printed, naming the file), 1 when a socket cannot be bound.
    /// </summary>
    public static int Open(Endpoint endpoint, ServerArguments a, string role, TextWriter stderr, List<PeerAddress> bound)
    {
        if (a.Tls.Any)
        {
            if (!a.Tls.TryCreateProvider(out SslStreamTlsProvider? provider, out string error))
            {
                stderr.WriteLine($"sipwire {role}: {error}");
                return 2;
            }
            // Also set without a TLS listener: --tls-ca then governs the TLS connections we open (a sips: or
            // transport=tls next hop or contact), RFC 5922 §7.2.
            endpoint.Transport.TlsProvider = provider;
        }
        else
        {
            // No TLS flags: TLS connections we open are validated against the system store.
            endpoint.Transport.TlsProvider = new SslStreamTlsProvider();
        }
        try
        {
            foreach (PeerAddress p in a.Listen)
            {
                IPEndPoint ep = p.ToEndPoint();
                bound.Add(p.Protocol switch
                {
                    TransportProtocol.Tcp => endpoint.Transport.AddTcp(ep),
                    TransportProtocol.Tls => endpoint.Transport.AddTls(ep),
                    _ => endpoint.Transport.AddUdp(ep),
                });
            }
        }
        catch (SocketException ex)
        {
            stderr.WriteLine($"sipwire {role}: cannot listen: {ex.Message}");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// The listener whose address goes into Via, Record-Route and Contact: the first --listen, or with --tls-only
    /// the first TLS one (RFC 3261 §26.2.2: a TLS-only server must not route its dialogs through a UDP or TCP URI).
    /// </summary>
    public static PeerAddress Primary(ServerArguments a, IReadOnlyList<PeerAddress> bound)
    {
        if (a.TlsOnly)
        {
            foreach (PeerAddress b in bound)
            {
                if (b.Protocol == TransportProtocol.Tls) return b;
            }
        }
        return bound[0];
    }

    /// <summary>One log line per failed TLS handshake, either side (an untrusted UA certificate, a client that gave up, a scanner).</summary>
    public static void LogHandshakeFailures(Endpoint endpoint, System.Action<string> log)
    {
        endpoint.Transport.TlsHandshakeFailed += (remote, client, reason) =>
            log($"TLS handshake {(client ? "to" : "from")} {remote.WithConnection(0)} failed: {reason}");
    }

    /// <summary>The start-banner line about TLS (certificate, trust anchors, TLS-only), or null without TLS flags.</summary>
    public static string? Banner(ServerArguments a, ITlsProvider? provider)
    {
        if (provider is not SslStreamTlsProvider tls || !(a.Tls.Any || a.TlsOnly)) return null;
        string identity = tls.ServerCertificate is { } c
            ? $"TLS certificate {c.Subject} (issuer {c.Issuer}, valid until {c.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm}Z, {tls.ServerCertificateChain?.Count ?? 0} intermediates)"
            : "no TLS certificate";
        string anchors = a.Tls.CaFile is null ? "the system store" : a.Tls.CaFile;
        // RFC 3261 §26.2: the TLS-only rule of Sipwire.Protection (UDP dropped silently, TCP answered 403).
        return $"{identity}; TLS peers we connect to are validated against {anchors}" + (a.TlsOnly ? "; TLS only: UDP requests dropped, TCP requests refused with 403" : "");
    }

    /// <summary>The first listener port of each other transport on the primary listener's address (ProxyOptions.TransportPorts).</summary>
    public static Dictionary<TransportProtocol, int> TransportPorts(IReadOnlyList<PeerAddress> bound, PeerAddress primary)
    {
        var ports = new Dictionary<TransportProtocol, int>();
        IPAddress ip = primary.ToEndPoint().Address;
        foreach (PeerAddress b in bound)
        {
            if (b.Protocol != primary.Protocol && b.ToEndPoint().Address.Equals(ip)) ports.TryAdd(b.Protocol, b.Port);
        }
        return ports;
    }

    /// <summary>The URI transport parameter for a listener (RFC 3261 §19.1.1; UDP is the default and gets none).</summary>
    public static string TransportParameter(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Tcp => ";transport=tcp",
        TransportProtocol.Tls => ";transport=tls",
        _ => "",
    };
}
