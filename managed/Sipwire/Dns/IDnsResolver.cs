// The DNS queries RFC 3263 needs, behind an interface: a real resolver, a firmware's, or a test fake.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.Net;

namespace Sipwire.Dns;

/// <summary>
/// Answers NAPTR, SRV and A/AAAA queries. Each method appends what it found (nothing on NXDOMAIN,
/// no data or failure) and returns false only when the resolver itself failed (timeout, SERVFAIL),
/// so the locator can tell "no such record" from "could not ask".
/// </summary>
public interface IDnsResolver
{
    /// <summary>NAPTR records of <paramref name="domain"/>.</summary>
    bool QueryNaptr(string domain, List<NaptrRecord> results);

    /// <summary>SRV records of <paramref name="name"/> (e.g. "_sip._udp.example.com").</summary>
    bool QuerySrv(string name, List<SrvRecord> results);

    /// <summary>A and AAAA addresses of <paramref name="host"/>.</summary>
    bool QueryAddresses(string host, List<IPAddress> results);
}
