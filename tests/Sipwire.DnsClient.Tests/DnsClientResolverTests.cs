// The DnsClient resolver against a real dnsmasq on loopback: NAPTR -> SRV -> A/AAAA through SipServerLocator, and failures.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using NUnit.Framework;
using Sipwire.Dns;
using Sipwire.Transport;

namespace Sipwire.DnsClient.Tests;

[TestFixture]
public sealed class DnsClientResolverTests
{
    private Dnsmasq _dns = null!;

    // dnsmasq's naptr-record is name,order,preference,flags,service,regexp,replacement: SIP uses an
    // empty regexp (RFC 3263 §4.1). The zone is written from RFC 3263 §4.1's example (NAPTR order picks TLS, then TCP, then UDP; an
    // unknown service is skipped) and RFC 2782 (priorities; "." target means not available).
    private static readonly string[] s_zone =
    [
        "local=/example.test/",
        "local=/srvonly.test/",
        "naptr-record=example.test,5,50,s,SIP+D2X,,_sip._sctp.example.test",
        "naptr-record=example.test,10,50,s,SIPS+D2T,,_sips._tcp.example.test",
        "naptr-record=example.test,20,50,s,SIP+D2T,,_sip._tcp.example.test",
        "naptr-record=example.test,30,50,s,SIP+D2U,,_sip._udp.example.test",
        "srv-host=_sips._tcp.example.test,tls.example.test,5061,0,0",
        "srv-host=_sip._tcp.example.test,tcp2.example.test,5063,20,0",
        "srv-host=_sip._tcp.example.test,tcp1.example.test,5062,10,0",
        "srv-host=_sip._udp.example.test,udp.example.test,5060,0,0",
        "srv-host=_sip._sctp.example.test,udp.example.test,5090,0,0",
        "host-record=tls.example.test,127.0.0.5",
        "host-record=tcp1.example.test,127.0.0.2,::2",
        "host-record=tcp2.example.test,127.0.0.3",
        "host-record=udp.example.test,127.0.0.4",
        "host-record=bare.example.test,127.0.0.6,::6",
        "srv-host=_sip._udp.srvonly.test,udp.example.test,5070,0,0",
        "srv-host=_sip._tcp.none.example.test",
        "host-record=none.example.test,127.0.0.7",
        "naptr-record=enum.example.test,10,50,u,E2U+sip,!^.*$!sip:info@example.test!",
    ];

    [OneTimeSetUp]
    public void StartServer() => _dns = Dnsmasq.Start(s_zone);

    [OneTimeTearDown]
    public void StopServer() => _dns.Dispose();

    private DnsClientResolver Resolver(AddressPreference preference = AddressPreference.IPv4First, bool cache = false)
    {
        var options = new DnsClientResolverOptions { AddressPreference = preference, UseCache = cache, Timeout = TimeSpan.FromSeconds(2) };
        options.NameServers.Add(_dns.EndPoint);
        return new DnsClientResolver(options);
    }

    private static string[] Show(List<PeerAddress> targets) => targets.Select(t => t.ToString()).ToArray();

    [Test]
    public void NaptrThenSrvThenAddresses_GiveTheRfc3263Order()
    {
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(Show(locator.Locate("sip:alice@example.test")), Is.EqualTo(new[]
        {
            "TLS:127.0.0.5:5061",
            "TCP:127.0.0.2:5062", "TCP:[::2]:5062", "TCP:127.0.0.3:5063",
            "UDP:127.0.0.4:5060",
        }), _dns.Log);
    }

    [Test]
    public void SipsUri_UsesOnlyTheSipsNaptr()
    {
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(Show(locator.Locate("sips:alice@example.test")), Is.EqualTo(new[] { "TLS:127.0.0.5:5061" }));
    }

    [Test]
    public void NaptrRecordsComeBackAsServed()
    {
        var naptr = new List<NaptrRecord>();
        Assert.That(Resolver().QueryNaptr("example.test", naptr), Is.True);
        Assert.That(naptr.OrderBy(n => n.Order).Select(n => $"{n.Order} {n.Preference} {n.Flags} {n.Service} {n.Replacement}"), Is.EqualTo(new[]
        {
            "5 50 s SIP+D2X _sip._sctp.example.test",
            "10 50 s SIPS+D2T _sips._tcp.example.test",
            "20 50 s SIP+D2T _sip._tcp.example.test",
            "30 50 s SIP+D2U _sip._udp.example.test",
        }));
    }

    [Test]
    public void RegexpOnlyNaptrIsDropped_ItGivesNoSrvName()
    {
        var naptr = new List<NaptrRecord>();
        Assert.That(Resolver().QueryNaptr("enum.example.test", naptr), Is.True);
        Assert.That(naptr, Is.Empty);
    }

    [Test]
    public void SrvRecordsComeBackWithPriorityWeightPortAndTarget()
    {
        var srv = new List<SrvRecord>();
        Assert.That(Resolver().QuerySrv("_sip._tcp.example.test", srv), Is.True);
        Assert.That(srv.OrderBy(s => s.Priority), Is.EqualTo(new[]
        {
            new SrvRecord(10, 0, 5062, "tcp1.example.test"),
            new SrvRecord(20, 0, 5063, "tcp2.example.test"),
        }));
    }

    [Test]
    public void NoNaptr_SrvForTheTransport()
    {
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(Show(locator.Locate("sip:srvonly.test")), Is.EqualTo(new[] { "UDP:127.0.0.4:5070" }));
    }

    [Test]
    public void NoNaptrNoSrv_AddressesWithTheDefaultPort()
    {
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(Show(locator.Locate("sip:bare.example.test")), Is.EqualTo(new[] { "UDP:127.0.0.6:5060", "UDP:[::6]:5060" }));
    }

    [Test]
    public void ExplicitPort_AddressesOnly()
    {
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(Show(locator.Locate("sip:bob@tcp1.example.test:5080;transport=tcp")), Is.EqualTo(new[] { "TCP:127.0.0.2:5080", "TCP:[::2]:5080" }));
    }

    [Test]
    public void AddressPreferenceOrdersAndFiltersFamilies()
    {
        var found = new List<IPAddress>();
        Assert.That(Resolver(AddressPreference.IPv6First).QueryAddresses("tcp1.example.test", found), Is.True);
        Assert.That(found.Select(a => a.ToString()), Is.EqualTo(new[] { "::2", "127.0.0.2" }));
        found.Clear();
        Assert.That(Resolver(AddressPreference.IPv4Only).QueryAddresses("tcp1.example.test", found), Is.True);
        Assert.That(found.Select(a => a.ToString()), Is.EqualTo(new[] { "127.0.0.2" }));
        found.Clear();
        Assert.That(Resolver(AddressPreference.IPv6Only).QueryAddresses("tcp1.example.test", found), Is.True);
        Assert.That(found.Select(a => a.ToString()), Is.EqualTo(new[] { "::2" }));
    }

    [Test]
    public void DotTargetMeansNotAvailable_NoFallbackToAddresses()
    {
        var srv = new List<SrvRecord>();
        Assert.That(Resolver().QuerySrv("_sip._tcp.none.example.test", srv), Is.True);
        Assert.That(srv.Select(s => s.Target), Is.EqualTo(new[] { "." }), _dns.Log);
        var locator = new SipServerLocator(Resolver(), new Random(1));
        Assert.That(locator.Locate("sip:none.example.test;transport=tcp"), Is.Empty);
    }

    [Test]
    public void NxDomainIsAnAnswer_NotAFailure()
    {
        var found = new List<IPAddress>();
        Assert.That(Resolver().QueryAddresses("nope.example.test", found), Is.True);
        Assert.That(found, Is.Empty);
        var srv = new List<SrvRecord>();
        Assert.That(Resolver().QuerySrv("_sip._udp.nope.example.test", srv), Is.True);
        Assert.That(srv, Is.Empty);
        Assert.That(new SipServerLocator(Resolver()).Locate("sip:nope.example.test"), Is.Empty);
    }

    [Test]
    public void RefusedIsAFailure()
    {
        // dnsmasq without upstream servers refuses names outside its local domains.
        var found = new List<IPAddress>();
        Assert.That(Resolver().QueryAddresses("elsewhere.invalid", found), Is.False);
        Assert.That(found, Is.Empty);
        var naptr = new List<NaptrRecord>();
        Assert.That(Resolver().QueryNaptr("elsewhere.invalid", naptr), Is.False);
    }

    [Test]
    public void SilentServerIsAFailureWithinTheTimeout()
    {
        // A bound UDP socket that never answers: the query times out (no ICMP shortcut).
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new DnsClientResolverOptions { Timeout = TimeSpan.FromMilliseconds(200), Retries = 1, UseCache = false };
        options.NameServers.Add((IPEndPoint)silent.LocalEndPoint!);
        var found = new List<IPAddress>();
        var clock = Stopwatch.StartNew();
        Assert.That(new DnsClientResolver(options).QueryAddresses("udp.example.test", found), Is.False);
        Assert.That(found, Is.Empty);
        // Two families, two tries of 200 ms each: well under the default timeouts.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void InvalidNameHasNoRecords_AndSendsNoQuery()
    {
        var found = new List<IPAddress>();
        Assert.That(Resolver().QueryAddresses("bad..name", found), Is.True);
        Assert.That(Resolver().QueryAddresses("sp ace.example.test", found), Is.True);
        Assert.That(Resolver().QueryAddresses(new string('a', 64) + ".test", found), Is.True);
        Assert.That(found, Is.Empty);
        Assert.That(DnsClientResolver.IsValidName("_sip._udp.example.test."), Is.True);
    }

    [Test]
    public void CacheAnswersWithinTheTtlAfterTheServerIsGone()
    {
        var server = Dnsmasq.Start(["local=/cached.test/", "local-ttl=300", "host-record=a.cached.test,127.0.0.9"]);
        var cached = new DnsClientResolverOptions { AddressPreference = AddressPreference.IPv4Only, UseCache = true, Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 };
        cached.NameServers.Add(server.EndPoint);
        var uncached = new DnsClientResolverOptions { AddressPreference = AddressPreference.IPv4Only, UseCache = false, Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 };
        uncached.NameServers.Add(server.EndPoint);
        var withCache = new DnsClientResolver(cached);
        var withoutCache = new DnsClientResolver(uncached);
        var found = new List<IPAddress>();
        Assert.That(withCache.QueryAddresses("a.cached.test", found), Is.True);
        Assert.That(withoutCache.QueryAddresses("a.cached.test", found), Is.True);
        server.Dispose();
        found.Clear();
        Assert.That(withCache.QueryAddresses("a.cached.test", found), Is.True, "the A record within its TTL");
        Assert.That(found.Select(a => a.ToString()), Is.EqualTo(new[] { "127.0.0.9" }));
        found.Clear();
        Assert.That(withoutCache.QueryAddresses("a.cached.test", found), Is.False);
    }

    [Test]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new DnsClientResolver(new DnsClientResolverOptions { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new DnsClientResolver(new DnsClientResolverOptions { Retries = -1 }));
        Assert.Throws<ArgumentException>(() => new DnsClientResolver(new DnsClientResolverOptions { AddressPreference = (AddressPreference)9 }));
    }
}
