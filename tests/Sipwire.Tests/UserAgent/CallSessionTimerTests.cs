// Session timers (RFC 4028) between UA cores in virtual time: negotiation, refresh by UPDATE or re-INVITE, 422, expiry -> BYE.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;
using static Sipwire.Tests.UserAgent.CallTestKit;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallSessionTimerTests
{
    private static UserAgentOptions Short(UserAgentOptions o) => o with { SessionExpires = TimeSpan.FromSeconds(90) };

    [Test]
    public void DefaultsNegotiate1800SecondsWithTheCallerRefreshing()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(901);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        string invite = Sent(net, alice.Address, "INVITE").First().Text;
        Assert.That(Header(invite, "Session-Expires"), Is.EqualTo("1800"));
        Assert.That(Header(invite, "Min-SE"), Is.EqualTo("90"));
        Assert.That(Header(invite, "Supported"), Does.Contain("timer"));
        string ok = Sent(net, bob.Address, "SIP/2.0 200").First().Text;
        // RFC 4028 §9: the UAC supports timer and did not choose: the UAS makes it the refresher and requires timer.
        Assert.That(Header(ok, "Session-Expires"), Is.EqualTo("1800;refresher=uac"));
        Assert.That(Header(ok, "Require"), Is.EqualTo("timer"));
        SipCall incoming = bob.Incoming.Single();
        Assert.That((call.SessionExpires, call.IsRefresher), Is.EqualTo((TimeSpan.FromSeconds(1800), true)));
        Assert.That((incoming.SessionExpires, incoming.IsRefresher), Is.EqualTo((TimeSpan.FromSeconds(1800), false)));
    }

    [TestCase(0.0, 911)]
    [TestCase(0.2, 912)]
    public void TheRefresherRefreshesByUpdateAtHalfTheIntervalAndTheCallLives(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss, Short, Short);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        net.RunFor(TimeSpan.FromSeconds(400));
        Assert.That((call.State, incoming.State), Is.EqualTo((CallState.Active, CallState.Active)), Log(alice) + "\n--\n" + Log(bob));
        SimPacket[] updates = Sent(net, alice.Address, "UPDATE");
        string[] cseqs = updates.Select(p => Header(p.Text, "CSeq")!).Distinct().ToArray();
        Assert.That(cseqs.Length, Is.InRange(8, 10), "one refresh every 45 s for 400 s");
        Assert.That(updates.All(p => !p.Text.Contains("m=audio", StringComparison.Ordinal)), Is.True, "RFC 4028 §7.4: refresh UPDATEs carry no SDP");
        Assert.That(Header(updates[0].Text, "Session-Expires"), Is.EqualTo("90;refresher=uac"));
        Assert.That(alice.Kinds(call).Count(k => k == "Refreshed"), Is.EqualTo(cseqs.Length));
        Assert.That(bob.Kinds(incoming).Count(k => k == "Refreshed"), Is.EqualTo(cseqs.Length));
        Assert.That(Sent(net, bob.Address, "UPDATE"), Is.Empty, "the non-refresher sends none");
    }

    [Test]
    public void AsUasWeRefreshForACallerWithoutTimerSupportByReInviteWhenUpdateIsNotAllowed()
    {
        var net = new SimNetwork(921);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob", Short);
        var raw = new BlackHole(net, "10.0.0.3:5060");
        bob.IncomingHook = c => c.Answer();
        Send(net, raw, bob, Invite(bob, "uasref@test", "Allow: INVITE, ACK, BYE, CANCEL\r\n"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        SimPacket okPacket = raw.Received.First(r => r.Packet.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Packet;
        string ok = okPacket.Text;
        // §9: a caller without timer support cannot refresh: we do, and Require: timer is not sent.
        Assert.That(Header(ok, "Session-Expires"), Is.EqualTo("90;refresher=uas"));
        Assert.That(Header(ok, "Require"), Is.Null);
        Send(net, raw, bob, $"ACK sip:bob@{bob.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKack1\r\nMax-Forwards: 70\r\nFrom: <sip:raw@test>;tag=raw1\r\nTo: <sip:bob@test>;tag={ToTag(ok)}\r\nCall-ID: uasref@test\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        net.RunFor(TimeSpan.FromSeconds(46));
        SimPacket reinvite = raw.Received.Select(r => r.Packet).First(p => p.StartLine.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.That(reinvite.SentAt - okPacket.SentAt, Is.EqualTo(45_000_000), "half of 90 s after the 200");
        Assert.That(Header(reinvite.Text, "Session-Expires"), Is.EqualTo("90;refresher=uac"));
        Assert.That(reinvite.Text, Does.Contain("m=audio"), "a refresh re-INVITE carries the unchanged session");
        // The peer answers without Session-Expires (it knows no timers): the timer stays ours.
        Send(net, raw, bob, Response(reinvite.Text, 200, "OK", "raw1", "Contact: <sip:raw@10.0.0.3:5060>\r\n", Offer));
        net.RunFor(TimeSpan.FromSeconds(46));
        SipCall incoming = bob.Incoming.Single();
        Assert.That((incoming.State, incoming.IsRefresher), Is.EqualTo((CallState.Active, true)), Log(bob));
        Assert.That(Header(reinvite.Text, "CSeq"), Is.EqualTo("1 INVITE"), "our first request in the dialog");
        Assert.That(raw.Received.Any(r => r.Packet.StartLine.StartsWith("INVITE", StringComparison.Ordinal) && Header(r.Packet.Text, "CSeq") == "2 INVITE"), Is.True, "the next refresh");
    }

    [Test]
    public void A422RaisesSessionExpiresToTheCalleesMinSEAndTheCallGoesThrough()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(931, 0, Short, o => o with { MinSessionExpires = TimeSpan.FromSeconds(300) });
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        SimPacket reject = Sent(net, bob.Address, "SIP/2.0 422").Single();
        Assert.That(Header(reject.Text, "Min-SE"), Is.EqualTo("300"));
        SimPacket[] invites = Sent(net, alice.Address, "INVITE");
        Assert.That(invites.Select(p => (Header(p.Text, "CSeq"), Header(p.Text, "Session-Expires"), Header(p.Text, "Min-SE"))).Distinct(),
            Is.EqualTo(new[] { ("1 INVITE", "90", "90"), ("2 INVITE", "300", "300") }));
        Assert.That(Header(invites[1].Text, "Call-ID"), Is.EqualTo(Header(invites[0].Text, "Call-ID")));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        Assert.That(call.SessionExpires, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(alice.Kinds(call), Is.EqualTo(new[] { "Ringing", "Established" }));
    }

    [Test]
    public void A422WithoutMinSEEndsTheCallWithTheStatus()
    {
        var net = new SimNetwork(932);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var peer = new BlackHole(net, "10.0.0.2:5060");
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", peer.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromMilliseconds(5));
        net.Send(peer.Address, alice.Address, System.Text.Encoding.UTF8.GetBytes(Response(peer.Received[0].Packet.Text, 422, "Session Interval Too Small", "p1")));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That((last?.Kind, last?.StatusCode), Is.EqualTo(((CallEventKind?)CallEventKind.Ended, (int?)422)));
        Assert.That(last?.Reason, Does.Contain("Session Interval Too Small"));
    }

    [Test]
    public void TheCalleeByesWithReasonWhenRefreshesStop()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(941, 0, Short, Short);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        SipCall incoming = bob.Incoming.Single();
        long establishedAt = net.Clock.NowMicros;
        long okAt = Sent(net, bob.Address, "SIP/2.0 200").First().SentAt;
        // From now on nothing from Alice reaches Bob: no refresh arrives.
        net.SetLink(alice.Address, bob.Address, new LinkConditions { Loss = 1.0 });
        net.RunFor(TimeSpan.FromSeconds(120));
        SimPacket bye = Sent(net, bob.Address, "BYE").First();
        // §10: BYE at the interval minus min(32 s, interval/3) = 90 - 30 = 60 s after the 2xx.
        Assert.That(bye.SentAt - okAt, Is.EqualTo(60_000_000));
        Assert.That(Header(bye.Text, "Reason"), Does.StartWith("SIP;cause=408"));
        CallEvent end = bob.Last(incoming);
        Assert.That((end.Kind, end.StatusCode, end.ByLocal), Is.EqualTo((CallEventKind.Ended, 408, true)));
        Assert.That(end.Reason, Does.Contain("Session expired"));
        // Alice's refresh UPDATE (at 45 s) got no answer; Bob's BYE reached her at 60 s, before Timer F.
        Assert.That(Sent(net, alice.Address, "UPDATE"), Is.Not.Empty);
        Assert.That(call.State, Is.EqualTo(CallState.Terminated), Log(alice));
        Assert.That((alice.Last(call).Kind, alice.Last(call).ByLocal), Is.EqualTo((CallEventKind.Ended, false)));
        Assert.That(establishedAt, Is.GreaterThan(0));
    }

    [Test]
    public void SessionTimersOffSendsNoHeadersAndNeverExpires()
    {
        static UserAgentOptions NoTimer(UserAgentOptions o) => o with { SessionExpires = TimeSpan.Zero };
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(951, 0, NoTimer, NoTimer);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(4000));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(call.SessionExpires, Is.EqualTo(TimeSpan.Zero));
        Assert.That(net.Sent.Any(p => Header(p.Text, "Session-Expires") is not null), Is.False);
        Assert.That(Sent(net, alice.Address, "UPDATE").Length + Sent(net, bob.Address, "BYE").Length, Is.Zero);
    }

    [Test]
    public void OptionsRejectSessionIntervalsBelowTheRfcMinimum()
    {
        var o = new UserAgentOptions { LocalUri = "sip:a@test", ContactUri = "sip:a@10.0.0.1", LocalSentBy = "10.0.0.1:5060", MediaAddress = System.Net.IPAddress.Loopback };
        Assert.Throws<ArgumentException>(() => (o with { MinSessionExpires = TimeSpan.FromSeconds(89) }).Validate());
        Assert.Throws<ArgumentException>(() => (o with { SessionExpires = TimeSpan.FromSeconds(60) }).Validate());
        Assert.DoesNotThrow(() => (o with { SessionExpires = TimeSpan.Zero }).Validate());
    }
}
