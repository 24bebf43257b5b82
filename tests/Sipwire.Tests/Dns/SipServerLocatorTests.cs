// RFC 3263 §4 server location against a fake DNS: NAPTR, SRV priorities and weights, A/AAAA, failover order.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using NUnit.Framework;
using Sipwire.Dns;
using Sipwire.Transport;

namespace Sipwire.Tests.Dns;

[TestFixture]
public sealed class SipServerLocatorTests
{
    private static string[] Show(List<PeerAddress> targets) => targets.Select(t => t.ToString()).ToArray();

    private static T[] A<T>(params T[] values) => values;

    private static FakeDnsResolver Example()
    {
        var dns = new FakeDnsResolver();
        // The RFC 3263 §4.1 example, extended with a UDP entry.
        dns.Naptr["example.com"] =
        [
            new NaptrRecord(50, 50, "s", "SIPS+D2T", "_sips._tcp.example.com"),
            new NaptrRecord(90, 50, "s", "SIP+D2T", "_sip._tcp.example.com"),
            new NaptrRecord(100, 50, "s", "SIP+D2U", "_sip._udp.example.com"),
            new NaptrRecord(10, 50, "s", "SIP+D2X", "_sip._sctp.example.com"),
        ];
        dns.Srv["_sips._tcp.example.com"] = [new SrvRecord(0, 0, 5061, "tls.example.com")];
        dns.Srv["_sip._tcp.example.com"] = [new SrvRecord(0, 0, 5060, "tcp.example.com")];
        dns.Srv["_sip._udp.example.com"] = [new SrvRecord(0, 0, 5060, "udp.example.com")];
        dns.Hosts["tls.example.com"] = [IPAddress.Parse("192.0.2.1")];
        dns.Hosts["tcp.example.com"] = [IPAddress.Parse("192.0.2.2"), IPAddress.Parse("2001:db8::2")];
        dns.Hosts["udp.example.com"] = [IPAddress.Parse("192.0.2.3")];
        return dns;
    }

    [Test]
    public void NaptrOrderPicksTransportsAndSkipsUnknownServices()
    {
        var locator = new SipServerLocator(Example(), new Random(1));
        Assert.That(Show(locator.Locate("sip:bob@example.com")), Is.EqualTo(A(
            "TLS:192.0.2.1:5061", "TCP:192.0.2.2:5060", "TCP:[2001:db8::2]:5060", "UDP:192.0.2.3:5060")));
    }

    [Test]
    public void WithoutTlsProvider_TlsTargetsAreSkipped()
    {
        var locator = new SipServerLocator(Example(), new Random(1), tlsAvailable: false);
        Assert.That(Show(locator.Locate("sip:bob@example.com"))[0], Is.EqualTo("TCP:192.0.2.2:5060"));
        Assert.That(locator.Locate("sips:bob@example.com"), Is.Empty);
    }

    [Test]
    public void SipsUsesOnlySipsServices()
    {
        var locator = new SipServerLocator(Example(), new Random(1));
        Assert.That(Show(locator.Locate("sips:bob@example.com")), Is.EqualTo(A("TLS:192.0.2.1:5061")));
    }

    [Test]
    public void ExplicitPortSkipsNaptrAndSrv()
    {
        FakeDnsResolver dns = Example();
        var locator = new SipServerLocator(dns, new Random(1));
        Assert.That(Show(locator.Locate("sip:bob@udp.example.com:5080")), Is.EqualTo(A("UDP:192.0.2.3:5080")));
        Assert.That(dns.Queries, Is.EqualTo(A("A/AAAA udp.example.com")));
    }

    [Test]
    public void TransportParameterSelectsTheSrvName()
    {
        FakeDnsResolver dns = Example();
        var locator = new SipServerLocator(dns, new Random(1));
        Assert.That(Show(locator.Locate("sip:bob@example.com;transport=tcp")), Is.EqualTo(A("TCP:192.0.2.2:5060", "TCP:[2001:db8::2]:5060")));
        Assert.That(dns.Queries[0], Is.EqualTo("SRV _sip._tcp.example.com"));
    }

    [Test]
    public void NoNaptr_TriesSrvPerTransport_ThenAddressWithDefaultPort()
    {
        var dns = new FakeDnsResolver();
        dns.Srv["_sip._tcp.plain.test"] = [new SrvRecord(1, 0, 5070, "10.1.1.1")];
        var locator = new SipServerLocator(dns, new Random(1));
        Assert.That(Show(locator.Locate("sip:plain.test")), Is.EqualTo(A("TCP:10.1.1.1:5070")));
        dns.Hosts["bare.test"] = [IPAddress.Parse("10.2.2.2")];
        Assert.That(Show(locator.Locate("sip:bare.test")), Is.EqualTo(A("UDP:10.2.2.2:5060")));
        Assert.That(Show(locator.Locate("sips:bare.test")), Is.EqualTo(A("TLS:10.2.2.2:5061")));
    }

    [Test]
    public void NumericHostNeedsNoLookup()
    {
        var dns = new FakeDnsResolver();
        var locator = new SipServerLocator(dns);
        Assert.That(Show(locator.Locate("sip:[::1]:5070;transport=tcp")), Is.EqualTo(A("TCP:[::1]:5070")));
        Assert.That(dns.Queries, Is.Empty);
    }

    [Test]
    public void SrvPriorityFirst_WeightsShareTheOrder()
    {
        var dns = new FakeDnsResolver();
        dns.Srv["_sip._udp.w.test"] =
        [
            new SrvRecord(20, 0, 5060, "10.0.0.9"),
            new SrvRecord(10, 75, 5060, "10.0.0.1"),
            new SrvRecord(10, 25, 5060, "10.0.0.2"),
        ];
        int firstIsHeavy = 0;
        var random = new Random(7);
        const int Runs = 4000;
        for (int i = 0; i < Runs; i++)
        {
            string[] order = Show(new SipServerLocator(dns, random).Locate("sip:w.test;transport=udp"));
            Assert.That(order[2], Is.EqualTo("UDP:10.0.0.9:5060"), "the lower priority value always comes first");
            if (order[0] == "UDP:10.0.0.1:5060") firstIsHeavy++;
        }
        // RFC 2782: weight 75 of 100 is chosen first about 75 % of the time.
        Assert.That(firstIsHeavy / (double)Runs, Is.InRange(0.71, 0.79));
    }

    [Test]
    public void DotTargetMeansServiceNotAvailable()
    {
        var dns = new FakeDnsResolver();
        dns.Srv["_sip._udp.none.test"] = [new SrvRecord(0, 0, 0, ".")];
        dns.Hosts["none.test"] = [IPAddress.Parse("10.3.3.3")];
        Assert.That(new SipServerLocator(dns).Locate("sip:none.test;transport=udp"), Is.Empty, "no fallback to the A record");
    }

    [Test]
    public void NotASipUri_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SipServerLocator(new FakeDnsResolver()).Locate("http://example.com"));
    }
}
