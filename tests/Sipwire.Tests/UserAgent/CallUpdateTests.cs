// UPDATE (RFC 3311) in early and confirmed dialogs, hold/resume through it, 491/500 on offers that cross, in virtual time.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;
using static Sipwire.Tests.UserAgent.CallTestKit;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallUpdateTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, SipCall Call, SipCall Incoming) Established(int seed, double loss = 0)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        return (net, alice, bob, call, bob.Incoming.Single());
    }

    [TestCase(0.0, 801)]
    [TestCase(0.25, 802)]
    [TestCase(0.25, 803)]
    public void HoldAndResumeByUpdateAsUac(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, SipCall call, SipCall incoming) = Established(seed, loss);
        Assert.That(call.PeerAllowsUpdate, Is.True);
        Assert.That(call.Hold(CallModifyMethod.Update), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated), Log(alice));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, false)));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((false, true)));
        Assert.That(Sent(net, alice.Address, "UPDATE").First().Text, Does.Contain("a=sendonly"));
        Assert.That(Sent(net, alice.Address, "INVITE").Select(p => Header(p.Text, "CSeq")).Distinct(), Is.EqualTo(new[] { "1 INVITE" }), "no re-INVITE");
        Assert.That(call.Resume(CallModifyMethod.Update), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, true)));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((true, true)));
        Assert.That(bob.Kinds(incoming).Count(k => k == "MediaUpdated"), Is.EqualTo(2));
        Assert.That((call.State, incoming.State), Is.EqualTo((CallState.Active, CallState.Active)));
    }

    [TestCase(0.0, 811)]
    [TestCase(0.25, 812)]
    public void HoldByUpdateAsUas(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, SipCall call, SipCall incoming) = Established(seed, loss);
        Assert.That(incoming.Hold(CallModifyMethod.Update), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bob.Last(incoming).Kind, Is.EqualTo(CallEventKind.MediaUpdated), Log(bob));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((true, false)));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((false, true)));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated));
        Assert.That(alice.Last(call).ByLocal, Is.False);
    }

    [Test]
    public void ReInviteTwoHundredIsAckedWithItsOwnCSeq()
    {
        (SimNetwork net, UaNode alice, UaNode bob, SipCall call, _) = Established(821);
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        // RFC 3261 §13.2.2.4: the ACK of a 2xx carries the CSeq number of the INVITE it acknowledges.
        Assert.That(Sent(net, alice.Address, "ACK").Select(p => Header(p.Text, "CSeq")).Distinct(), Is.EqualTo(new[] { "1 ACK", "2 ACK" }));
        // ... and the UAS stops retransmitting that 2xx once it arrives (no BYE from Timer L/64*T1).
        Assert.That(Sent(net, alice.Address, "BYE").Concat(Sent(net, bob.Address, "BYE")), Is.Empty);
        Assert.That(call.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void UpdateInTheEarlyDialogAfterReliableEarlyMedia()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(831);
        bob.IncomingHook = c => c.Progress();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing), Log(alice));
        Assert.That(call.Hold(CallModifyMethod.ReInvite), Is.False, "no re-INVITE in an early dialog");
        Assert.That(call.Hold(CallModifyMethod.Update), Is.True, "RFC 3311 §5.1: UPDATE once the early offer/answer is complete");
        net.RunFor(TimeSpan.FromSeconds(5));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Incoming));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated), Log(alice));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((false, true)));
        Assert.That(incoming.Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That((call.State, incoming.State), Is.EqualTo((CallState.Active, CallState.Active)), Log(alice));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, false)), "the UPDATE's session holds after the 200");
    }

    [Test]
    public void UpdateWithAnOfferBeforeTheInvitesOfferIsAnsweredGets500WithRetryAfter()
    {
        var net = new SimNetwork(841);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "upd500@test", "Supported: 100rel\r\nAllow: INVITE, ACK, BYE, CANCEL, UPDATE, PRACK\r\n"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string ringing = raw.Received.First(r => r.Packet.StartLine.StartsWith("SIP/2.0 180", StringComparison.Ordinal)).Packet.Text;
        Send(net, raw, bob, InDialog(bob, "UPDATE", "upd500@test", ToTag(ringing), 2, "", Offer));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        SimPacket reply = raw.Received.Last().Packet;
        // RFC 3311 §5.2: an offer of theirs we have not answered yet: 500 with Retry-After 0-10 s.
        Assert.That(reply.StartLine, Is.EqualTo("SIP/2.0 500 Server Internal Error"));
        Assert.That(int.Parse(Header(reply.Text, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0, 10));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Incoming));
    }

    [Test]
    public void UpdateWithAnOfferWhileOursIsPendingGets491()
    {
        var net = new SimNetwork(851);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "upd491@test", "Allow: INVITE, ACK, BYE, CANCEL, UPDATE\r\n"));
        bob.IncomingHook = c => c.Answer();
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string ok = raw.Received.First(r => r.Packet.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Packet.Text;
        Send(net, raw, bob, $"ACK sip:bob@{bob.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKack1\r\nMax-Forwards: 70\r\nFrom: <sip:raw@test>;tag=raw1\r\nTo: <sip:bob@test>;tag={ToTag(ok)}\r\nCall-ID: upd491@test\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        net.RunFor(TimeSpan.FromMilliseconds(50));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), Log(bob));
        Assert.That(incoming.Hold(CallModifyMethod.Update), Is.True); // the raw peer never answers it
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Send(net, raw, bob, InDialog(bob, "UPDATE", "upd491@test", ToTag(ok), 2, "", Offer));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(raw.Received.Last().Packet.StartLine, Is.EqualTo("SIP/2.0 491 Request Pending"));
        // An UPDATE without an offer (a session refresh) is no glare: 200.
        Send(net, raw, bob, InDialog(bob, "UPDATE", "upd491@test", ToTag(ok), 3, "", branch: "z9hG4bKraw3"));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(raw.Received.Last().Packet.StartLine, Is.EqualTo("SIP/2.0 200 OK"));
    }

    [Test]
    public void UpdateIsRefusedLocallyWhenThePeerDoesNotAllowIt()
    {
        var net = new SimNetwork(861);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var raw = new BlackHole(net, "10.0.0.3:5060");
        Send(net, raw, bob, Invite(bob, "noupd@test", "Allow: INVITE, ACK, BYE, CANCEL\r\n"));
        bob.IncomingHook = c => c.Answer();
        net.RunFor(TimeSpan.FromMilliseconds(50));
        string ok = raw.Received.First(r => r.Packet.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Packet.Text;
        Send(net, raw, bob, $"ACK sip:bob@{bob.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKack1\r\nMax-Forwards: 70\r\nFrom: <sip:raw@test>;tag=raw1\r\nTo: <sip:bob@test>;tag={ToTag(ok)}\r\nCall-ID: noupd@test\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        net.RunFor(TimeSpan.FromMilliseconds(50));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.PeerAllowsUpdate, Is.False);
        Assert.That(incoming.Hold(CallModifyMethod.Update), Is.False);
        Assert.That(incoming.Hold(CallModifyMethod.ReInvite), Is.True);
    }
    [Test]
    public void HoldByUpdateAcross100relAndSessionTimersKeepsTheSessionRefreshedAndOnHold()
    {
        static UserAgentOptions Both(UserAgentOptions o) => o with { ReliableProvisional = ReliableProvisionalMode.Required, SessionExpires = TimeSpan.FromSeconds(90) };
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(871, 0.1, Both, Both);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        Assert.That(Sent(net, alice.Address, "PRACK"), Is.Not.Empty);
        Assert.That(call.PeerAllowsUpdate, Is.True);
        Assert.That(call.Dialog!.State, Is.EqualTo(Sipwire.Dialogs.DialogState.Confirmed));
        Assert.That(call.Hold(CallModifyMethod.Update), Is.True);
        net.RunFor(TimeSpan.FromSeconds(200));
        // The hold UPDATE carried Session-Expires (RFC 4028 §10: any 2xx re-INVITE/UPDATE refreshes);
        // later refreshes carry no SDP and leave the hold in place.
        Assert.That((call.State, incoming.State), Is.EqualTo((CallState.Active, CallState.Active)), Log(alice) + "\n--\n" + Log(bob));
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, false)));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((false, true)));
        Assert.That(alice.Kinds(call).Count(k => k == "Refreshed"), Is.GreaterThanOrEqualTo(3));
    }
}
