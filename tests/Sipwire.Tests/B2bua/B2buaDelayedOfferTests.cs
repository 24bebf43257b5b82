// Delayed offer through the B2BUA (RFC 3261 §13.2.1, §14.2, RFC 3264 §5): offer in the callee's 2xx, answer in the caller's ACK, both directions.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.B2bua;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaDelayedOfferTests
{
    private const string Answer = "v=0\r\no=- 8 1 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 30002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static (SimNetwork Net, B2buaRawPeer Raw, UaNode Bob, B2buaNode B2bua) Setup(int seed, double bobLoss)
    {
        (SimNetwork net, _, UaNode bob, B2buaNode b2bua) = B2buaCallTests.Setup(seed);
        var lossy = new LinkConditions { Loss = bobLoss, Delay = TimeSpan.FromMilliseconds(10) };
        net.SetLink(b2bua.Address, bob.Address, lossy);
        net.SetLink(bob.Address, b2bua.Address, lossy);
        return (net, new B2buaRawPeer(net), bob, b2bua);
    }

    /// <summary>The raw caller sends an INVITE without SDP and waits for the B2BUA's 200 (which carries bob's offer).</summary>
    private static string OfferlessCall(SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua, string callId)
    {
        bob.IncomingHook = c => c.Answer();
        raw.SendInvite(b2bua.Address, callId, "");
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 200").Length > 0, TimeSpan.FromSeconds(30)), Is.True,
            string.Join("\n", b2bua.Events) + "\n" + CallTestKit.Log(bob));
        return raw.ReceivedStarting("SIP/2.0 200")[0];
    }

    private static SimPacket[] ToBob(SimNetwork net, UaNode bob, string start) =>
        net.Sent.Where(p => p.To.Equals(bob.Address) && p.StartLine.StartsWith(start, StringComparison.Ordinal)).ToArray();

    private static void AssertHidden(SimNetwork net, B2buaRawPeer raw, UaNode bob, string rawCallId, SipCall incoming)
    {
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address)))
        {
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain(rawCallId));
            Assert.That(head, Does.Not.Contain(raw.LocalTag));
            Assert.That(head, Does.Not.Contain("10.0.0.3"));
        }
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(raw.Address)))
        {
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain(incoming.CallId));
            Assert.That(head, Does.Not.Contain(incoming.Dialog!.LocalTag));
            Assert.That(head, Does.Not.Contain("10.0.0.2"));
        }
    }

    [TestCase(0.0, 7201)]
    [TestCase(0.2, 7202)]
    [TestCase(0.2, 7203)]
    public void OfferInTheCalleesTwoHundredAnswerInTheCallersAck(double bobLoss, int seed)
    {
        (SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua) = Setup(seed, bobLoss);
        string ok = OfferlessCall(net, raw, bob, b2bua, "delayed-1@10.0.0.3");
        SipCall incoming = bob.Incoming.Single();

        // The callee leg's INVITE had no offer either; bob's 200 offer reached the caller unchanged (no rewrite hook).
        string invite = ToBob(net, bob, "INVITE")[0].Text;
        Assert.That(CallTestKit.Header(invite, "Content-Length"), Is.EqualTo("0"));
        Assert.That(CallTestKit.Header(invite, "Content-Type"), Is.Null);
        string bobsOk = net.Sent.First(p => p.From.Equals(bob.Address) && p.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Text;
        Assert.That(B2buaRawPeer.Body(ok), Is.EqualTo(B2buaRawPeer.Body(bobsOk)).And.Contain("m=audio"));
        Assert.That(CallTestKit.Header(ok, "Content-Type"), Is.EqualTo("application/sdp"));
        // §13.2.1: the callee leg's ACK must carry the answer, which does not exist yet: nothing went to bob.
        Assert.That(ToBob(net, bob, "ACK"), Is.Empty);
        Assert.That(incoming.State, Is.EqualTo(CallState.Answered));

        long ackedAt = net.Clock.NowMicros;
        raw.SendInDialog(b2bua.Address, ok, weAreUac: true, "ACK", 1, Answer);
        net.RunFor(TimeSpan.FromSeconds(10));

        SimPacket[] acks = ToBob(net, bob, "ACK");
        Assert.That(acks, Is.Not.Empty);
        Assert.That(acks[0].SentAt, Is.GreaterThanOrEqualTo(ackedAt));
        Assert.That(acks.Select(a => B2buaRawPeer.Body(a.Text)).Distinct().ToArray(), Is.EqualTo(new[] { Answer }), "every ACK (also re-sent for 2xx retransmissions) carries the answer");
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), CallTestKit.Log(bob));
        Assert.That(incoming.Audio!.Remote.ToString(), Is.EqualTo("10.0.0.3:30002"));
        Assert.That(b2bua.Events.Select(e => e.Kind), Does.Contain(B2buaEventKind.Established).And.Not.Contain(B2buaEventKind.Ended));
        Assert.That(raw.ReceivedStarting("BYE"), Is.Empty);
        AssertHidden(net, raw, bob, "delayed-1@10.0.0.3", incoming);

        // bob hangs up: the caller leg gets BYE, answered by the raw peer; nothing is left behind.
        Assert.That(incoming.Hangup(), Is.True);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("BYE").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        raw.Respond(b2bua.Address, raw.ReceivedStarting("BYE")[0], 200, "OK");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(b2bua.B2bua.Dialogs.Count, Is.Zero);
    }

    [TestCase("", "no SDP answer")]
    [TestCase(Answer + "m=video 30004 RTP/AVP 96\r\n", "m= lines")]
    [TestCase("this is no sdp\r\n", "malformed")]
    public void AckWithoutAUsableAnswerAcksTheCalleeAndEndsBothLegs(string body, string why)
    {
        (SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua) = Setup(7211 + body.Length, 0.2);
        string ok = OfferlessCall(net, raw, bob, b2bua, "delayed-2@10.0.0.3");
        SipCall incoming = bob.Incoming.Single();
        raw.SendInDialog(b2bua.Address, ok, weAreUac: true, "ACK", 1, body);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("BYE").Length > 0, TimeSpan.FromSeconds(10)), Is.True);
        string bye = raw.ReceivedStarting("BYE")[0];
        raw.Respond(b2bua.Address, bye, 200, "OK");
        net.RunFor(TimeSpan.FromSeconds(40));

        // §13.2.2.4: the callee's 2xx is ACKed (without answer) before its BYE; both BYEs say why (RFC 3326).
        Assert.That(CallTestKit.Header(bye, "Reason"), Does.StartWith("SIP;cause=488").And.Contain(why));
        SimPacket ack = ToBob(net, bob, "ACK")[0];
        SimPacket byeToBob = ToBob(net, bob, "BYE")[0];
        Assert.That(CallTestKit.Header(ack.Text, "Content-Length"), Is.EqualTo("0"));
        Assert.That(ack.SentAt, Is.LessThanOrEqualTo(byeToBob.SentAt));
        Assert.That(CallTestKit.Header(byeToBob.Text, "Reason"), Does.StartWith("SIP;cause=488"));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated), CallTestKit.Log(bob));
        B2buaEvent ended = b2bua.Events.Last();
        Assert.That((ended.Kind, ended.StatusCode), Is.EqualTo((B2buaEventKind.Ended, 488)));
        Assert.That(ended.Reason, Does.Contain(why));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(b2bua.B2bua.Dialogs.Count, Is.Zero);
    }

    [Test]
    public void CallerThatNeverAcksIsByedAndTheCalleeAckedFirst()
    {
        (SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua) = Setup(7221, 0);
        string ok = OfferlessCall(net, raw, bob, b2bua, "delayed-3@10.0.0.3");
        net.RunFor(TimeSpan.FromSeconds(20));
        // §13.3.1.4: the 2xx is retransmitted to the caller (T1 doubling to T2) while no ACK comes.
        Assert.That(raw.ReceivedStarting("SIP/2.0 200").Length, Is.GreaterThan(5));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Answered));
        net.RunFor(TimeSpan.FromSeconds(40));
        // After 64*T1 the caller leg gets BYE; the callee leg is ACKed then BYEd.
        Assert.That(raw.ReceivedStarting("BYE"), Is.Not.Empty);
        Assert.That(ToBob(net, bob, "ACK"), Is.Not.Empty);
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(ok, Does.Contain("m=audio"));
    }

    [TestCase(0.0, 7231)]
    [TestCase(0.2, 7232)]
    public void OfferlessReInviteFromTheCallerIsBridged(double bobLoss, int seed)
    {
        (SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua) = Setup(seed, bobLoss);
        bob.IncomingHook = c => c.Answer();
        raw.SendInvite(b2bua.Address, "reinv-1@10.0.0.3", B2buaRawPeer.Offer);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 200").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        string ok = raw.ReceivedStarting("SIP/2.0 200")[0];
        raw.SendInDialog(b2bua.Address, ok, weAreUac: true, "ACK", 1);
        net.RunFor(TimeSpan.FromSeconds(5));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        int okCount = raw.ReceivedStarting("SIP/2.0 200").Length;
        int acksBefore = ToBob(net, bob, "ACK").Length;

        // §14.2: a re-INVITE without SDP (a refresh, or asking for the peer's current session).
        raw.SendInDialog(b2bua.Address, ok, weAreUac: true, "INVITE", 2);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 200").Any(m => CallTestKit.Header(m, "CSeq") == "2 INVITE"), TimeSpan.FromSeconds(30)), Is.True);
        string reOk = raw.ReceivedStarting("SIP/2.0 200").First(m => CallTestKit.Header(m, "CSeq") == "2 INVITE");
        Assert.That(raw.ReceivedStarting("SIP/2.0 200").Length, Is.GreaterThan(okCount));
        string reInvite = ToBob(net, bob, "INVITE").Last().Text;
        Assert.That(CallTestKit.Header(reInvite, "Content-Length"), Is.EqualTo("0"), "not turned into an offer on the other leg");
        Assert.That(B2buaRawPeer.Body(reOk), Does.Contain("m=audio"), "bob's offer came back in the 200");
        Assert.That(ToBob(net, bob, "ACK"), Has.Length.EqualTo(acksBefore), "the callee's ACK waits for the answer");

        const string held = "v=0\r\no=- 8 2 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 30002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=recvonly\r\n";
        raw.SendInDialog(b2bua.Address, reOk, weAreUac: true, "ACK", 2, held);
        net.RunFor(TimeSpan.FromSeconds(10));
        SimPacket ack = ToBob(net, bob, "ACK").Skip(acksBefore).First();
        Assert.That(B2buaRawPeer.Body(ack.Text), Is.EqualTo(held));
        Assert.That(bob.Kinds(incoming), Does.Contain(nameof(CallEventKind.MediaUpdated)), CallTestKit.Log(bob));
        // RFC 3264 §6.1: the answer said recvonly, so bob now only sends.
        Assert.That(incoming.Audio!.Receive, Is.False);
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        AssertHidden(net, raw, bob, "reinv-1@10.0.0.3", incoming);
    }

    [Test]
    public void OfferlessReInviteFromTheCalleeIsBridgedToOurUa()
    {
        var net = new SimNetwork(7241) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var raw = new B2buaRawPeer(net);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{raw.HostPort}", raw.Address) });
        var lossy = new LinkConditions { Loss = 0.2, Delay = TimeSpan.FromMilliseconds(10) };
        net.SetLink(b2bua.Address, alice.Address, lossy);
        net.SetLink(alice.Address, b2bua.Address, lossy);
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("INVITE").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        string invite = raw.ReceivedStarting("INVITE")[0];
        raw.Respond(b2bua.Address, invite, 200, "OK", B2buaRawPeer.Offer);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("ACK").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));

        // The callee side asks for an offer; our UA (alice) makes it in its 200, the answer returns in the ACK.
        raw.SendInDialog(b2bua.Address, invite, weAreUac: false, "INVITE", 1);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 200").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        string reOk = raw.ReceivedStarting("SIP/2.0 200")[0];
        Assert.That(B2buaRawPeer.Body(reOk), Does.Contain("m=audio").And.Contain("10.0.0.1"));
        const string sendonly = "v=0\r\no=- 7 2 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n";
        raw.SendInDialog(b2bua.Address, reOk, weAreUac: true, "ACK", 1, sendonly);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(events.Select(e => e.Kind), Does.Contain(CallEventKind.MediaUpdated));
        Assert.That(call.Audio!.Send, Is.False, "the answer (sendonly from the callee) reached alice in the ACK");
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(alice.Address)))
        {
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain("10.0.0.3"));
            Assert.That(head, Does.Not.Contain(raw.LocalTag));
        }
    }

    [Test]
    public void NonSdpBodyIsRefusedWith415()
    {
        (SimNetwork net, B2buaRawPeer raw, UaNode bob, B2buaNode b2bua) = Setup(7251, 0);
        raw.Send(b2bua.Address, $"INVITE sip:bob@{RegistrarNode.Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {raw.HostPort};branch=z9hG4bKtxt\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:raw@{RegistrarNode.Domain}>;tag=t1\r\nTo: <sip:bob@{RegistrarNode.Domain}>\r\nCall-ID: text@10.0.0.3\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:raw@{raw.HostPort}>\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        net.RunFor(TimeSpan.FromSeconds(1));
        string answer = raw.Received.First(m => !m.StartsWith("SIP/2.0 100", StringComparison.Ordinal));
        Assert.That(answer, Does.StartWith("SIP/2.0 415 "));
        Assert.That(CallTestKit.Header(answer, "Accept"), Is.EqualTo("application/sdp"));
        Assert.That(bob.Incoming, Is.Empty);
    }
}
