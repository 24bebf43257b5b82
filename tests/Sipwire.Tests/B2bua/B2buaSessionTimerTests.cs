// Session timers through the B2BUA (RFC 4028): each leg its own session, refreshes answered per leg, 422 on either leg, a dead side ends both.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.B2bua;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaSessionTimerTests
{
    private static readonly TimeSpan s_ninety = TimeSpan.FromSeconds(90);

    private static (SimNetwork Net, UaNode Alice, UaNode Bob, B2buaNode B2bua) Setup(int seed, double loss,
        Func<UserAgentOptions, UserAgentOptions>? alice = null, Func<UserAgentOptions, UserAgentOptions>? bob = null, Func<B2buaOptions, B2buaOptions>? b2bua = null)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        UserAgentOptions Short(UserAgentOptions o) => o with { SessionExpires = s_ninety, MinSessionExpires = s_ninety };
        var a = new UaNode(net, "10.0.0.1:5060", "alice", o => alice is null ? Short(o) : alice(Short(o)));
        var b = new UaNode(net, "10.0.0.2:5060", "bob", o => bob is null ? Short(o) : bob(Short(o)));
        B2buaOptions Configure(B2buaOptions o)
        {
            o = o with { SessionExpires = s_ninety, Route = _ => B2buaRoute.Forward($"sip:bob@{b.HostPort}", b.Address) };
            return b2bua is null ? o : b2bua(o);
        }
        return (net, a, b, new B2buaNode(net, "10.0.0.9:5060", Configure));
    }

    private static SimPacket[] Between(SimNetwork net, PeerAddress from, PeerAddress to, string start) =>
        net.Sent.Where(p => p.From.Equals(from) && p.To.Equals(to) && p.StartLine.StartsWith(start, StringComparison.Ordinal)).ToArray();

    private static (SipCall Call, SipCall Incoming, List<CallEvent> Events) Connect(SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua)
    {
        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        return (call, bob.Incoming.Single(), events);
    }

    private static void Isolate(SimNetwork net, PeerAddress a, PeerAddress b)
    {
        net.SetLink(a, b, new LinkConditions { Loss = 1.0 });
        net.SetLink(b, a, new LinkConditions { Loss = 1.0 });
    }

    [TestCase(0.0, 7401)]
    [TestCase(0.2, 7402)]
    public void CallSurvivesSeveralRefreshPeriodsWithEachLegRefreshedOnItsOwn(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss);
        (SipCall call, SipCall incoming, List<CallEvent> events) = Connect(net, alice, bob, b2bua);

        // The callee leg asks bob to refresh (refresher=uas); the caller leg leaves it to alice (refresher=uac, Require: timer).
        string invite = Between(net, b2bua.Address, bob.Address, "INVITE")[0].Text;
        Assert.That(CallTestKit.Header(invite, "Session-Expires"), Is.EqualTo("90;refresher=uas"));
        Assert.That(CallTestKit.Header(invite, "Supported"), Is.EqualTo("100rel, timer"));
        string ok = Between(net, b2bua.Address, alice.Address, "SIP/2.0 200").First(p => CallTestKit.Header(p.Text, "CSeq") == "1 INVITE").Text;
        Assert.That(CallTestKit.Header(ok, "Session-Expires"), Is.EqualTo("90;refresher=uac"));
        Assert.That(CallTestKit.Header(ok, "Require"), Is.EqualTo("timer"));
        Assert.That(call.SessionExpires, Is.EqualTo(s_ninety));
        Assert.That(incoming.SessionExpires, Is.EqualTo(s_ninety));

        net.RunFor(TimeSpan.FromMinutes(10)); // more than six session intervals
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), CallTestKit.Log(bob));
        // Both sides refreshed many times, each on its own leg: refreshes without SDP are answered by the
        // B2BUA on the leg they came from and never become a request (let alone an offer) on the other leg.
        Assert.That(Between(net, alice.Address, b2bua.Address, "UPDATE").Select(p => CallTestKit.Header(p.Text, "CSeq")).Distinct().Count(), Is.GreaterThanOrEqualTo(6));
        Assert.That(Between(net, bob.Address, b2bua.Address, "UPDATE").Select(p => CallTestKit.Header(p.Text, "CSeq")).Distinct().Count(), Is.GreaterThanOrEqualTo(6));
        Assert.That(net.Sent.Where(p => p.From.Equals(b2bua.Address) && (p.StartLine.StartsWith("UPDATE", StringComparison.Ordinal) || p.StartLine.StartsWith("INVITE", StringComparison.Ordinal))
            && CallTestKit.Header(p.Text, "To")!.Contains(";tag=", StringComparison.Ordinal)), Is.Empty);
        Assert.That(events.Count(e => e.Kind == CallEventKind.Refreshed), Is.GreaterThanOrEqualTo(6));
        Assert.That(b2bua.Events.Select(e => e.Kind), Does.Not.Contain(B2buaEventKind.Ended));
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address)))
        {
            Assert.That(B2buaRawPeer.Head(p.Text), Does.Not.Contain(call.CallId).And.Not.Contain("10.0.0.1"));
        }
    }

    [TestCase(true, 7411)]
    [TestCase(false, 7412)]
    public void ADeadSideEndsBothLegs(bool callerDies, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, 0);
        (SipCall call, SipCall incoming, _) = Connect(net, alice, bob, b2bua);
        net.RunFor(TimeSpan.FromSeconds(100));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        UaNode dead = callerDies ? alice : bob;
        UaNode alive = callerDies ? bob : alice;
        SipCall survivor = callerDies ? incoming : call;
        Isolate(net, dead.Address, b2bua.Address);
        long cut = net.Clock.NowMicros;

        net.RunFor(TimeSpan.FromSeconds(90));
        // §10: the dead side's leg expires at the B2BUA (interval minus min(32 s, a third)); both legs get BYE with the reason.
        Assert.That(survivor.State, Is.EqualTo(CallState.Terminated), CallTestKit.Log(alive));
        SimPacket bye = Between(net, b2bua.Address, alive.Address, "BYE").Single();
        Assert.That(bye.SentAt - cut, Is.LessThanOrEqualTo(90_000_000));
        Assert.That(CallTestKit.Header(bye.Text, "Reason"), Does.StartWith("SIP;cause=408"));
        Assert.That(net.Sent.Any(p => p.From.Equals(b2bua.Address) && p.To.Equals(dead.Address) && p.StartLine.StartsWith("BYE", StringComparison.Ordinal)), Is.True);
        B2buaEvent ended = b2bua.Events.Last();
        Assert.That((ended.Kind, ended.StatusCode), Is.EqualTo((B2buaEventKind.Ended, 408)));
        Assert.That(ended.Reason, Does.Contain(callerDies ? "caller leg" : "callee leg"));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [Test]
    public void A422FromTheCalleeRaisesOnlyTheCalleeLegsInterval()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7421, 0.2,
            bob: o => o with { SessionExpires = TimeSpan.FromSeconds(300), MinSessionExpires = TimeSpan.FromSeconds(300) });
        (SipCall call, SipCall incoming, _) = Connect(net, alice, bob, b2bua);
        string[] invites = Between(net, b2bua.Address, bob.Address, "INVITE").Select(p => p.Text).GroupBy(t => CallTestKit.Header(t, "CSeq")).Select(g => g.First()).ToArray();
        Assert.That(invites.Select(t => CallTestKit.Header(t, "CSeq")), Is.EqualTo(new[] { "1 INVITE", "2 INVITE" }));
        Assert.That(Between(net, bob.Address, b2bua.Address, "SIP/2.0 422"), Is.Not.Empty);
        // RFC 4028 §7.1: the retry carries the callee's Min-SE as both interval and Min-SE; same Call-ID and From tag.
        Assert.That(CallTestKit.Header(invites[1], "Session-Expires"), Is.EqualTo("300;refresher=uas"));
        Assert.That(CallTestKit.Header(invites[1], "Min-SE"), Is.EqualTo("300"));
        Assert.That(CallTestKit.Header(invites[1], "Call-ID"), Is.EqualTo(CallTestKit.Header(invites[0], "Call-ID")));
        Assert.That(incoming.SessionExpires, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(call.SessionExpires, Is.EqualTo(s_ninety), "the caller leg keeps its own interval");
        Assert.That(Between(net, b2bua.Address, alice.Address, "SIP/2.0 422"), Is.Empty);
        net.RunFor(TimeSpan.FromMinutes(8));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void ACallerIntervalBelowOurMinSeGets422AndTheRetrySucceeds()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7431, 0,
            b2bua: o => o with { SessionExpires = TimeSpan.FromSeconds(600), MinSessionExpires = TimeSpan.FromSeconds(120) });
        (SipCall call, _, _) = Connect(net, alice, bob, b2bua);
        string rejected = Between(net, b2bua.Address, alice.Address, "SIP/2.0 422").First().Text;
        Assert.That(CallTestKit.Header(rejected, "Min-SE"), Is.EqualTo("120"));
        Assert.That(call.SessionExpires, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(Between(net, b2bua.Address, bob.Address, "INVITE"), Is.Not.Empty);
    }

    [Test]
    public void WhereTheCallerAsksUsToRefreshWeDoAndASilentCallerEndsTheCall()
    {
        (SimNetwork net, UaNode _, UaNode bob, B2buaNode b2bua) = Setup(7441, 0);
        var raw = new B2buaRawPeer(net);
        bob.IncomingHook = c => c.Answer();
        raw.SendInvite(b2bua.Address, "st-1@10.0.0.3", B2buaRawPeer.Offer, "Supported: timer\r\nSession-Expires: 90;refresher=uas\r\n");
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 200").Length > 0, TimeSpan.FromSeconds(10)), Is.True);
        string ok = raw.ReceivedStarting("SIP/2.0 200")[0];
        Assert.That(CallTestKit.Header(ok, "Session-Expires"), Is.EqualTo("90;refresher=uas"));
        raw.SendInDialog(b2bua.Address, ok, weAreUac: true, "ACK", 1);

        // §7.4: we refresh at half the interval with UPDATE (no SDP), refresher=uac from our side now.
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("UPDATE").Length > 0, TimeSpan.FromSeconds(50)), Is.True);
        string update = raw.ReceivedStarting("UPDATE")[0];
        Assert.That(CallTestKit.Header(update, "Session-Expires"), Is.EqualTo("90;refresher=uac"));
        Assert.That(B2buaRawPeer.Body(update), Is.Empty);
        raw.Respond(b2bua.Address, update, 200, "OK", "", "Session-Expires: 90;refresher=uac\r\nRequire: timer\r\n");
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Active));

        // The caller stops answering: our next refresh times out (64*T1) and both legs end.
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("BYE").Length > 0, TimeSpan.FromSeconds(120)), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(raw.ReceivedStarting("UPDATE").Select(u => CallTestKit.Header(u, "CSeq")).Distinct().Count(), Is.EqualTo(2));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        Assert.That(b2bua.Events.Last().StatusCode, Is.EqualTo(408));
    }
}
