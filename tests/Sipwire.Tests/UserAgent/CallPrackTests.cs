// Reliable provisional responses and PRACK (RFC 3262) between UA cores, and against a scripted peer, in virtual time.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;
using static Sipwire.Tests.UserAgent.CallTestKit;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallPrackTests
{
    private static UserAgentOptions Required(UserAgentOptions o) => o with { ReliableProvisional = ReliableProvisionalMode.Required };

    private static UserAgentOptions Off(UserAgentOptions o) => o with { ReliableProvisional = ReliableProvisionalMode.Off };

    [TestCase(0.0, 701)]
    [TestCase(0.25, 702)]
    [TestCase(0.25, 703)]
    public void RequiredOnBothSidesSends180ReliablyAndPracksItOnce(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss, Required, Required);
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing), Log(alice));
        string invite = Sent(net, alice.Address, "INVITE").First().Text;
        Assert.That(Header(invite, "Require"), Is.EqualTo("100rel"));
        SimPacket[] ringing = Sent(net, bob.Address, "SIP/2.0 180");
        Assert.That(ringing.Select(p => Header(p.Text, "RSeq")).Distinct().Count(), Is.EqualTo(1), "one reliable 180, maybe retransmitted");
        Assert.That(Header(ringing[0].Text, "Require"), Is.EqualTo("100rel"));
        uint rseq = uint.Parse(Header(ringing[0].Text, "RSeq")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(rseq, Is.InRange(1u, (1u << 31) - 1));
        SimPacket[] pracks = Sent(net, alice.Address, "PRACK");
        Assert.That(pracks, Is.Not.Empty);
        // RFC 3262 §7.2: RAck = RSeq, CSeq number and method of the 1xx.
        Assert.That(pracks.Select(p => Header(p.Text, "RAck")).Distinct(), Is.EqualTo(new[] { $"{rseq} 1 INVITE" }));
        Assert.That(pracks.Select(p => Header(p.Text, "CSeq")).Distinct(), Is.EqualTo(new[] { "2 PRACK" }), "PRACK transaction retransmissions only");
        Assert.That(Sent(net, bob.Address, "SIP/2.0 200").Count(p => Header(p.Text, "CSeq") == "2 PRACK"), Is.GreaterThan(0));
        Assert.That(alice.Kinds(call).Count(k => k == "Ringing"), Is.EqualTo(1), "a retransmitted reliable 180 raises no second event");
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), Log(bob));
        // The 180 retransmissions stopped at the PRACK: none after the 2xx went out.
        long answeredAt = Sent(net, bob.Address, "SIP/2.0 200").First(p => Header(p.Text, "CSeq") == "1 INVITE").SentAt;
        Assert.That(Sent(net, bob.Address, "SIP/2.0 180").Count(p => p.SentAt > answeredAt), Is.Zero);
    }

    [Test]
    public void AlostPrackIsRetransmittedAndThe180RetransmissionsStopWhenOneArrives()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(711, 0, Required, Required);
        // Alice -> Bob loses everything for 1.2 s after the INVITE: the first PRACKs are lost.
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromMilliseconds(15));
        net.SetLink(alice.Address, bob.Address, new LinkConditions { Loss = 1.0, Delay = TimeSpan.FromMilliseconds(10) });
        net.RunFor(TimeSpan.FromMilliseconds(1200));
        net.SetLink(alice.Address, bob.Address, new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        net.RunFor(TimeSpan.FromSeconds(10));
        SimPacket[] pracks = Sent(net, alice.Address, "PRACK");
        Assert.That(pracks.Length, Is.GreaterThan(1), "Timer E retransmitted the lost PRACK");
        SimPacket[] ringing = Sent(net, bob.Address, "SIP/2.0 180");
        Assert.That(ringing.Length, Is.GreaterThanOrEqualTo(2), "the UAS retransmitted the reliable 180 while no PRACK came");
        // RFC 3262 §3: retransmissions at T1, then doubling (0.5 s, 1 s, 2 s ... after the first).
        long[] gaps = ringing.Zip(ringing.Skip(1), (a, b) => b.SentAt - a.SentAt).ToArray();
        Assert.That(gaps[0], Is.EqualTo(500_000));
        if (gaps.Length > 1) Assert.That(gaps[1], Is.EqualTo(1_000_000));
        long prackOkAt = Sent(net, bob.Address, "SIP/2.0 200").First(p => Header(p.Text, "CSeq") == "2 PRACK").SentAt;
        Assert.That(ringing.Count(p => p.SentAt > prackOkAt), Is.Zero);
        Assert.That(alice.Kinds(call), Is.EqualTo(new[] { "Ringing" }));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Incoming));
    }

    [Test]
    public void NoPrackFor64T1RejectsTheInviteWith5xxAndEndsTheCall()
    {
        var net = new SimNetwork(721);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "noprack@test", "Supported: 100rel\r\nRequire: 100rel\r\n"));
        net.RunFor(TimeSpan.FromSeconds(40));
        SimPacket[] ringing = raw.Received.Select(r => r.Packet).Where(p => p.StartLine.StartsWith("SIP/2.0 180", StringComparison.Ordinal)).ToArray();
        long[] times = ringing.Select(p => p.SentAt - ringing[0].SentAt).ToArray();
        // RFC 3262 §3: T1, 2T1, 4T1 ... without the T2 cap: 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
        Assert.That(times, Is.EqualTo(new long[] { 0, 500_000, 1_500_000, 3_500_000, 7_500_000, 15_500_000, 31_500_000 }));
        SimPacket final = raw.Received.Select(r => r.Packet).First(p => p.StartLine.StartsWith("SIP/2.0 5", StringComparison.Ordinal));
        Assert.That(final.StartLine, Does.StartWith("SIP/2.0 500"));
        Assert.That(final.SentAt - ringing[0].SentAt, Is.EqualTo(32_000_000), "64*T1 after the first 180");
        SipCall incoming = bob.Incoming.Single();
        Assert.That(bob.Last(incoming).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(bob.Last(incoming).StatusCode, Is.EqualTo(500));
        Assert.That(bob.Last(incoming).Reason, Does.Contain("PRACK"));
        Assert.That(bob.Core.Calls, Is.Empty);
        Assert.That(bob.Core.Dialogs!.Count, Is.Zero);
    }

    [Test]
    public void EarlyMediaIn183IsReliableWhenSupportedAndThe200WaitsForItsPrack()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(731);
        bob.IncomingHook = c =>
        {
            Assert.That(c.Progress(), Is.True);
            Assert.That(c.Answer(), Is.True, "accepted, sent after the PRACK (RFC 3262 §3)");
        };
        // Hold the PRACK back for a while: the 200 must not go out before it arrives.
        net.SetLink(alice.Address, bob.Address, new LinkConditions { Loss = 1.0 });
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromMilliseconds(5));
        net.SetLink(alice.Address, bob.Address, new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        net.RunFor(TimeSpan.FromMilliseconds(300));
        Assert.That(Sent(net, bob.Address, "SIP/2.0 183"), Is.Empty, "the INVITE was lost; it arrives on retransmission");
        net.RunFor(TimeSpan.FromSeconds(10));
        SimPacket progress = Sent(net, bob.Address, "SIP/2.0 183").First();
        Assert.That(Header(progress.Text, "Require"), Is.EqualTo("100rel"));
        Assert.That(progress.Text, Does.Contain("m=audio"));
        long prackAt = Sent(net, alice.Address, "PRACK").First().SentAt;
        long okAt = Sent(net, bob.Address, "SIP/2.0 200").First(p => Header(p.Text, "CSeq")!.EndsWith("INVITE", StringComparison.Ordinal)).SentAt;
        Assert.That(okAt, Is.GreaterThan(prackAt));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        // The 180 (unreliable: Supported mode, no SDP) then the reliable 183 with the answer.
        CallEvent ringing = alice.CallEvents.First(e => e.Call == call && e.Event.StatusCode == 183).Event;
        Assert.That(ringing.Kind, Is.EqualTo(CallEventKind.Ringing));
        Assert.That(ringing.Audio, Is.Not.Null, "early media: the answer came in the reliable 183");
        Assert.That(call.Audio!.Remote.Port, Is.EqualTo(bob.Incoming.Single().Negotiator.LocalRtpPort));
    }

    [TestCase(0.0, 735)]
    [TestCase(0.2, 736)]
    public void EarlyMediaAskedForWhileTheReliable180IsUnacknowledgedGoesAfterItsPrack(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss, Required, Required);
        // The reliable 180 goes out when the INVITE arrives; Progress() right after it must wait for its PRACK
        // (RFC 3262 §3: one unacknowledged reliable 1xx at a time), then go - not be forgotten.
        bob.IncomingHook = c => Assert.That(c.Progress(), Is.True);
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SimPacket[] progress = Sent(net, bob.Address, "SIP/2.0 183");
        Assert.That(progress, Is.Not.Empty, Log(bob));
        Assert.That(Header(progress[0].Text, "Require"), Is.EqualTo("100rel"));
        Assert.That(progress[0].Text, Does.Contain("m=audio"));
        long firstPrackOkAt = Sent(net, bob.Address, "SIP/2.0 200").First(p => Header(p.Text, "CSeq")!.EndsWith("PRACK", StringComparison.Ordinal)).SentAt;
        Assert.That(progress[0].SentAt, Is.GreaterThanOrEqualTo(firstPrackOkAt), "the 183 waited for the 180's PRACK");
        Assert.That(alice.CallEvents.Any(e => e.Call == call && e.Event.StatusCode == 183 && e.Event.Audio is not null), Is.True, Log(alice));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing), Log(alice));
    }

    [Test]
    public void ARequireWeDoNotImplementGets420WithUnsupported()
    {
        var net = new SimNetwork(741);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob", Off);
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "req420@test", "Require: 100rel, foo\r\n"));
        net.RunFor(TimeSpan.FromMilliseconds(100));
        SimPacket reply = raw.Received.Single().Packet;
        Assert.That(reply.StartLine, Is.EqualTo("SIP/2.0 420 Bad Extension"));
        Assert.That(Header(reply.Text, "Unsupported"), Is.EqualTo("100rel, foo"));
        Assert.That(bob.Incoming, Is.Empty);
    }

    [Test]
    public void CallerRequiring100relOfACalleeWithoutItEndsWith420()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(742, 0, Required, Off);
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        CallEvent last = alice.Last(call);
        Assert.That((last.Kind, last.StatusCode), Is.EqualTo((CallEventKind.Ended, 420)));
        Assert.That(last.Reason, Does.Contain("Unsupported: 100rel"));
        Assert.That(bob.Incoming, Is.Empty);
    }

    [Test]
    public void CalleeRequiring100relOfACallerWithoutItEndsWith421()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(743, 0, Off, Required);
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        CallEvent last = alice.Last(call);
        Assert.That((last.Kind, last.StatusCode), Is.EqualTo((CallEventKind.Ended, 421)));
        Assert.That(last.Reason, Does.Contain("Require: 100rel"));
    }

    [Test]
    public void APrackMatchingNoReliableResponseGets481()
    {
        var net = new SimNetwork(751);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob", Required);
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "prack481@test", "Supported: 100rel\r\n"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string ringing = raw.Received.First(r => r.Packet.StartLine.StartsWith("SIP/2.0 180", StringComparison.Ordinal)).Packet.Text;
        uint rseq = uint.Parse(Header(ringing, "RSeq")!, System.Globalization.CultureInfo.InvariantCulture);
        Send(net, raw, bob, InDialog(bob, "PRACK", "prack481@test", ToTag(ringing), 2, $"RAck: {rseq + 5} 1 INVITE\r\n"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(raw.Received.Last().Packet.StartLine, Does.StartWith("SIP/2.0 481"));
        Send(net, raw, bob, InDialog(bob, "PRACK", "prack481@test", ToTag(ringing), 3, $"RAck: {rseq} 1 INVITE\r\n", branch: "z9hG4bKraw3"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(raw.Received.Last().Packet.StartLine, Is.EqualTo("SIP/2.0 200 OK"));
        Assert.That(Header(raw.Received.Last().Packet.Text, "CSeq"), Is.EqualTo("3 PRACK"));
    }
}
