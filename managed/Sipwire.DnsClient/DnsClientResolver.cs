// IDnsResolver over DnsClient.NET: the NAPTR, SRV and A/AAAA queries of RFC 3263 against real name servers.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Sipwire.Dns;
using DnsSrvRecord = DnsClient.Protocol.SrvRecord;
using SrvRecord = Sipwire.Dns.SrvRecord;

namespace Sipwire.DnsClient;

/// <summary>
/// Answers the queries of <see cref="SipServerLocator"/> with DnsClient.NET (UDP, TCP fallback on
/// truncation, TTL cache). A name that does not exist (NXDOMAIN) or has no record of the type yields
/// an empty answer and <c>true</c>; a timeout, SERVFAIL, REFUSED or any other failure to get an answer
/// yields <c>false</c>, so the caller can tell "no such record" from "could not ask".
/// </summary>
/// <remarks>
/// The calls block the calling thread for up to (1 + <see cref="DnsClientResolverOptions.Retries"/>)
/// × <see cref="DnsClientResolverOptions.Timeout"/> per name server and query; resolve before handing
/// targets to the endpoint's poll loop, or on another thread. Instances are thread-safe.
/// </remarks>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly AddressPreference _addresses;

    /// <summary>Creates a resolver with default settings (the system's name servers).</summary>
    public DnsClientResolver()
        : this(new DnsClientResolverOptions())
    {
    }

    /// <summary>Creates a resolver with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public DnsClientResolver(DnsClientResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        LookupClientOptions lookup = options.NameServers.Count > 0
            ? new LookupClientOptions(options.NameServers.Select(s => new NameServer(s)).ToArray())
            : new LookupClientOptions();
        lookup.Timeout = options.Timeout;
        lookup.Retries = options.Retries;
        lookup.UseCache = options.UseCache;
        lookup.CacheFailedResults = false;
        lookup.UseTcpFallback = true;
        // Errors are data here: a response code is inspected, never thrown.
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = true;
        _client = new LookupClient(lookup);
        _addresses = options.AddressPreference;
    }

    /// <inheritdoc />
    public bool QueryNaptr(string domain, List<NaptrRecord> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (!TryQuery(domain, QueryType.NAPTR, out IDnsQueryResponse? response)) return false;
        if (response is null) return true;
        foreach (NAPtrRecord r in response.Answers.NAPtrRecords())
        {
            string replacement = Name(r.Replacement);
            // RFC 3263 §4.1 / RFC 3403 §4.1: SIP NAPTRs carry a replacement and an empty regexp (the two
            // are mutually exclusive); a record that only rewrites by regexp gives no SRV name to follow.
            if (replacement == ".") continue;
            results.Add(new NaptrRecord(r.Order, r.Preference, r.Flags ?? "", r.Services ?? "", replacement));
        }
        return true;
    }

    /// <inheritdoc />
    public bool QuerySrv(string name, List<SrvRecord> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (!TryQuery(name, QueryType.SRV, out IDnsQueryResponse? response)) return false;
        if (response is null) return true;
        foreach (DnsSrvRecord r in response.Answers.SrvRecords())
        {
            // RFC 2782: a target of "." means the service is decidedly not available; kept as "." so
            // the locator sees the answer and does not fall back to A/AAAA.
            results.Add(new SrvRecord(r.Priority, r.Weight, r.Port, Name(r.Target)));
        }
        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Appends the addresses in the order of <see cref="DnsClientResolverOptions.AddressPreference"/>.
    /// Returns false when either query failed; what the other one found is still appended.
    /// </remarks>
    public bool QueryAddresses(string host, List<IPAddress> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        bool ok = true;
        switch (_addresses)
        {
            case AddressPreference.IPv4First:
                ok &= QueryAddressFamily(host, QueryType.A, results);
                ok &= QueryAddressFamily(host, QueryType.AAAA, results);
                break;
            case AddressPreference.IPv6First:
                ok &= QueryAddressFamily(host, QueryType.AAAA, results);
                ok &= QueryAddressFamily(host, QueryType.A, results);
                break;
            case AddressPreference.IPv4Only:
                ok &= QueryAddressFamily(host, QueryType.A, results);
                break;
            default:
                ok &= QueryAddressFamily(host, QueryType.AAAA, results);
                break;
        }
        return ok;
    }

    private bool QueryAddressFamily(string host, QueryType type, List<IPAddress> results)
    {
        if (!TryQuery(host, type, out IDnsQueryResponse? response)) return false;
        if (response is null) return true;
        // A CNAME chain in the answer is followed by the recursive server; only the address records count.
        if (type == QueryType.A)
        {
            foreach (ARecord a in response.Answers.ARecords()) results.Add(a.Address);
        }
        else
        {
            foreach (AaaaRecord a in response.Answers.AaaaRecords()) results.Add(a.Address);
        }
        return true;
    }

    /// <summary>
    /// Sends one query. True with a response to read, true with null for "no such name" (nothing to
    /// read), false when no usable answer came (timeout, SERVFAIL, REFUSED, FORMERR, network error).
    /// </summary>
    private bool TryQuery(string name, QueryType type, out IDnsQueryResponse? response)
    {
        ArgumentNullException.ThrowIfNull(name);
        response = null;
        // A name that cannot be a DNS name (RFC 1035 §2.3.4: labels of 1..63 octets, 255 in all) has no
        // records; it is not a resolver failure.
        if (!IsValidName(name)) return true;
        IDnsQueryResponse r;
        try
        {
            r = _client.Query(name, type);
        }
        catch (DnsResponseException)
        {
            return false; // timeout or transport failure after the retries
        }
        catch (SocketException)
        {
            return false;
        }
        if (r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return true;
        if (r.HasError || r.Header.ResponseCode != DnsHeaderResponseCode.NoError) return false;
        response = r;
        return true;
    }

    internal static bool IsValidName(string name)
    {
        string n = name.EndsWith('.') ? name[..^1] : name;
        if (n.Length is 0 or > 253) return false;
        int label = 0;
        foreach (char c in n)
        {
            if (c == '.')
            {
                if (label == 0) return false;
                label = 0;
                continue;
            }
            // Host names are LDH (RFC 1123 §2.1); service labels start with '_' (RFC 2782).
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
            if (++label > 63) return false;
        }
        return label > 0;
    }

    private static string Name(DnsString? s)
    {
        string v = s?.Value ?? ".";
        if (v is "." or "") return ".";
        return v.EndsWith('.') ? v[..^1] : v;
    }
}
