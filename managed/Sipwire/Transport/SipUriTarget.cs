// Turns a SIP URI with an IP-literal host into a transport address (RFC 3263 §4 when no DNS is needed).
// SPDX-License-Identifier: MIT

using System;
using System.Net;

namespace Sipwire.Transport;

/// <summary>Reads host, port and transport of a sip/sips URI whose host is an IP address.</summary>
public static class SipUriTarget
{
    /// <summary>
    /// RFC 3263 §4.1/§4.2 for numeric hosts: transport from the transport parameter (sips: TLS,
    /// else UDP), port from the URI or the transport default (5060, 5061 for TLS). False when the
    /// host is a name (the caller resolves it, RFC 3263 NAPTR/SRV/A) or the URI is malformed.
    /// </summary>
    public static bool TryResolveLiteral(ReadOnlySpan<char> uri, out PeerAddress address)
    {
        address = default;
        bool sips = uri.StartsWith("sips:", StringComparison.OrdinalIgnoreCase);
        if (!sips && !uri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)) return false;
        ReadOnlySpan<char> rest = uri[(sips ? 5 : 4)..];
        int q = rest.IndexOf('?');
        if (q >= 0) rest = rest[..q];
        int at = rest.IndexOf('@');
        if (at >= 0) rest = rest[(at + 1)..];
        ReadOnlySpan<char> parameters = [];
        int semi = rest.IndexOf(';');
        if (semi >= 0)
        {
            parameters = rest[(semi + 1)..];
            rest = rest[..semi];
        }
        TransportProtocol protocol = sips ? TransportProtocol.Tls : TransportProtocol.Udp;
        foreach (Range r in parameters.Split(';'))
        {
            ReadOnlySpan<char> p = parameters[r];
            if (!p.StartsWith("transport=", StringComparison.OrdinalIgnoreCase)) continue;
            ReadOnlySpan<char> t = p[10..];
            if (t.Equals("tcp", StringComparison.OrdinalIgnoreCase)) protocol = sips ? TransportProtocol.Tls : TransportProtocol.Tcp;
            else if (t.Equals("tls", StringComparison.OrdinalIgnoreCase)) protocol = TransportProtocol.Tls;
            else if (t.Equals("udp", StringComparison.OrdinalIgnoreCase) && !sips) protocol = TransportProtocol.Udp;
            else return false;
        }
        ReadOnlySpan<char> host;
        int port = protocol == TransportProtocol.Tls ? 5061 : 5060;
        if (rest.StartsWith("["))
        {
            int close = rest.IndexOf(']');
            if (close < 0) return false;
            host = rest[1..close];
            ReadOnlySpan<char> after = rest[(close + 1)..];
            if (after.Length > 0 && (after[0] != ':' || !int.TryParse(after[1..], out port))) return false;
        }
        else
        {
            int colon = rest.IndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            if (colon >= 0 && !int.TryParse(rest[(colon + 1)..], out port)) return false;
        }
        if ((uint)port > 65535 || !IPAddress.TryParse(host, out IPAddress? ip)) return false;
        address = PeerAddress.FromEndPoint(protocol, new IPEndPoint(ip, port));
        return true;
    }
}
