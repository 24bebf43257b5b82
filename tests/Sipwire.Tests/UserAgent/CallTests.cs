// Calls (RFC 3261 §13-15, RFC 3264 offer/answer) between two UA cores over the simulated network in virtual time.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sdp;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob) Pair(int seed, double loss = 0)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        return (net, new UaNode(net, "10.0.0.1:5060", "alice"), new UaNode(net, "10.0.0.2:5060", "bob"));
    }

    [Test]
    public void HangupWhenNoBYECanBeSentEndsTheCallWith503()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(611, 0.0);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        // Fill alice's transaction table with OPTIONS to an address nobody answers.
        var nowhere = Sipwire.Transport.PeerAddress.Parse(Sipwire.Transport.TransportProtocol.Udp, "10.0.0.99:5060");
        for (int i = 0; ; i++)
        {
            string options = $"OPTIONS sip:x@10.0.0.99 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKfill{i}\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:alice@example.test>;tag=f{i}\r\nTo: <sip:x@10.0.0.99>\r\nCall-ID: fill{i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            if (alice.Node.Layer.SendRequest(System.Text.Encoding.ASCII.GetBytes(options), nowhere) is null) break;
            Assert.That(i, Is.LessThan(100_000), "the transaction table is bounded");
        }
        Assert.That(call.Hangup(), Is.True);
        CallEvent last = alice.Last(call);
        Assert.That((last.Kind, last.StatusCode), Is.EqualTo((CallEventKind.Ended, 503)));
        Assert.That(last.Reason, Does.Contain("BYE could not be sent"));
    }

    [TestCase(0.0, 601)]
    [TestCase(0.25, 602)]
    [TestCase(0.25, 603)]
    public void BasicCallRingsAnswersAndEndsWithByeFromTheCaller(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", alice.CallEvents.Select(e => e.Event)));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), string.Join("\n", bob.CallEvents.Select(e => e.Event)));
        Assert.That(alice.Kinds(call), Does.Contain("Established"));
        Assert.That(call.Audio!.SendCodec, Is.EqualTo(Sipwire.Session.AudioCodec.Pcmu));
        Assert.That(call.Audio.Remote.ToString(), Is.EqualTo(incoming.Negotiator.LocalAddress + ":" + incoming.Negotiator.LocalRtpPort));
        Assert.That(incoming.Audio!.Remote.Port, Is.EqualTo(call.Negotiator.LocalRtpPort));
        Assert.That(call.CallId, Is.EqualTo(incoming.CallId));
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Last(call), Is.EqualTo(new CallEvent(CallEventKind.Ended, 0, "Hung up", true, call.Audio)));
        Assert.That(bob.Last(incoming).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(bob.Last(incoming).ByLocal, Is.False);
        Assert.That(alice.Core.Dialogs!.Count + bob.Core.Dialogs!.Count, Is.Zero);
        Assert.That(alice.Core.Calls.Count + bob.Core.Calls.Count, Is.Zero);
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [TestCase(0.0, 611)]
    [TestCase(0.2, 612)]
    public void ByeFromTheCalleeEndsBothSides(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(alice.Last(call).ByLocal, Is.False);
        Assert.That(bob.Last(incoming).ByLocal, Is.True);
    }

    [TestCase(0.0, 621)]
    [TestCase(0.25, 622)]
    public void CallerCancelsWhileRinging(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing), string.Join("\n", alice.CallEvents.Select(e => e.Event)));
        Assert.That(alice.Kinds(call), Is.EqualTo(new[] { "Ringing" }));
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(alice.Last(call).StatusCode, Is.EqualTo(487));
        Assert.That(alice.Last(call).ByLocal, Is.True);
        SipCall incoming = bob.Incoming.Single();
        Assert.That(bob.Kinds(incoming), Is.EqualTo(new[] { "Incoming", "Ended" }));
        Assert.That(bob.Last(incoming).StatusCode, Is.EqualTo(487));
        Assert.That(bob.Core.Dialogs!.Count + alice.Core.Dialogs!.Count, Is.Zero);
    }

    [Test]
    public void CalleeBusySurfaces486()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(631);
        bob.IncomingHook = c => c.Reject(486, "Busy Here");
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(alice.Last(call), Is.EqualTo(new CallEvent(CallEventKind.Ended, 486, "Busy Here", false, null)));
        Assert.That(call.EndStatus, Is.EqualTo(486));
    }

    [Test]
    public void NoAnswerFromTheNetworkSurfaces408AfterTimerB()
    {
        var net = new SimNetwork(641);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var hole = new BlackHole(net, "10.0.0.2:5060");
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", hole.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromSeconds(31));
        Assert.That(last, Is.Null);
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(last?.Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(last?.StatusCode, Is.EqualTo(408));
    }

    [TestCase(0.0, 651)]
    [TestCase(0.25, 652)]
    public void HoldAndResumeByReInvite(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated), string.Join("\n", alice.CallEvents.Select(e => e.Event)));
        // RFC 3264 §8.4: we sendonly, the peer answers recvonly: we send, it does not.
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, false)));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((false, true)));
        Assert.That(call.Resume(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, true)));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((true, true)));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        Assert.That(bob.Kinds(incoming).Count(k => k == "MediaUpdated"), Is.EqualTo(2));
    }

    [Test]
    public void MalformedAnswerSdpIsAckedThenByedWithAFailureEvent()
    {
        var net = new SimNetwork(661);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var peer = new BlackHole(net, "10.0.0.2:5060");
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", peer.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromMilliseconds(5));
        string invite = peer.Received[0].Packet.Text;
        string Header(string name) => invite.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        string body = "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio notaport RTP/AVP 0\r\n";
        string ok = "SIP/2.0 200 OK\r\n" + Header("Via") + "\r\n" + Header("From") + "\r\n" + Header("To") + ";tag=peer1\r\n" +
            Header("Call-ID") + "\r\n" + Header("CSeq") + "\r\nContact: <sip:bob@10.0.0.2:5060>\r\nContent-Type: application/sdp\r\n" +
            $"Content-Length: {body.Length}\r\n\r\n" + body;
        net.Send(peer.Address, alice.Address, Encoding.ASCII.GetBytes(ok));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string[] lines = peer.Received.Select(r => r.Packet.StartLine).ToArray();
        Assert.That(lines.Count(l => l.StartsWith("ACK sip:bob@10.0.0.2:5060", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(lines.Count(l => l.StartsWith("BYE sip:bob@10.0.0.2:5060", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(Array.FindIndex(lines, l => l.StartsWith("ACK", StringComparison.Ordinal)), Is.LessThan(Array.FindIndex(lines, l => l.StartsWith("BYE", StringComparison.Ordinal))));
        Assert.That(peer.Received.Last().Packet.Text, Does.Contain("Reason: SIP;cause=488;"));
        Assert.That(last?.Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(last?.StatusCode, Is.EqualTo(488));
        Assert.That(last?.Reason, Does.Contain("answer SDP"));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        _ = SdpError.None;
    }

    [Test]
    public void OptionsIsAnsweredWithAllowAcceptSupported()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(671);
        var probe = new BlackHole(net, "10.0.0.3:5060");
        string options = "OPTIONS sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKopt1\r\nMax-Forwards: 70\r\n" +
            "From: <sip:probe@test>;tag=p1\r\nTo: <sip:bob@test>\r\nCall-ID: opt1@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        net.Send(probe.Address, bob.Address, Encoding.ASCII.GetBytes(options));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string reply = probe.Received.Single().Packet.Text;
        Assert.That(reply, Does.StartWith("SIP/2.0 200 OK\r\n"));
        Assert.That(reply, Does.Contain("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE").And.Contain("Accept: application/sdp\r\n").And.Contain("Supported: 100rel, timer"));
        _ = alice;
    }
}
