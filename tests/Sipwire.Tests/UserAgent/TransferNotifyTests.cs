// The transferor's side of the implicit REFER subscription against a hand-written transferee, and its expiry (RFC 3515 §2.4.4-2.4.7, RFC 6665).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class TransferNotifyTests
{
    // Bob (our UA) answers a call from the raw peer, then transfers it: the raw peer is the transferee.
    private static (SimNetwork Net, UaNode Bob, TransferRawPeer Peer, SipCall Call, List<TransferEvent> Events, string ReferSeq) Referred(int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        bob.IncomingHook = c => c.Answer();
        var peer = new TransferRawPeer(net);
        peer.CallInto(bob);
        SipCall call = bob.Incoming.Single();
        var events = new List<TransferEvent>();
        call.TransferChanged += events.Add;
        Assert.That(call.Transfer("sip:carol@10.0.0.3:5060"), Is.True);
        peer.RunAnswering(TimeSpan.FromMilliseconds(200)); // 200 OK to the REFER
        string refer = peer.RequestsReceived("REFER").Single();
        Assert.That(events.Single(), Is.EqualTo(new TransferEvent(TransferEventKind.Accepted, 200, "OK", null)));
        return (net, bob, peer, call, events, TransferRawPeer.Header(refer, "CSeq").Split(' ')[0]);
    }

    private static string Notify(TransferRawPeer peer, UaNode bob, string eventHeader, string state, string? frag, string type = "message/sipfrag;version=2.0") =>
        peer.SendInDialog(bob, "NOTIFY", (eventHeader.Length > 0 ? $"Event: {eventHeader}\r\n" : "") + (state.Length > 0 ? $"Subscription-State: {state}\r\n" : ""),
            frag is null ? "" : type, frag ?? "");

    [Test]
    public void ProgressThenFailureKeepsTheCall()
    {
        (SimNetwork _, UaNode bob, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string seq) = Referred(901);
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "active;expires=60", "SIP/2.0 100 Trying\r\n"), Does.StartWith("SIP/2.0 200"));
        Assert.That(Notify(peer, bob, "refer", "active;expires=60", "SIP/2.0 180 Ringing\r\n"), Does.StartWith("SIP/2.0 200"), "id may be left out for the first REFER");
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "terminated;reason=noresource", "SIP/2.0 503 Service Unavailable\r\nRetry-After: 5\r\n"), Does.StartWith("SIP/2.0 200"));
        Assert.That(events.Skip(1), Is.EqualTo(new[]
        {
            new TransferEvent(TransferEventKind.Progress, 100, "Trying", null),
            new TransferEvent(TransferEventKind.Progress, 180, "Ringing", null),
            new TransferEvent(TransferEventKind.Failed, 503, "Service Unavailable", null),
        }));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(peer.RequestsReceived("BYE"), Is.Empty);
        // The subscription is over: a late NOTIFY finds none (RFC 6665 §4.1.3).
        Assert.That(TransferRawPeer.Status(Notify(peer, bob, "refer;id=" + seq, "terminated", "SIP/2.0 200 OK\r\n")), Is.EqualTo(481));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void SuccessNotifyHangsUpWithBye()
    {
        (SimNetwork _, UaNode bob, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string seq) = Referred(911);
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "terminated;reason=noresource", "SIP/2.0 200 OK\r\n"), Does.StartWith("SIP/2.0 200"));
        Assert.That(events.Last(), Is.EqualTo(new TransferEvent(TransferEventKind.Succeeded, 200, "OK", null)));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(peer.RequestsReceived("BYE"), Has.Length.EqualTo(1));
    }

    [TestCase("refer;id=99", "active", "SIP/2.0 100 Trying\r\n", "message/sipfrag", 481)]
    [TestCase("refer;id=x", "active", "SIP/2.0 100 Trying\r\n", "message/sipfrag", 481)]
    [TestCase("refer", "", "SIP/2.0 100 Trying\r\n", "message/sipfrag", 400)]
    [TestCase("refer", "active;expires=soon", "SIP/2.0 100 Trying\r\n", "message/sipfrag", 400)]
    [TestCase("refer", "active", "SIP/2.0 100 Trying\r\n", "text/plain", 415)]
    [TestCase("refer", "active", "HTTP/1.1 200 OK\r\n", "message/sipfrag", 400)]
    [TestCase("refer", "active", "SIP/2.0 2x0 OK\r\n", "message/sipfrag", 400)]
    [TestCase("refer", "active", "SIP/2.0 999 Nine\r\n", "message/sipfrag", 400)]
    public void BadNotifyIsRefusedAndTheTransferGoesOn(string ev, string state, string frag, string type, int status)
    {
        (SimNetwork _, UaNode bob, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string seq) = Referred(921);
        Assert.That(TransferRawPeer.Status(Notify(peer, bob, ev, state, frag, type)), Is.EqualTo(status));
        Assert.That(events, Has.Count.EqualTo(1), "nothing but Accepted");
        Assert.That(call.IsTransferring, Is.True);
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "terminated;reason=noresource", "SIP/2.0 200 OK\r\n"), Does.StartWith("SIP/2.0 200"));
        Assert.That(events.Last().Kind, Is.EqualTo(TransferEventKind.Succeeded));
    }

    [Test]
    public void NotifyOfAnotherPackageInTheCallIsNotTakenForTheTransfer()
    {
        (SimNetwork _, UaNode bob, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string _) = Referred(931);
        string response = Notify(peer, bob, "dialog", "active", null);
        Assert.That(TransferRawPeer.Status(response), Is.Not.EqualTo(200));
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(call.IsTransferring, Is.True);
    }

    [Test]
    public void TerminatedWithoutAFinalStatusFailsTheTransfer()
    {
        (SimNetwork _, UaNode bob, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string seq) = Referred(941);
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "active;expires=60", "SIP/2.0 180 Ringing\r\n"), Does.StartWith("SIP/2.0 200"));
        Assert.That(Notify(peer, bob, "refer;id=" + seq, "terminated;reason=timeout", null), Does.StartWith("SIP/2.0 200"));
        Assert.That(events.Last().Kind, Is.EqualTo(TransferEventKind.Failed));
        Assert.That(events.Last().Reason, Does.Contain("reason=timeout"));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void NoNotifyWithin64T1FailsTheTransferAndKeepsTheCall()
    {
        (SimNetwork _, UaNode _, TransferRawPeer peer, SipCall call, List<TransferEvent> events, string _) = Referred(951);
        peer.RunAnswering(TimeSpan.FromSeconds(31));
        Assert.That(events, Has.Count.EqualTo(1));
        peer.RunAnswering(TimeSpan.FromSeconds(2));
        Assert.That(events.Last().Kind, Is.EqualTo(TransferEventKind.Failed));
        Assert.That(events.Last().StatusCode, Is.EqualTo(408));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(call.IsTransferring, Is.False);
    }

    [Test]
    public void TargetRingingLongerThanTheSubscriptionEndsItWithReasonTimeout()
    {
        // Alice (transferee) keeps reporting while Carol rings; after 180 s the subscription
        // expires: a last NOTIFY, terminated;reason=timeout, and Bob reports the failure.
        var net = new SimNetwork(961) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var carol = new UaNode(net, "10.0.0.3:5060", "carol");
        bob.IncomingHook = c => c.Answer();
        SipCall aliceBob = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        SipCall bobAlice = bob.Incoming.Single();
        var events = new List<TransferEvent>();
        bobAlice.TransferChanged += events.Add;
        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(179));
        Assert.That(events.Last(), Is.EqualTo(new TransferEvent(TransferEventKind.Progress, 180, "Ringing", null)));
        net.RunFor(TimeSpan.FromSeconds(2));
        string last = net.Sent.Select(p => p.Text).Last(t => t.StartsWith("NOTIFY ", StringComparison.Ordinal));
        Assert.That(TransferRawPeer.Header(last, "Subscription-State"), Is.EqualTo("terminated;reason=timeout"));
        Assert.That(last, Does.EndWith("\r\n\r\nSIP/2.0 180 Ringing\r\n"));
        Assert.That(events.Last().Kind, Is.EqualTo(TransferEventKind.Failed));
        Assert.That(events.Last().Reason, Does.Contain("reason=timeout"));
        Assert.That((aliceBob.State, bobAlice.State), Is.EqualTo((CallState.Active, CallState.Active)));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Incoming), "the new call itself is the transferee's to end");
    }
}
