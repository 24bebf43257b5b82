// A deterministic in-memory DNS for RFC 3263 tests.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.Net;
using Sipwire.Dns;

namespace Sipwire.Tests.Dns;

internal sealed class FakeDnsResolver : IDnsResolver
{
    public Dictionary<string, List<NaptrRecord>> Naptr { get; } = [];

    public Dictionary<string, List<SrvRecord>> Srv { get; } = [];

    public Dictionary<string, List<IPAddress>> Hosts { get; } = [];

    public List<string> Queries { get; } = [];

    public bool QueryNaptr(string domain, List<NaptrRecord> results)
    {
        Queries.Add("NAPTR " + domain);
        if (Naptr.TryGetValue(domain, out List<NaptrRecord>? r)) results.AddRange(r);
        return true;
    }

    public bool QuerySrv(string name, List<SrvRecord> results)
    {
        Queries.Add("SRV " + name);
        if (Srv.TryGetValue(name, out List<SrvRecord>? r)) results.AddRange(r);
        return true;
    }

    public bool QueryAddresses(string host, List<IPAddress> results)
    {
        Queries.Add("A/AAAA " + host);
        if (Hosts.TryGetValue(host, out List<IPAddress>? r)) results.AddRange(r);
        return true;
    }
}
