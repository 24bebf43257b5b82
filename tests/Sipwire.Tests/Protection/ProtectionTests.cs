// Abuse cases against a server role behind the RequestGuard, over the simulated network and sans-IO.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using NUnit.Framework;
using Sipwire.Location;
using Sipwire.Protection;
using Sipwire.Sip;
using Sipwire.Tests.B2bua;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Protection;

[TestFixture]
public sealed class ProtectionTests
{
    private static string Options(string from, int n, string via = "", string method = "OPTIONS") =>
        $"{method} sip:b2bua@{RegistrarNode.Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {(via.Length > 0 ? via : from)};branch=z9hG4bKfl{n}x{from.GetHashCode():x}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:x@{RegistrarNode.Domain}>;tag=f{n}\r\nTo: <sip:b2bua@{RegistrarNode.Domain}>\r\nCall-ID: fl{n}@{from}\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n";

    private static SipMessage Parse(string text)
    {
        var m = new SipMessage();
        Assert.That(SipParser.Parse(Encoding.UTF8.GetBytes(text).AsMemory(), SipFraming.Datagram, m).IsDone, Is.True);
        return m;
    }

    [Test]
    public void FloodBeyondTheRateLimitGets503RetryAfterWhileAWellBehavedClientLosesNothing()
    {
        var net = new SimNetwork(7201) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) } };
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", protection: new ProtectionOptions { RatePerSecond = 10, Burst = 20, RetryAfterSeconds = 2 });
        var flooder = new BlackHole(net, "10.0.0.66:5060");
        var polite = new BlackHole(net, "10.0.0.5:5060");
        // 10 s: the flooder sends 500 requests per second, the polite client 2 per second.
        int sentPolite = 0;
        for (int ms = 0; ms < 10_000; ms += 2)
        {
            net.Send(flooder.Address, b2bua.Address, Encoding.UTF8.GetBytes(Options("10.0.0.66:5060", ms)));
            if (ms % 500 == 0)
            {
                net.Send(polite.Address, b2bua.Address, Encoding.UTF8.GetBytes(Options("10.0.0.5:5060", ms)));
                sentPolite++;
            }
            net.RunFor(TimeSpan.FromMilliseconds(2));
        }
        net.RunFor(TimeSpan.FromSeconds(1));

        string[] politeGot = polite.Received.Select(r => r.Packet.StartLine).ToArray();
        Assert.That(politeGot, Has.Length.EqualTo(sentPolite));
        Assert.That(politeGot, Is.All.EqualTo("SIP/2.0 200 OK"));

        string[] flood = flooder.Received.Select(r => r.Packet.Text).ToArray();
        int ok = flood.Count(t => t.StartsWith("SIP/2.0 200", StringComparison.Ordinal));
        string[] limited = flood.Where(t => t.StartsWith("SIP/2.0 503", StringComparison.Ordinal)).ToArray();
        // Burst plus 10/s over 10 s, nothing more.
        Assert.That(ok, Is.InRange(90, 20 + 10 * 10 + 1));
        Assert.That(limited, Is.Not.Empty);
        Assert.That(limited.Select(t => CallTestKit.Header(t, "Retry-After")), Is.All.EqualTo("2"));
        // One 503 per Retry-After interval: the guard never answers a flood packet for packet.
        Assert.That(limited, Has.Length.InRange(4, 6));
        Assert.That(b2bua.Host.Guard!.RateDropped, Is.GreaterThan(4000));
        Assert.That(b2bua.Host.Layer.Count, Is.LessThan(200));
    }

    [Test]
    public void AckResponsesAndCancelAreNeverRateLimited()
    {
        var net = new SimNetwork(7202);
        var host = new GuardedHost(net, "10.0.0.9:5060", new ProtectionOptions { RatePerSecond = 1, Burst = 1 });
        var source = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.66:5060");
        Assert.That(host.Guard!.Inspect(Parse(Options("10.0.0.66:5060", 1)), source).Action, Is.EqualTo(GuardAction.Pass));
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 2)), source), Is.EqualTo(new GuardDecision(GuardAction.Reject, 503, "Service Unavailable (Rate Limit)")));
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 3)), source).Action, Is.EqualTo(GuardAction.Drop));
        for (int i = 0; i < 50; i++)
        {
            Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 10 + i, method: "ACK")), source).Action, Is.EqualTo(GuardAction.Pass));
            Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 10 + i, method: "CANCEL")), source).Action, Is.EqualTo(GuardAction.Pass));
            string response = CallTestKit.Response(Options("10.0.0.66:5060", 10 + i), 200, "OK", "t");
            Assert.That(host.Guard.Inspect(Parse(response), source).Action, Is.EqualTo(GuardAction.Pass));
        }
        // Another source has its own bucket; the port does not make a new source.
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.67:5060", 1)), PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.67:5060")).Action, Is.EqualTo(GuardAction.Pass));
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5061", 4)), PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.66:5061")).Action, Is.Not.EqualTo(GuardAction.Pass));
        // A second later the bucket has one token again.
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 5)), source).Action, Is.EqualTo(GuardAction.Pass));
    }

    [Test]
    public void SourceTableIsBounded()
    {
        var limiter = new SourceRateLimiter(1, 1, 4);
        for (int i = 1; i <= 100; i++) limiter.TryTake(PeerAddress.Parse(TransportProtocol.Udp, $"10.1.0.{i}:5060"), 0);
        Assert.That(limiter.Count, Is.EqualTo(4));
        // The sources beyond the table shared one bucket: it is empty now.
        Assert.That(limiter.TryTake(PeerAddress.Parse(TransportProtocol.Udp, "10.2.0.1:5060"), 0), Is.False);
        // The tracked sources keep their own buckets (refilled after a second), and idle ones make room.
        Assert.That(limiter.TryTake(PeerAddress.Parse(TransportProtocol.Udp, "10.1.0.1:5060"), 2_000_000), Is.True);
        Assert.That(limiter.TryTake(PeerAddress.Parse(TransportProtocol.Udp, "10.2.0.1:5060"), 3_000_000), Is.True);
        Assert.That(limiter.Count, Is.LessThanOrEqualTo(4));
    }

    [TestCase("255.255.255.255:5060")]
    [TestCase("224.0.0.1:5060")]
    [TestCase("0.0.0.0:5060")]
    [TestCase("10.0.0.66:5060;maddr=224.0.0.1")]
    [TestCase("10.0.0.66:5060;received=255.255.255.255")]
    [TestCase("[ff02::1]:5060")]
    public void ViaNamingBroadcastOrMulticastGetsNoReply(string via)
    {
        var net = new SimNetwork(7203);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", protection: new ProtectionOptions());
        var attacker = new BlackHole(net, "10.0.0.66:5060");
        net.Send(attacker.Address, b2bua.Address, Encoding.UTF8.GetBytes(Options("10.0.0.66:5060", 1, via)));
        net.Send(attacker.Address, b2bua.Address, Encoding.UTF8.GetBytes(Options("10.0.0.66:5060", 2, via, "INVITE")));
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(net.Sent.Where(p => p.From.Equals(b2bua.Address)), Is.Empty);
        Assert.That(b2bua.Host.Guard!.ReflectionDropped, Is.EqualTo(2));
        // The same request with an honest Via is answered.
        net.Send(attacker.Address, b2bua.Address, Encoding.UTF8.GetBytes(Options("10.0.0.66:5060", 3)));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(attacker.Received.Select(r => r.Packet.StartLine), Is.EqualTo(new[] { "SIP/2.0 200 OK" }));
    }

    [Test]
    public void ReflectionCheckKnowsTheUnsafeAddresses()
    {
        foreach (string a in new[] { "255.255.255.255", "224.0.0.1", "239.255.255.250", "0.0.0.0", "::", "ff02::1", "::ffff:224.0.0.1" })
            Assert.That(ReflectionCheck.IsUnsafe(IPAddress.Parse(a)), Is.True, a);
        foreach (string a in new[] { "10.0.0.1", "192.168.1.255", "223.255.255.255", "240.0.0.1", "::1", "2001:db8::1" })
            Assert.That(ReflectionCheck.IsUnsafe(IPAddress.Parse(a)), Is.False, a);
        Assert.That(ReflectionCheck.IsUnsafeHost("host.example"u8), Is.False);
    }

    [Test]
    public void TlsOnlyDropsUdpRefusesTcpAndPassesTls()
    {
        var net = new SimNetwork(7204);
        var host = new GuardedHost(net, "10.0.0.9:5060", new ProtectionOptions { TlsOnly = true });
        SipMessage request = Parse(Options("10.0.0.66:5060", 1));
        Assert.That(host.Guard!.Inspect(request, PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.66:5060")).Action, Is.EqualTo(GuardAction.Drop));
        Assert.That(host.Guard.Inspect(request, PeerAddress.Parse(TransportProtocol.Tcp, "10.0.0.66:5060")),
            Is.EqualTo(new GuardDecision(GuardAction.Reject, 403, "Forbidden (TLS Required)")));
        Assert.That(host.Guard.Inspect(Parse(Options("10.0.0.66:5060", 2, method: "ACK")), PeerAddress.Parse(TransportProtocol.Tcp, "10.0.0.66:5060")).Action, Is.EqualTo(GuardAction.Drop));
        Assert.That(host.Guard.Inspect(request, PeerAddress.Parse(TransportProtocol.Tls, "10.0.0.66:5061")).Action, Is.EqualTo(GuardAction.Pass));
        Assert.That(host.Guard.TlsRefused, Is.EqualTo(3));
        // Over the simulated UDP network nothing comes back.
        var attacker = new BlackHole(net, "10.0.0.66:5060");
        net.Send(attacker.Address, host.Address, Encoding.UTF8.GetBytes(Options("10.0.0.66:5060", 3)));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(attacker.Received, Is.Empty);
    }

    [Test]
    public void ForgedByeGets481AndTheCallSurvives()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = B2buaCallTests.Setup(7205);
        bob.IncomingHook = c => c.Answer();
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        SipCall incoming = bob.Incoming.Single();
        var attacker = new BlackHole(net, "10.0.0.66:5060");
        string localTag = call.Dialog!.LocalTag;
        string remoteTag = call.Dialog.RemoteTag;
        // The right Call-ID with a wrong tag, the right tags with a wrong Call-ID, and a BYE with no To tag.
        string[] forged =
        [
            Bye(call.CallId, localTag, "guessed", 1),
            Bye("guessed@10.0.0.66", localTag, remoteTag, 2),
            Bye(call.CallId, "", remoteTag, 3),
            Bye(call.CallId, localTag, remoteTag, 4, "INVITE"),
        ];
        forged[3] = forged[3].Replace(remoteTag, "guessed", StringComparison.Ordinal);
        foreach (string f in forged) net.Send(attacker.Address, b2bua.Address, Encoding.UTF8.GetBytes(f));
        net.RunFor(TimeSpan.FromSeconds(5));
        // Each forged request gets 481 (the one to the INVITE is retransmitted until an ACK, §17.2.1).
        Assert.That(attacker.Received.Select(r => r.Packet.StartLine), Is.All.EqualTo("SIP/2.0 481 Call/Transaction Does Not Exist"));
        Assert.That(attacker.Received.Select(r => CallTestKit.Header(r.Packet.Text, "CSeq")).Distinct().Count(), Is.EqualTo(4));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        Assert.That(b2bua.B2bua.Calls, Has.Count.EqualTo(1));
        Assert.That(net.Sent.Where(p => p.To.Equals(bob.Address) && p.StartLine.StartsWith("BYE", StringComparison.Ordinal)), Is.Empty);
        // The real BYE still works.
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated));
    }

    private static string Bye(string callId, string fromTag, string toTag, int n, string method = "BYE") =>
        $"{method} sip:b2bua@10.0.0.9:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.66:5060;branch=z9hG4bKforged{n}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:bob@{RegistrarNode.Domain}>;tag={toTag}\r\nTo: <sip:alice@{RegistrarNode.Domain}>{(fromTag.Length > 0 ? ";tag=" + fromTag : "")}\r\n" +
        $"Call-ID: {callId}\r\nCSeq: {100 + n} {method}\r\nContent-Length: 0\r\n\r\n";

    [Test]
    public void RegistrationAndCallCapsAnswer503RetryAfterOr403()
    {
        var net = new SimNetwork(7206) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) } };
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { MaxCalls = 1 },
            limits: new LocationLimits { MaxAddressesOfRecord = 1, MaxBindingsPerAddressOfRecord = 1 });
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var alice2 = new UaNode(net, "10.0.0.3:5060", "alice");
        alice.Register(b2bua.Address, "alice", "wonderland");
        net.RunFor(TimeSpan.FromSeconds(5));
        bob.Register(b2bua.Address, "bob", "builder");
        alice2.Register(b2bua.Address, "alice", "wonderland", seed: 2);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(alice.RegistrationEvents.First().Event.Kind, Is.EqualTo(RegistrationEventKind.Registered));
        string[] answers = net.Sent.Where(p => p.From.Equals(b2bua.Address) && p.To.Equals(bob.Address)).Select(p => p.Text).ToArray();
        // The table holds one address-of-record: a new one gets 503 with Retry-After (§21.5.4).
        string full = answers.Last(t => t.StartsWith("SIP/2.0 503", StringComparison.Ordinal));
        Assert.That(CallTestKit.Header(full, "Retry-After"), Is.EqualTo("20"));
        // One binding per address-of-record: a second device for alice is refused with 403.
        Assert.That(net.Sent.Any(p => p.From.Equals(b2bua.Address) && p.To.Equals(alice2.Address) && p.StartLine.StartsWith("SIP/2.0 403", StringComparison.Ordinal)), Is.True);

        // One call at a time: the second concurrent INVITE gets 503 with Retry-After.
        alice.IncomingHook = c => c.Answer();
        (SipCall first, _) = B2buaCallTests.Dial(bob, b2bua, "alice");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(first.State, Is.EqualTo(CallState.Active));
        (SipCall second, _) = B2buaCallTests.Dial(alice2, b2bua, "alice");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(second.EndStatus, Is.EqualTo(503));
        string busy = net.Sent.Last(p => p.From.Equals(b2bua.Address) && p.To.Equals(alice2.Address) && p.StartLine.StartsWith("SIP/2.0 503", StringComparison.Ordinal)).Text;
        Assert.That(CallTestKit.Header(busy, "Retry-After"), Is.EqualTo("30"));
        Assert.That(first.State, Is.EqualTo(CallState.Active));
    }
}
