// Glare (RFC 3261 §14.1, RFC 3311 §5.2): crossing re-INVITEs/UPDATEs get 491 and are re-sent after the injected-random retry timer.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;
using static Sipwire.Tests.UserAgent.CallTestKit;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallGlareTests
{
    private static long[] RunGlare(int seed, CallModifyMethod method, double loss, out UaNode alice, out UaNode bob, out SipCall call, out SipCall incoming)
    {
        (SimNetwork net, UaNode a, UaNode b) = Pair(seed, loss, o => o with { Random = new Random(seed) }, o => o with { Random = new Random(seed + 1) });
        alice = a;
        bob = b;
        bob.IncomingHook = c => c.Answer();
        call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        incoming = bob.Incoming.Single();
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        // Both put the other on hold at the same instant: the requests cross.
        Assert.That(call.Hold(method), Is.True);
        Assert.That(incoming.Hold(method), Is.True);
        long start = net.Clock.NowMicros;
        net.RunFor(TimeSpan.FromSeconds(60));
        string name = method == CallModifyMethod.Update ? "UPDATE" : "INVITE";
        long aliceRetry = Sent(net, alice.Address, name).Where(p => p.SentAt >= start).Select(p => Header(p.Text, "CSeq")).Distinct().Count();
        long bobRetry = Sent(net, bob.Address, name).Where(p => p.SentAt >= start).Select(p => Header(p.Text, "CSeq")).Distinct().Count();
        long firstAliceRetryAt = Sent(net, alice.Address, name).Where(p => p.SentAt >= start).GroupBy(p => Header(p.Text, "CSeq")).Skip(1).Select(g => g.First().SentAt).DefaultIfEmpty(-1).First();
        long firstBobRetryAt = Sent(net, bob.Address, name).Where(p => p.SentAt >= start).GroupBy(p => Header(p.Text, "CSeq")).Skip(1).Select(g => g.First().SentAt).DefaultIfEmpty(-1).First();
        // The 491 reaches the requester one link delay (10 ms) after it was sent.
        long alice491At = Sent(net, bob.Address, "SIP/2.0 491").Select(p => p.SentAt + 10_000).DefaultIfEmpty(-1).First();
        long bob491At = Sent(net, alice.Address, "SIP/2.0 491").Select(p => p.SentAt + 10_000).DefaultIfEmpty(-1).First();
        return [aliceRetry, bobRetry, firstAliceRetryAt - alice491At, firstBobRetryAt - bob491At];
    }

    [TestCase(CallModifyMethod.ReInvite, 1101)]
    [TestCase(CallModifyMethod.ReInvite, 1102)]
    [TestCase(CallModifyMethod.Update, 1103)]
    public void CrossingHoldsBothGet491AndBothSucceedAfterTheRetryTimer(CallModifyMethod method, int seed)
    {
        long[] r = RunGlare(seed, method, 0, out UaNode alice, out UaNode bob, out SipCall call, out SipCall incoming);
        Assert.That((r[0], r[1]), Is.EqualTo((2L, 2L)), "each sent its request twice: the first got 491, the retry went through");
        // §14.1: the owner of the Call-ID (Alice placed the call) waits 2.1-4 s, the other 0-2 s, in 10 ms steps.
        Assert.That(r[2], Is.InRange(2_100_000L, 4_000_000L));
        Assert.That(r[3], Is.InRange(0L, 2_000_000L));
        Assert.That(r[2] % 10_000, Is.Zero);
        Assert.That(alice.Kinds(call).Count(k => k == "MediaUpdated"), Is.GreaterThanOrEqualTo(2), Log(alice));
        Assert.That(alice.Kinds(call), Does.Not.Contain("UpdateFailed"));
        Assert.That(bob.Kinds(incoming), Does.Not.Contain("UpdateFailed"));
        // Both holds took effect: each side sendonly towards the other, so neither receives... and neither sends to a holder.
        Assert.That(call.Negotiator.LocalDirection, Is.EqualTo(Sipwire.Sdp.SdpDirection.SendOnly));
        Assert.That(incoming.Negotiator.LocalDirection, Is.EqualTo(Sipwire.Sdp.SdpDirection.SendOnly));
        Assert.That(call.Audio!.Receive, Is.False);
        Assert.That(incoming.Audio!.Receive, Is.False);
        Assert.That((call.State, incoming.State), Is.EqualTo((CallState.Active, CallState.Active)));
    }

    [Test]
    public void TheRetryTimeIsDeterministicForAnInjectedRandomSource()
    {
        long[] a = RunGlare(1111, CallModifyMethod.ReInvite, 0, out _, out _, out _, out _);
        long[] b = RunGlare(1111, CallModifyMethod.ReInvite, 0, out _, out _, out _, out _);
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void GlareUnderLossStillResolves()
    {
        long[] r = RunGlare(1121, CallModifyMethod.ReInvite, 0.2, out UaNode alice, out _, out SipCall call, out SipCall incoming);
        Assert.That(r[0] + r[1], Is.GreaterThanOrEqualTo(2L));
        Assert.That(call.Negotiator.LocalDirection, Is.EqualTo(Sipwire.Sdp.SdpDirection.SendOnly));
        Assert.That(incoming.Negotiator.LocalDirection, Is.EqualTo(Sipwire.Sdp.SdpDirection.SendOnly));
        Assert.That(alice.Kinds(call), Does.Not.Contain("UpdateFailed"), Log(alice));
    }
}
