// Reliable provisional responses through the B2BUA (RFC 3262): PRACK on the callee leg, reliable or plain 1xx to the caller.
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
public sealed class B2buaReliableProvisionalTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, B2buaNode B2bua) Setup(int seed, double loss, ReliableProvisionalMode alice, ReliableProvisionalMode bob)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var a = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { ReliableProvisional = alice });
        var b = new UaNode(net, "10.0.0.2:5060", "bob", o => o with { ReliableProvisional = bob });
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{b.HostPort}", b.Address) });
        return (net, a, b, b2bua);
    }

    private static SimPacket[] Between(SimNetwork net, PeerAddress from, PeerAddress to, string start) =>
        net.Sent.Where(p => p.From.Equals(from) && p.To.Equals(to) && p.StartLine.StartsWith(start, StringComparison.Ordinal)).ToArray();

    private static void AssertHidden(SimNetwork net, UaNode alice, UaNode bob, SipCall call, SipCall incoming)
    {
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address)))
        {
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain(call.CallId).And.Not.Contain(call.Dialog!.LocalTag).And.Not.Contain("10.0.0.1"));
        }
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(alice.Address)))
        {
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain(incoming.CallId).And.Not.Contain(incoming.Dialog!.LocalTag).And.Not.Contain("10.0.0.2"));
        }
    }

    [TestCase(0.0, 7301)]
    [TestCase(0.2, 7302)]
    [TestCase(0.2, 7303)]
    public void ReliableOnBothLegsEachLegPracksItsOwn(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss, ReliableProvisionalMode.Supported, ReliableProvisionalMode.Required);
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(5));
        // bob's reliable 180 is PRACKed first (RFC 3262 §3: one unacknowledged reliable 1xx at a time), then the 183 with its answer.
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.Progress(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));

        // Callee leg: we said Supported: 100rel and PRACKed bob's reliable 1xx (RAck = its RSeq and CSeq).
        Assert.That(CallTestKit.Header(Between(net, b2bua.Address, bob.Address, "INVITE")[0].Text, "Supported"), Does.Contain("100rel"));
        string bobs183 = Between(net, bob.Address, b2bua.Address, "SIP/2.0 183")[0].Text;
        SimPacket[] pracks = Between(net, b2bua.Address, bob.Address, "PRACK");
        Assert.That(pracks.Select(p => CallTestKit.Header(p.Text, "RAck")), Does.Contain(CallTestKit.Header(bobs183, "RSeq") + " 1 INVITE"));
        // Caller leg: the 183 went reliably with our own RSeq, alice PRACKed it and the B2BUA answered that PRACK itself.
        string to183 = Between(net, b2bua.Address, alice.Address, "SIP/2.0 183")[0].Text;
        Assert.That(CallTestKit.Header(to183, "Require"), Is.EqualTo("100rel"));
        Assert.That(CallTestKit.Header(to183, "RSeq"), Is.Not.Null);
        Assert.That(B2buaRawPeer.Body(to183), Is.EqualTo(B2buaRawPeer.Body(bobs183)));
        Assert.That(Between(net, alice.Address, b2bua.Address, "PRACK"), Is.Not.Empty);
        Assert.That(Between(net, b2bua.Address, alice.Address, "SIP/2.0 200").Any(p => CallTestKit.Header(p.Text, "CSeq")!.EndsWith("PRACK", StringComparison.Ordinal)), Is.True);
        string[] bobsRAcks = Between(net, bob.Address, b2bua.Address, "SIP/2.0 18").Select(p => CallTestKit.Header(p.Text, "RSeq") + " 1 INVITE").ToArray();
        Assert.That(pracks.Select(p => CallTestKit.Header(p.Text, "RAck")), Is.SubsetOf(bobsRAcks), "alice's PRACKs (our RSeq numbering) are not relayed to bob");
        CallEvent ringing = events.Last(e => e.Kind == CallEventKind.Ringing);
        Assert.That(ringing.Audio!.Remote.Port, Is.EqualTo(incoming.Negotiator.LocalRtpPort));

        Assert.That(incoming.Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        AssertHidden(net, alice, bob, call, incoming);
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [TestCase(0.0, 7311)]
    [TestCase(0.2, 7312)]
    public void CallerWithout100relGetsPlainProvisionalsAndTheSameAnswerIn200(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss, ReliableProvisionalMode.Off, ReliableProvisionalMode.Required);
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(5));
        // bob's reliable 180 is PRACKed first (RFC 3262 §3: one unacknowledged reliable 1xx at a time), then the 183 with its answer.
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.Progress(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(Between(net, b2bua.Address, bob.Address, "PRACK"), Is.Not.Empty);
        SimPacket[] to18x = Between(net, b2bua.Address, alice.Address, "SIP/2.0 18");
        Assert.That(to18x, Is.Not.Empty);
        foreach (SimPacket p in to18x)
        {
            Assert.That(CallTestKit.Header(p.Text, "Require"), Is.Null);
            Assert.That(CallTestKit.Header(p.Text, "RSeq"), Is.Null);
        }
        Assert.That(events.Last(e => e.Kind == CallEventKind.Ringing).Audio, Is.Not.Null, "early media from the plain 183");

        Assert.That(incoming.Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        string ok = Between(net, b2bua.Address, alice.Address, "SIP/2.0 200").First(p => CallTestKit.Header(p.Text, "CSeq") == "1 INVITE").Text;
        string the183 = to18x.First(p => p.StartLine.StartsWith("SIP/2.0 183", StringComparison.Ordinal)).Text;
        Assert.That(B2buaRawPeer.Body(ok), Is.EqualTo(B2buaRawPeer.Body(the183)));
        Assert.That(call.Audio!.Remote.Port, Is.EqualTo(incoming.Negotiator.LocalRtpPort));
        AssertHidden(net, alice, bob, call, incoming);
    }

    [TestCase(0.0, 7321)]
    [TestCase(0.2, 7322)]
    public void CallerRequiring100relGetsReliableProvisionalsFromAPlainCallee(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss, ReliableProvisionalMode.Required, ReliableProvisionalMode.Off);
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(CallTestKit.Header(Between(net, alice.Address, b2bua.Address, "INVITE")[0].Text, "Require"), Is.EqualTo("100rel"));
        SipCall incoming = bob.Incoming.Single();
        // RFC 3262 §3: the caller requires 100rel, so even bob's plain 180 reaches alice reliably.
        string to180 = Between(net, b2bua.Address, alice.Address, "SIP/2.0 180")[0].Text;
        Assert.That(CallTestKit.Header(to180, "Require"), Is.EqualTo("100rel"));
        Assert.That(Between(net, alice.Address, b2bua.Address, "PRACK"), Is.Not.Empty);
        Assert.That(Between(net, b2bua.Address, bob.Address, "PRACK"), Is.Empty);
        Assert.That(incoming.Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        AssertHidden(net, alice, bob, call, incoming);
    }

    [Test]
    public void CalleeTwoHundredWithoutSdpAfterReliable183GivesThe183AnswerToAPlainCaller()
    {
        var net = new SimNetwork(7331) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { ReliableProvisional = ReliableProvisionalMode.Off });
        var raw = new B2buaRawPeer(net);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{raw.HostPort}", raw.Address) });
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("INVITE").Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        string invite = raw.ReceivedStarting("INVITE")[0];
        raw.Respond(b2bua.Address, invite, 183, "Session Progress", B2buaRawPeer.Offer, "Require: 100rel\r\nRSeq: 4711\r\n");
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("PRACK").Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        string prack = raw.ReceivedStarting("PRACK")[0];
        Assert.That(CallTestKit.Header(prack, "RAck"), Is.EqualTo("4711 1 INVITE"));
        raw.Respond(b2bua.Address, prack, 200, "OK");
        // A retransmission of the same reliable 183 is neither PRACKed again by a new transaction nor relayed again.
        raw.Respond(b2bua.Address, invite, 183, "Session Progress", B2buaRawPeer.Offer, "Require: 100rel\r\nRSeq: 4711\r\n");
        net.RunFor(TimeSpan.FromSeconds(1));
        // RFC 3262 §5 / RFC 3261 §13.2.1: the answer was in the reliable 183, so the 200 may omit it.
        raw.Respond(b2bua.Address, invite, 200, "OK");
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("ACK").Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        Assert.That(call.Audio!.Remote.ToString(), Is.EqualTo("10.0.0.3:30000"));
        Assert.That(raw.ReceivedStarting("PRACK").Select(p => CallTestKit.Header(p, "Via")).Distinct().Count(), Is.EqualTo(1));
        Assert.That(net.Sent.Count(p => p.To.Equals(alice.Address) && p.StartLine.StartsWith("SIP/2.0 183", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void CallerPrackIsCheckedAndAMissingOneEndsTheSetupWith500()
    {
        (SimNetwork net, UaNode _, UaNode bob, B2buaNode b2bua) = Setup(7341, 0, ReliableProvisionalMode.Supported, ReliableProvisionalMode.Off);
        var raw = new B2buaRawPeer(net);
        raw.SendInvite(b2bua.Address, "prack-1@10.0.0.3", B2buaRawPeer.Offer, "Require: 100rel\r\n");
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 180").Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        string ringing = raw.ReceivedStarting("SIP/2.0 180")[0];
        uint rseq = uint.Parse(CallTestKit.Header(ringing, "RSeq")!, System.Globalization.CultureInfo.InvariantCulture);
        // §3: a PRACK whose RAck matches no reliable 1xx gets 481 and stops nothing.
        raw.SendInDialog(b2bua.Address, ringing, weAreUac: true, "PRACK", 2, extra: $"RAck: {rseq + 5} 1 INVITE\r\n");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(raw.ReceivedStarting("SIP/2.0 481"), Has.Length.EqualTo(1));
        Assert.That(raw.ReceivedStarting("SIP/2.0 180").Length, Is.GreaterThan(2), "still retransmitted (T1 doubling)");
        // No valid PRACK within 64*T1: 500 to the caller, the callee leg is cancelled.
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(raw.ReceivedStarting("SIP/2.0 500"), Is.Not.Empty);
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }
}
