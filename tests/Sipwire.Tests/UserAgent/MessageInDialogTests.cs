// MESSAGE inside a call's dialog (RFC 3428 §7): delivered like one outside with the call identified, sent by SipCall.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class MessageInDialogTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, SipCall Call, List<MessageEvent> AliceDone, List<IncomingMessage> AliceGot, List<MessageEvent> BobDone, List<IncomingMessage> BobGot)
        ActiveCall(int seed, double loss = 0)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = CallTestKit.Pair(seed, loss);
        bob.IncomingHook = c => c.Answer();
        var aliceDone = new List<MessageEvent>();
        var aliceGot = new List<IncomingMessage>();
        var bobDone = new List<MessageEvent>();
        var bobGot = new List<IncomingMessage>();
        alice.Core.MessageCompleted += aliceDone.Add;
        alice.Core.MessageReceived += aliceGot.Add;
        bob.Core.MessageCompleted += bobDone.Add;
        bob.Core.MessageReceived += bobGot.Add;
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        return (net, alice, bob, call, aliceDone, aliceGot, bobDone, bobGot);
    }

    [TestCase(0.0, 3301)]
    [TestCase(0.2, 3302)]
    [TestCase(0.2, 3303)]
    public void BothSidesSendAndReceiveWithTheCallIdentified(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, SipCall call, List<MessageEvent> aliceDone, List<IncomingMessage> aliceGot, List<MessageEvent> bobDone, List<IncomingMessage> bobGot) = ActiveCall(seed, loss);
        SipCall bobCall = bob.Incoming.Single();
        int id = call.SendMessage("text/plain;charset=UTF-8", "hello in the call"u8);
        Assert.That(id, Is.Positive);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(aliceDone.Single(), Is.EqualTo(new MessageEvent(MessageEventKind.Delivered, id, 200, "OK")));
        IncomingMessage got = bobGot.Single();
        Assert.That(got.Text, Is.EqualTo("hello in the call"));
        Assert.That(got.Call, Is.SameAs(bobCall));
        Assert.That(got.CallId, Is.EqualTo(call.CallId));
        Assert.That(got.ContentType, Is.EqualTo("text/plain;charset=UTF-8"));

        int back = bobCall.SendMessage("text/plain", "and back"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bobDone.Single().Kind, Is.EqualTo(MessageEventKind.Delivered));
        Assert.That(bobDone.Single().MessageId, Is.EqualTo(back));
        Assert.That(aliceGot.Single().Call, Is.SameAs(call));
        Assert.That(aliceGot.Single().Text, Is.EqualTo("and back"));

        // §12.2.1.1: in the dialog - the call's Call-ID, both tags, a CSeq above the INVITE's; never 501 (the old answer).
        string message = CallTestKit.Sent(net, alice.Address, "MESSAGE").Select(p => p.Text).First();
        Assert.That(CallTestKit.Header(message, "Call-ID"), Is.EqualTo(call.CallId));
        Assert.That(CallTestKit.ToTag(message), Is.EqualTo(call.Dialog!.RemoteTag));
        Assert.That(CallTestKit.Header(message, "CSeq"), Is.EqualTo("2 MESSAGE"));
        Assert.That(net.Sent.Any(p => p.StartLine.StartsWith("SIP/2.0 501", StringComparison.Ordinal)), Is.False);
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(bobCall.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void AnUnacceptedTypeGets415AndTheCallStays()
    {
        (SimNetwork net, _, _, SipCall call, List<MessageEvent> aliceDone, _, _, List<IncomingMessage> bobGot) = ActiveCall(3311);
        int id = call.SendMessage("application/x-unknown", "?"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That((aliceDone.Single().MessageId, aliceDone.Single().Kind, aliceDone.Single().StatusCode), Is.EqualTo((id, MessageEventKind.Failed, 415)));
        Assert.That(bobGot, Is.Empty);
        Assert.That(call.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void NothingIsSentOutsideAnActiveCallAndBadTypesAreRefused()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = CallTestKit.Pair(3312);
        SipCall ringing = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(ringing.State, Is.Not.EqualTo(CallState.Active));
        Assert.That(ringing.SendMessage("text/plain", "early"u8), Is.Zero);
        Assert.Throws<ArgumentException>(() => ringing.SendMessage("text\r\nX: y", "x"u8));
        Assert.That(CallTestKit.Sent(net, alice.Address, "MESSAGE"), Is.Empty);
        ringing.Hangup();
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(ringing.SendMessage("text/plain", "late"u8), Is.Zero);
    }

    [Test]
    public void AChallengeOfTheProxyOnTheRouteIsAnsweredWithTheCallsCredentials()
    {
        var net = new SimNetwork(3321) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var proxy = new CallAuthProxyNode(net, "10.0.0.9:5060", TimeSpan.FromMinutes(10));
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { Credentials = [new SipCredentials("alice", "wonderland")], OutboundProxy = "sip:10.0.0.9:5060" });
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.ChallengedSource = alice.Address;
        proxy.ChallengeStatus["MESSAGE"] = 407;
        bob.IncomingHook = c => c.Answer();
        var done = new List<MessageEvent>();
        var got = new List<IncomingMessage>();
        alice.Core.MessageCompleted += done.Add;
        bob.Core.MessageReceived += got.Add;
        SipCall call = alice.Core.Invite($"sip:bob@{bob.HostPort}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        call.SendMessage("text/plain", "through the record-routing proxy"u8);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(done.Single().Kind, Is.EqualTo(MessageEventKind.Delivered), done.Single().ToString());
        Assert.That(got.Single().Text, Is.EqualTo("through the record-routing proxy"));
        string[] messages = CallTestKit.Sent(net, alice.Address, "MESSAGE").Select(p => p.Text).Distinct().ToArray();
        Assert.That(messages, Has.Length.EqualTo(2), "challenged once, then with credentials");
        Assert.That(CallTestKit.Header(messages[1], "Proxy-Authorization"), Does.StartWith("Digest "));
        Assert.That(messages.Select(m => CallTestKit.Header(m, "Route")), Is.All.EqualTo("<sip:10.0.0.9:5060;lr>"), "the dialog's route set (Record-Route)");
        Assert.That(proxy.Challenges.Count(c => c.Method == "MESSAGE"), Is.EqualTo(1));
    }

    [Test]
    public void NoAnswerEndsTheCall()
    {
        (SimNetwork net, _, _, SipCall call, List<MessageEvent> aliceDone, _, _, _) = ActiveCall(3331);
        net.DefaultLink = new LinkConditions { Loss = 1.0 };
        int id = call.SendMessage("text/plain", "anyone?"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That((aliceDone.Single().MessageId, aliceDone.Single().StatusCode), Is.EqualTo((id, 408)));
        // RFC 3261 §12.2.1.2: no response to a request within a dialog terminates it.
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(call.EndStatus, Is.EqualTo(408));
    }
}
