// Proxy request validation (RFC 3261 §16.3), routing (§16.4, §16.6), challenge aggregation (§16.7 step 7) and stateless branches (§16.11).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ProxyValidationTests
{
    private const string ProxyAt = "10.0.0.9:5060";

    private static string Dump(SimNetwork net) => string.Join("\n", net.Sent.Select(p => $"{p.SentAt / 1000} {p.From} -> {p.To}: {p.StartLine}"));

    private static (SimNetwork Net, ProxyNode Proxy, RawClient Client) Setup(bool stateless, int seed = 801)
    {
        var net = new SimNetwork(seed);
        return (net, new ProxyNode(net, ProxyAt, stateless, proxyRequire: ["sec-agree"]), new RawClient(net, "10.0.0.1:5060"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void MaxForwardsZeroGets483(bool stateless)
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(stateless);
        var sink = new BlackHole(net, "10.0.0.2:5060");
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", maxForwards: 0);
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(client.Responses.Single(), Does.StartWith("SIP/2.0 483 Too Many Hops\r\n"));
        Assert.That(sink.Received, Is.Empty);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void MaxForwardsIsDecrementedOrAddedAs70(bool stateless)
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(stateless);
        var sink = new BlackHole(net, "10.0.0.2:5060");
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", maxForwards: 1);
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", maxForwards: -1);
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(sink.Received[0].Packet.Text, Does.Contain("\r\nMax-Forwards: 0\r\n"));
        Assert.That(sink.Received.Select(r => r.Packet.Text).Any(t => t.Contains("\r\nMax-Forwards: 70\r\n", StringComparison.Ordinal)), Is.True);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void UnsupportedUriSchemeGets416(bool stateless)
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(stateless);
        client.Send(proxy.Address, "OPTIONS", "http://example.test/bob");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(client.Responses.Single(), Does.StartWith("SIP/2.0 416 "));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void UnknownProxyRequireGets420ListingTheTag(bool stateless)
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(stateless);
        var sink = new BlackHole(net, "10.0.0.2:5060");
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", "Proxy-Require: sec-agree, foo\r\n");
        net.RunFor(TimeSpan.FromSeconds(1));
        string r = client.Responses.Single();
        Assert.That(r, Does.StartWith("SIP/2.0 420 Bad Extension\r\n"));
        Assert.That(r, Does.Contain("\r\nUnsupported: foo\r\n"));
        Assert.That(sink.Received, Is.Empty);
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", "Proxy-Require: sec-agree\r\n");
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(sink.Received, Has.Count.EqualTo(1), "a supported tag passes");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ARequestThatComesBackUnchangedIsALoopAndGets482(bool stateless)
    {
        // The Request-URI names a user at the proxy's own address outside its domain, so the proxy forwards the
        // request to itself: the second pass finds its own Via with the same loop hash (§16.3 step 4).
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(stateless);
        client.Send(proxy.Address, "OPTIONS", "sip:loop@10.0.0.9:5060");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(client.Responses, Has.Count.EqualTo(1), Dump(net));
        Assert.That(client.Responses[0], Does.StartWith("SIP/2.0 482 Loop Detected\r\n"));
    }

    [Test]
    public void OurViaWithAnotherLoopHashIsASpiralAndIsForwarded()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        var sink = new BlackHole(net, "10.0.0.2:5060");
        // §16.3 step 4: our Via is there, but the request changed since (another hash): a spiral, not a loop.
        client.Send(proxy.Address, "OPTIONS", "sip:bob@10.0.0.2:5060", "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKsw0123456789abcdef.1\r\n");
        net.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(sink.Received, Has.Count.EqualTo(1), Dump(net));
        Assert.That(client.Responses, Is.Empty);
    }

    [Test]
    public void ChallengesOfAllBranchesAreAggregatedIntoOne407()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        Challenger(net, "10.0.0.2:5060", 407, "Proxy-Authenticate: Digest realm=\"a.test\", nonce=\"n1\"");
        Challenger(net, "10.0.0.3:5060", 401, "WWW-Authenticate: Digest realm=\"b.test\", nonce=\"n2\"");
        Challenger(net, "10.0.0.4:5060", 486, "");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        proxy.Bind("bob", "sip:bob@10.0.0.3:5060");
        proxy.Bind("bob", "sip:bob@10.0.0.4:5060");
        client.Send(proxy.Address, "INVITE", $"sip:bob@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(3));
        string final = client.Responses.Single(r => !r.StartsWith("SIP/2.0 1", StringComparison.Ordinal));
        Assert.That(final, Does.StartWith("SIP/2.0 407 ").Or.StartWith("SIP/2.0 401 "), Dump(net));
        Assert.That(final, Does.Contain("Proxy-Authenticate: Digest realm=\"a.test\", nonce=\"n1\"\r\n"));
        Assert.That(final, Does.Contain("WWW-Authenticate: Digest realm=\"b.test\", nonce=\"n2\"\r\n"));
        Assert.That(final.Split("\r\n").Count(l => l.StartsWith("Via:", StringComparison.Ordinal)), Is.EqualTo(1), "the proxy's Via is removed");
    }

    [Test]
    public void SixHundredStopsTheSearchAndWins()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        Challenger(net, "10.0.0.2:5060", 603, "");
        Challenger(net, "10.0.0.3:5060", 404, "");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        proxy.Bind("bob", "sip:bob@10.0.0.3:5060");
        client.Send(proxy.Address, "INVITE", $"sip:bob@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(3));
        Assert.That(client.Responses.Last(), Does.StartWith("SIP/2.0 603 "), Dump(net));
    }

    [Test]
    public void NoAnswerFromTheOnlyBranchGives408()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        _ = new BlackHole(net, "10.0.0.2:5060");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        client.Send(proxy.Address, "MESSAGE", $"sip:bob@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(client.Responses.Where(r => !r.StartsWith("SIP/2.0 100", StringComparison.Ordinal)).Select(r => r[..12]),
            Does.Contain("SIP/2.0 408 "), Dump(net));
    }

    [Test]
    public void StatelessRetransmissionsKeepTheirBranch()
    {
        var net = new SimNetwork(811);
        var proxy = new ProxyNode(net, ProxyAt, stateless: true);
        var sink = new BlackHole(net, "10.0.0.2:5060");
        var client = new BlackHole(net, "10.0.0.1:5060");
        string invite = "INVITE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKretx1\r\nMax-Forwards: 70\r\n" +
            "From: <sip:a@x>;tag=1\r\nTo: <sip:bob@x>\r\nCall-ID: retx@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        net.Send(client.Address, proxy.Address, Encoding.ASCII.GetBytes(invite));
        net.Send(client.Address, proxy.Address, Encoding.ASCII.GetBytes(invite));
        string cancel = invite.Replace("INVITE sip", "CANCEL sip", StringComparison.Ordinal).Replace("1 INVITE", "1 CANCEL", StringComparison.Ordinal);
        net.Send(client.Address, proxy.Address, Encoding.ASCII.GetBytes(cancel));
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(sink.Received, Has.Count.EqualTo(3));
        string[] branches = sink.Received.Select(r => Branch(r.Packet.Text)).ToArray();
        Assert.That(branches.Distinct().Count(), Is.EqualTo(1), "§16.11: retransmissions and the CANCEL get the INVITE's branch");
        Assert.That(branches[0], Does.StartWith("z9hG4bK"));
        Assert.That(sink.Received[0].Packet.Text, Does.Contain("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKretx1\r\n"));
    }

    [Test]
    public void StatelessResponsesFollowTheNextViaAndDropTheTopOne()
    {
        var net = new SimNetwork(812);
        var proxy = new ProxyNode(net, ProxyAt, stateless: true);
        var client = new BlackHole(net, "10.0.0.1:5060");
        string response = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKswx, SIP/2.0/UDP 10.0.0.7:5070;branch=z9hG4bKa;received=10.0.0.1;rport=5060\r\n" +
            "From: <sip:a@x>;tag=1\r\nTo: <sip:bob@x>;tag=2\r\nCall-ID: r@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        net.Send(PeerAddressOf("10.0.0.2:5060"), proxy.Address, Encoding.ASCII.GetBytes(response));
        string notOurs = response.Replace("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKswx, ", "", StringComparison.Ordinal);
        net.Send(PeerAddressOf("10.0.0.2:5060"), proxy.Address, Encoding.ASCII.GetBytes(notOurs));
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(client.Received, Has.Count.EqualTo(1), "received/rport of the next Via decide (§18.2.2, RFC 3581); a response without our Via is dropped");
        Assert.That(client.Received[0].Packet.Text, Does.Contain("\r\nVia: SIP/2.0/UDP 10.0.0.7:5070;branch=z9hG4bKa;received=10.0.0.1;rport=5060\r\n"));
        Assert.That(client.Received[0].Packet.Text, Does.Not.Contain("10.0.0.9"));
        Assert.That(proxy.Proxy.Dropped, Is.EqualTo(1));
    }

    [Test]
    public void StrictRouterUpstreamIsFixedUpAndOwnRouteRemoved()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        var next = new BlackHole(net, "10.0.0.5:5060");
        // §16.4: a strict router put our Record-Route URI in the Request-URI and the real target in the last Route.
        client.Send(proxy.Address, "OPTIONS", "sip:10.0.0.9:5060;lr", "Route: <sip:10.0.0.5:5060;lr>, <sip:carol@10.0.0.6:5060>\r\n");
        // A loose Route naming us is removed; a strict next hop gets the Request-URI appended (§16.6 step 6).
        client.Send(proxy.Address, "OPTIONS", "sip:carol@10.0.0.6:5060", "Route: <sip:10.0.0.9:5060;lr>\r\nRoute: <sip:10.0.0.5:5060>\r\n");
        net.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(next.Received, Has.Count.EqualTo(2), Dump(net));
        string first = next.Received[0].Packet.Text;
        Assert.That(first, Does.StartWith("OPTIONS sip:carol@10.0.0.6:5060 SIP/2.0\r\n"));
        Assert.That(first, Does.Contain("\r\nRoute: <sip:10.0.0.5:5060;lr>\r\n"));
        Assert.That(first, Does.Not.Contain("<sip:carol@10.0.0.6:5060>\r\n"));
        string second = next.Received[1].Packet.Text;
        Assert.That(second, Does.StartWith("OPTIONS sip:10.0.0.5:5060 SIP/2.0\r\n"));
        Assert.That(second, Does.Contain("\r\nRoute: <sip:carol@10.0.0.6:5060>\r\n"));
        Assert.That(second, Does.Not.Contain("\r\nRoute: <sip:10.0.0.9"), "our own Route is removed (§16.4)");
    }

    [Test]
    public void PathOfTheBindingBecomesRoute()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        var edge = new BlackHole(net, "10.0.0.8:5060");
        proxy.Bind("bob", "sip:bob@192.0.2.4:5060", path: "<sip:10.0.0.8:5060;lr>");
        client.Send(proxy.Address, "OPTIONS", $"sip:bob@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(edge.Received, Has.Count.EqualTo(1), "RFC 3327 §5.3: the request goes through the Path");
        Assert.That(edge.Received[0].Packet.Text, Does.StartWith("OPTIONS sip:bob@192.0.2.4:5060 SIP/2.0\r\n").And.Contain("\r\nRoute: <sip:10.0.0.8:5060;lr>\r\n"));
    }

    [Test]
    public void OptionsToTheProxyItselfIsAnswered()
    {
        (SimNetwork net, ProxyNode proxy, RawClient client) = Setup(false);
        client.Send(proxy.Address, "OPTIONS", $"sip:{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(client.Responses.Single(), Does.StartWith("SIP/2.0 200 OK\r\n").And.Contain("Allow: "));
    }

    private static Sipwire.Transport.PeerAddress PeerAddressOf(string a) => Sipwire.Transport.PeerAddress.Parse(Sipwire.Transport.TransportProtocol.Udp, a);

    private static string Branch(string text)
    {
        string via = text.Split("\r\n").First(l => l.StartsWith("Via:", StringComparison.Ordinal));
        int at = via.IndexOf("branch=", StringComparison.Ordinal) + 7;
        int end = via.IndexOfAny([';', ',', ' '], at);
        return end < 0 ? via[at..] : via[at..end];
    }

    /// <summary>A downstream UAS that answers every INVITE with one final status (and a header line), 180 first.</summary>
    private static SimNode Challenger(SimNetwork net, string address, int status, string header)
    {
        var user = new RecordingUser();
        var node = new SimNode(net, address, user: user);
        var buffer = new byte[4096];
        user.OnRequestHook = (tx, req) =>
        {
            var w = new SipMessageWriter(buffer);
            SipResponses.WriteHead(ref w, req, tx.Source, status, Encoding.ASCII.GetBytes("Status " + status), Encoding.ASCII.GetBytes("t" + status));
            if (header.Length > 0)
            {
                w.AppendText(header);
                w.Append("\r\n"u8);
            }
            w.End();
            node.Layer.Respond(tx, buffer.AsSpan(0, w.Length));
        };
        return node;
    }
}
