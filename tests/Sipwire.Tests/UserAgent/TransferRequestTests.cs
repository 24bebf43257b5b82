// What a transferee and a transfer target answer to REFER and INVITE/Replaces they cannot act on (RFC 3515 §2.4.2, RFC 3891 §3, RFC 4488 §4).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class TransferRequestTests
{
    private static (SimNetwork Net, UaNode Ua, TransferRawPeer Peer) CallFromRawPeer(int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var ua = new UaNode(net, "10.0.0.1:5060", "alice");
        ua.IncomingHook = c => c.Answer();
        var peer = new TransferRawPeer(net);
        peer.CallInto(ua);
        Assert.That(ua.Incoming.Single().State, Is.EqualTo(CallState.Active));
        return (net, ua, peer);
    }

    // RFC 3515 §2.4.1/§2.4.2, RFC 3261 §8.2.2.3 and §19.1.1, RFC 4488 §4.
    [TestCase("", 400, "no Refer-To")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3>\r\nRefer-To: <sip:dave@10.0.0.4>\r\n", 400, "more than one")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3\r\n", 400, "malformed Refer-To")]
    [TestCase("Refer-To: \r\n", 400, "malformed Refer-To")]
    [TestCase("Refer-To: <sip:@@>\r\n", 400, "malformed Refer-To")]
    [TestCase("Refer-To: \"Carol <sip:carol@10.0.0.3>\r\n", 400, "malformed Refer-To")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3?Replaces=abc>\r\n", 400, "malformed Replaces")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3?Replaces=abc%3Bto-tag%3D1&Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n", 400, "malformed Replaces")]
    [TestCase("Refer-To: <http://example.test/carol>\r\n", 416, "http in Refer-To")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3;method=BYE>\r\n", 501, "method BYE")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3>\r\nRequire: frobnicate\r\n", 420, "Bad Extension")]
    [TestCase("Refer-To: <sip:carol@10.0.0.3>\r\nRefer-Sub: maybe\r\n", 400, "Refer-Sub")]
    [TestCase("Refer-To: <sip:carol@carol.example.test>\r\n", 503, "no route")]
    public void BadReferIsRefusedWithItsReasonAndTheCallStays(string headers, int status, string reasonPart)
    {
        (SimNetwork net, UaNode ua, TransferRawPeer peer) = CallFromRawPeer(801);
        SipCall call = ua.Incoming.Single();
        bool asked = false;
        call.TransferRequested += _ => asked = true;
        string response = peer.SendInDialog(ua, "REFER", headers);
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(status), response);
        Assert.That(response.Split("\r\n")[0], Does.Contain(reasonPart));
        if (status == 420) Assert.That(TransferRawPeer.Header(response, "Unsupported"), Is.EqualTo("frobnicate"));
        Assert.That(asked, Is.EqualTo(status == 503), "only a well-formed REFER reaches the application");
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(ua.Core.Calls, Has.Count.EqualTo(1), "no new call placed");
        Assert.That(peer.RequestsReceived("NOTIFY"), Is.Empty);
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(peer.SendInDialog(ua, "OPTIONS", ""), Does.StartWith("SIP/2.0 200"), "the dialog still works");
    }

    [Test]
    public void ReferAcceptedFromAPeerGetsTheTryingNotifyWithTheReferCSeqAsId()
    {
        (SimNetwork net, UaNode ua, TransferRawPeer peer) = CallFromRawPeer(811);
        var target = new BlackHole(net, "10.0.0.3:5060");
        string response = peer.SendInDialog(ua, "REFER", "Refer-To: sip:carol@10.0.0.3:5060\r\nReferred-By: <sip:raw@example.test>\r\n");
        Assert.That(response, Does.StartWith("SIP/2.0 202 Accepted\r\n"));
        string notify = peer.RequestsReceived("NOTIFY").First();
        Assert.That(TransferRawPeer.Header(notify, "Event"), Is.EqualTo("refer;id=2"));
        Assert.That(notify, Does.EndWith("\r\n\r\nSIP/2.0 100 Trying\r\n"));
        Assert.That(TransferRawPeer.Header(notify, "Subscription-State"), Is.EqualTo("active;expires=180"));
        Assert.That(TransferRawPeer.Header(notify, "Call-ID"), Is.EqualTo(peer.CallId));
        string invite = target.Received.Select(r => r.Packet.Text).First(t => t.StartsWith("INVITE sip:carol@10.0.0.3:5060 ", StringComparison.Ordinal));
        Assert.That(TransferRawPeer.Header(invite, "Referred-By"), Is.EqualTo("<sip:raw@example.test>"));
        // The target never answers: Timer B ends the new call, and the last NOTIFY says 408.
        peer.RunAnswering(TimeSpan.FromSeconds(40));
        string last = peer.RequestsReceived("NOTIFY").Last();
        Assert.That(last, Does.Contain("\r\n\r\nSIP/2.0 408 "));
        Assert.That(TransferRawPeer.Header(last, "Subscription-State"), Is.EqualTo("terminated;reason=noresource"));
    }

    [Test]
    public void EscapedLineBreaksInTheReferToNeverReachTheInvite()
    {
        (SimNetwork net, UaNode ua, TransferRawPeer peer) = CallFromRawPeer(815);
        var target = new BlackHole(net, "10.0.0.3:5060");
        string response = peer.SendInDialog(ua, "REFER",
            "Refer-To: <sip:carol@10.0.0.3:5060?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2%3Bx%3D%0D%0Aevil&Via=SIP/2.0/UDP%20evil>\r\n" +
            "Referred-By: <sip:raw@example.test>;\r\n x=1\r\n");
        Assert.That(response, Does.StartWith("SIP/2.0 202"));
        string invite = target.Received.Select(r => r.Packet.Text).First(t => t.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.That(invite, Does.Not.Contain("evil"));
        Assert.That(TransferRawPeer.Header(invite, "Replaces"), Is.EqualTo("abc@h;to-tag=1;from-tag=2"));
        Assert.That(TransferRawPeer.Header(invite, "Referred-By"), Is.EqualTo("<sip:raw@example.test>; x=1"), "folding becomes one line");
        Assert.That(invite.Split("\r\n").Count(l => l.StartsWith("Via:", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void SecondReferWhileOneRunsGets491()
    {
        (SimNetwork net, UaNode ua, TransferRawPeer peer) = CallFromRawPeer(821);
        _ = new BlackHole(net, "10.0.0.3:5060");
        Assert.That(peer.SendInDialog(ua, "REFER", "Refer-To: <sip:carol@10.0.0.3:5060>\r\n"), Does.StartWith("SIP/2.0 202"));
        Assert.That(TransferRawPeer.Status(peer.SendInDialog(ua, "REFER", "Refer-To: <sip:carol@10.0.0.3:5060>\r\n")), Is.EqualTo(491));
    }

    // RFC 3891 §3 at the transfer target.
    [TestCase("unknown-call@10.0.0.9;to-tag=abc;from-tag=def", 481)]
    [TestCase("garbage;;;", 400)]
    [TestCase("only-call-id@10.0.0.9", 400)]
    public void InviteWithReplacesThatMatchesNoDialogIsRefused(string replaces, int status)
    {
        var net = new SimNetwork(831);
        var carol = new UaNode(net, "10.0.0.3:5060", "carol");
        var peer = new TransferRawPeer(net);
        string response = peer.Invite(carol, $"Replaces: {replaces}\r\n", "new-call@10.0.0.9");
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(status), response);
        Assert.That(TransferRawPeer.Header(response, "To"), Does.Contain(";tag="));
        Assert.That(carol.Incoming, Is.Empty);
        Assert.That(carol.Core.Calls, Is.Empty);
    }

    [Test]
    public void TwoReplacesHeadersGet400()
    {
        (SimNetwork net, UaNode carol, TransferRawPeer peer) = CallFromRawPeer(841);
        Sipwire.Dialogs.Dialog d = carol.Incoming.Single().Dialog!;
        string one = $"{d.CallId};to-tag={d.LocalTag};from-tag={d.RemoteTag}";
        var other = new TransferRawPeer(net, "10.0.0.8:5060");
        string response = other.Invite(carol, $"Replaces: {one}\r\nReplaces: {one}\r\n", "new-call@10.0.0.8");
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(400));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void ReplacesEarlyOnlyOnAConfirmedDialogGets486()
    {
        (SimNetwork net, UaNode carol, TransferRawPeer peer) = CallFromRawPeer(851);
        Sipwire.Dialogs.Dialog d = carol.Incoming.Single().Dialog!;
        var other = new TransferRawPeer(net, "10.0.0.8:5060");
        string response = other.Invite(carol, $"Replaces: {d.CallId};to-tag={d.LocalTag};from-tag={d.RemoteTag};early-only\r\n", "new-call@10.0.0.8");
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(486));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Active));
        Assert.That(peer.RequestsReceived("BYE"), Is.Empty);
    }

    [Test]
    public void ReplacesOfAnEarlyDialogWeDidNotInitiateGets481AndLeavesItRinging()
    {
        var net = new SimNetwork(861);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.3:5060", "carol");
        SipCall ringing = alice.Call(carol, "carol");
        net.RunFor(TimeSpan.FromSeconds(1));
        SipCall incoming = carol.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Incoming));
        Sipwire.Dialogs.Dialog d = incoming.Dialog!;
        var peer = new TransferRawPeer(net, "10.0.0.8:5060");
        string response = peer.Invite(carol, $"Replaces: {d.CallId};to-tag={d.LocalTag};from-tag={d.RemoteTag}\r\n", "new-call@10.0.0.8");
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(481));
        Assert.That(incoming.State, Is.EqualTo(CallState.Incoming));
        Assert.That(ringing.State, Is.EqualTo(CallState.Ringing));
    }

    [Test]
    public void ReplacesOfOurOwnRingingCallAnswersTheNewOneAndCancelsTheOld()
    {
        // Call pickup shape (RFC 3891 §1): Carol's outgoing call rings at Dave; an INVITE with
        // Replaces naming that early dialog takes its place and Carol CANCELs the INVITE to Dave.
        var net = new SimNetwork(871);
        var carol = new UaNode(net, "10.0.0.3:5060", "carol");
        var dave = new UaNode(net, "10.0.0.4:5060", "dave");
        SipCall carolDave = carol.Call(dave, "dave");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(carolDave.State, Is.EqualTo(CallState.Ringing));
        Sipwire.Dialogs.Dialog daveSide = dave.Incoming.Single().Dialog!;
        var events = new System.Collections.Generic.List<TransferEvent>();
        carolDave.TransferChanged += events.Add;
        var peer = new TransferRawPeer(net, "10.0.0.8:5060");
        string response = peer.Invite(carol, $"Replaces: {daveSide.CallId};to-tag={daveSide.RemoteTag};from-tag={daveSide.LocalTag}\r\n", "pickup@10.0.0.8");
        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(200));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(events.Single().Kind, Is.EqualTo(TransferEventKind.Replaced));
        Assert.That(carolDave.State, Is.EqualTo(CallState.Terminated));
        Assert.That(carolDave.EndStatus, Is.EqualTo(487));
        Assert.That(dave.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        Assert.That(carol.Incoming.Single().ReplacedCall, Is.SameAs(carolDave));
    }
}
