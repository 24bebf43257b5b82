// RFC 3263 §4: from a SIP URI to an ordered list of (transport, address, port) targets, with SRV weights.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using Sipwire.Transport;

namespace Sipwire.Dns;

/// <summary>
/// Locates the servers for a SIP or SIPS URI per RFC 3263 §4: numeric hosts and explicit ports
/// skip NAPTR/SRV; a transport parameter selects the SRV name; otherwise NAPTR (order, then
/// preference) picks the transport among those supported, SRV (RFC 2782 priority, then weighted
/// random order) gives hosts and ports, A/AAAA gives addresses. The result is the complete
/// failover list: a client moves to the next entry on a timeout or a 503 (§4.3).
/// </summary>
public sealed class SipServerLocator
{
    private readonly IDnsResolver _resolver;
    private readonly Random _random;
    private readonly bool _tls;

    /// <summary>Creates a locator; <paramref name="random"/> orders equal-priority SRV records (seed it in tests).</summary>
    /// <param name="resolver">The DNS resolver.</param>
    /// <param name="random">Random source for RFC 2782 weighting.</param>
    /// <param name="tlsAvailable">False when no TLS provider is installed: TLS targets are skipped.</param>
    public SipServerLocator(IDnsResolver resolver, Random? random = null, bool tlsAvailable = true)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _random = random ?? Random.Shared;
        _tls = tlsAvailable;
    }

    /// <summary>Resolves <paramref name="uri"/> into targets in the order to try them (empty when none).</summary>
    /// <exception cref="ArgumentException">Not a sip: or sips: URI.</exception>
    public List<PeerAddress> Locate(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var targets = new List<PeerAddress>();
        if (SipUriTarget.TryResolveLiteral(uri, out PeerAddress literal))
        {
            // §4.1/§4.2: a numeric IP needs no lookup.
            if (literal.Protocol != TransportProtocol.Tls || _tls) targets.Add(literal);
            return targets;
        }
        ParseUri(uri, out bool sips, out string host, out int port, out TransportProtocol? transport);

        if (port > 0)
        {
            // §4.2: an explicit port means A/AAAA only.
            AddHost(targets, host, port, transport ?? (sips ? TransportProtocol.Tls : TransportProtocol.Udp));
            return targets;
        }
        if (transport is { } t)
        {
            // §4.1/§4.2: the transport is known; SRV for it, else A/AAAA with the default port.
            if (!AddSrv(targets, SrvName(t, sips, host), t)) AddHost(targets, host, DefaultPort(t), t);
            return targets;
        }

        var naptr = new List<NaptrRecord>();
        _resolver.QueryNaptr(host, naptr);
        naptr.RemoveAll(n => !n.Flags.Equals("s", StringComparison.OrdinalIgnoreCase) || ServiceTransport(n.Service, sips) is null);
        if (naptr.Count > 0)
        {
            // §4.1: order first, then preference; each record's SRV name gives hosts and ports.
            naptr.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Preference.CompareTo(b.Preference));
            foreach (NaptrRecord n in naptr) AddSrv(targets, n.Replacement, ServiceTransport(n.Service, sips)!.Value);
            return targets;
        }
        // §4.1: no NAPTR - SRV for every supported transport, in our preference order.
        TransportProtocol[] order = sips ? [TransportProtocol.Tls] : [TransportProtocol.Udp, TransportProtocol.Tcp, TransportProtocol.Tls];
        bool found = false;
        foreach (TransportProtocol p in order)
        {
            if (p == TransportProtocol.Tls && !_tls) continue;
            found |= AddSrv(targets, SrvName(p, sips, host), p);
        }
        if (!found)
        {
            // §4.2: no SRV either - A/AAAA with UDP (TLS for sips) and the default port.
            TransportProtocol p = sips ? TransportProtocol.Tls : TransportProtocol.Udp;
            AddHost(targets, host, DefaultPort(p), p);
        }
        return targets;
    }

    private TransportProtocol? ServiceTransport(string service, bool sips)
    {
        // RFC 3263 §4.1: SIP+D2U, SIP+D2T, SIPS+D2T; a sips URI accepts only SIPS services.
        TransportProtocol? p = service.ToUpperInvariant() switch
        {
            "SIP+D2U" when !sips => TransportProtocol.Udp,
            "SIP+D2T" when !sips => TransportProtocol.Tcp,
            "SIPS+D2T" => TransportProtocol.Tls,
            _ => null,
        };
        return p == TransportProtocol.Tls && !_tls ? null : p;
    }

    private static string SrvName(TransportProtocol p, bool sips, string host) => p switch
    {
        TransportProtocol.Udp => "_sip._udp." + host,
        TransportProtocol.Tcp => "_sip._tcp." + host,
        _ => "_sips._tcp." + host,
    };

    private static int DefaultPort(TransportProtocol p) => p == TransportProtocol.Tls ? 5061 : 5060;

    private bool AddSrv(List<PeerAddress> targets, string name, TransportProtocol protocol)
    {
        var records = new List<SrvRecord>();
        _resolver.QuerySrv(name, records);
        if (records.Count == 0) return false;
        // RFC 2782: a single "." target means the service is decidedly not available: answered,
        // with no target (no fallback to A/AAAA).
        records.RemoveAll(r => r.Target is "." or "");
        foreach (SrvRecord r in OrderSrv(records)) AddHost(targets, r.Target, r.Port, protocol);
        return true;
    }

    /// <summary>RFC 2782: ascending priority; within one priority, weighted random selection without replacement.</summary>
    internal List<SrvRecord> OrderSrv(List<SrvRecord> records)
    {
        var ordered = new List<SrvRecord>(records.Count);
        records.Sort((a, b) => a.Priority.CompareTo(b.Priority));
        int i = 0;
        while (i < records.Count)
        {
            int j = i;
            while (j < records.Count && records[j].Priority == records[i].Priority) j++;
            // Zero-weight records first so they get a small chance, as RFC 2782 says.
            var group = records.GetRange(i, j - i);
            group.Sort((a, b) => (a.Weight == 0 ? 0 : 1).CompareTo(b.Weight == 0 ? 0 : 1));
            while (group.Count > 0)
            {
                int total = 0;
                foreach (SrvRecord r in group) total += r.Weight;
                int pick = 0;
                if (total > 0)
                {
                    int target = _random.Next(total + 1);
                    int running = 0;
                    for (pick = 0; pick < group.Count; pick++)
                    {
                        running += group[pick].Weight;
                        if (running >= target) break;
                    }
                    pick = Math.Min(pick, group.Count - 1);
                }
                ordered.Add(group[pick]);
                group.RemoveAt(pick);
            }
            i = j;
        }
        return ordered;
    }

    private void AddHost(List<PeerAddress> targets, string host, int port, TransportProtocol protocol)
    {
        if (protocol == TransportProtocol.Tls && !_tls) return;
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip))
        {
            targets.Add(PeerAddress.FromEndPoint(protocol, new IPEndPoint(ip, port)));
            return;
        }
        var addresses = new List<IPAddress>();
        _resolver.QueryAddresses(host.TrimEnd('.'), addresses);
        foreach (IPAddress a in addresses) targets.Add(PeerAddress.FromEndPoint(protocol, new IPEndPoint(a, port)));
    }

    private static void ParseUri(string uri, out bool sips, out string host, out int port, out TransportProtocol? transport)
    {
        sips = uri.StartsWith("sips:", StringComparison.OrdinalIgnoreCase);
        if (!sips && !uri.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"'{uri}' is not a sip: or sips: URI.", nameof(uri));
        string rest = uri[(sips ? 5 : 4)..];
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) rest = rest[..q];
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) rest = rest[(at + 1)..];
        string[] parts = rest.Split(';');
        string hostPort = parts[0];
        transport = null;
        for (int i = 1; i < parts.Length; i++)
        {
            if (!parts[i].StartsWith("transport=", StringComparison.OrdinalIgnoreCase)) continue;
            string t = parts[i][10..].ToUpperInvariant();
            transport = t switch
            {
                "UDP" => TransportProtocol.Udp,
                "TCP" => sips ? TransportProtocol.Tls : TransportProtocol.Tcp,
                "TLS" => TransportProtocol.Tls,
                _ => throw new ArgumentException($"Unsupported transport '{t}' in '{uri}'.", nameof(uri)),
            };
        }
        int colon = hostPort.LastIndexOf(':');
        port = 0;
        if (colon > 0 && !hostPort.EndsWith(']') && int.TryParse(hostPort[(colon + 1)..], out int p))
        {
            port = p;
            hostPort = hostPort[..colon];
        }
        host = hostPort;
    }
}
