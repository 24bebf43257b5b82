// 3xx redirection of outgoing calls (RFC 3261 §8.1.3.4, §21.3) against a scripted redirect server, in virtual time.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;
using static Sipwire.Tests.UserAgent.CallTestKit;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallRedirectTests
{
    [TestCase(0.0, 1001)]
    [TestCase(0.25, 1002)]
    public void A302IsFollowedToTheContactAndTheCallIsAnsweredThere(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (302, "Moved Temporarily", "Contact: <sip:carol@10.0.0.4:5060>\r\n"));
        carol.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        alice.CallEvents.Clear();
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Log(alice));
        Assert.That(alice.CallEvents.Select(e => e.Event.Kind).First(), Is.EqualTo(CallEventKind.Redirected));
        CallEvent redirected = alice.CallEvents.First().Event;
        Assert.That(redirected.StatusCode, Is.EqualTo(302));
        Assert.That(redirected.Reason, Does.Contain("sip:carol@10.0.0.4:5060"));
        SipCall incoming = carol.Incoming.Single();
        Assert.That(incoming.CallId, Is.EqualTo(call.CallId), "§8.1.3.4: the same Call-ID, From and To");
        SimPacket second = Sent(net, alice.Address, "INVITE sip:carol@10.0.0.4:5060").First();
        Assert.That(Header(second.Text, "To"), Is.EqualTo("<sip:bob@10.0.0.2:5060>"));
        Assert.That(Header(second.Text, "CSeq"), Is.EqualTo("2 INVITE"));
        Assert.That(Sent(net, alice.Address, "ACK sip:bob@10.0.0.2:5060"), Is.Not.Empty, "the 302 was ACKed by the transaction");
    }

    [Test]
    public void ContactsAreTriedByQAndAFailureMovesToTheNext()
    {
        var net = new SimNetwork(1011);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        var dave = new UaNode(net, "10.0.0.5:5060", "dave");
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (300, "Multiple Choices",
            "Contact: <sip:dave@10.0.0.5:5060>;q=0.3, <sip:carol@10.0.0.4:5060>;q=0.9\r\nContact: <tel:+15551234>\r\n"));
        carol.IncomingHook = c => c.Reject(486, "Busy Here");
        dave.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        var kinds = new System.Collections.Generic.List<CallEvent>();
        call.Changed += kinds.Add;
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", kinds));
        Assert.That(kinds.Where(e => e.Kind == CallEventKind.Redirected).Select(e => e.StatusCode), Is.EqualTo(new[] { 300, 486 }));
        CallEvent[] redirects = kinds.Where(e => e.Kind == CallEventKind.Redirected).ToArray();
        Assert.That(redirects[0].Reason, Does.Contain("carol"), "q=0.9 first");
        Assert.That(redirects[1].Reason, Does.Contain("dave"));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        Assert.That(dave.Incoming.Single().State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void ARedirectionLoopEndsTheCallWithTheStatusAndAReason()
    {
        var net = new SimNetwork(1021);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        // bob -> bob2 -> bob: the second hop points back at a URI already tried.
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", uri => uri.Contains("bob2", StringComparison.Ordinal)
            ? (301, "Moved Permanently", "Contact: <sip:bob@10.0.0.2:5060>\r\n")
            : (302, "Moved Temporarily", "Contact: <sip:bob2@10.0.0.2:5060>\r\n"));
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(redirect.RequestUris, Is.EqualTo(new[] { "sip:bob@10.0.0.2:5060", "sip:bob2@10.0.0.2:5060" }));
        Assert.That((last?.Kind, last?.StatusCode), Is.EqualTo(((CallEventKind?)CallEventKind.Ended, (int?)301)));
        Assert.That(last?.Reason, Does.Contain("loop"));
    }

    [Test]
    public void TheHopLimitStopsAnEndlessChainOfNewTargets()
    {
        var net = new SimNetwork(1031);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { MaxRedirects = 3 });
        int n = 0;
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (302, "Moved Temporarily", $"Contact: <sip:hop{++n}@10.0.0.2:5060>\r\n"));
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        CallEvent? last = null;
        int redirected = 0;
        call.Changed += e =>
        {
            last = e;
            if (e.Kind == CallEventKind.Redirected) redirected++;
        };
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(redirected, Is.EqualTo(3));
        Assert.That(redirect.RequestUris.Count, Is.EqualTo(4));
        Assert.That((last?.Kind, last?.StatusCode), Is.EqualTo(((CallEventKind?)CallEventKind.Ended, (int?)302)));
        Assert.That(last?.Reason, Does.Contain("redirection limit of 3"));
    }

    [Test]
    public void A305RepeatsTheRequestThroughTheNamedProxy()
    {
        var net = new SimNetwork(1041);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.4:5060", "bob");
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (305, "Use Proxy", "Contact: <sip:10.0.0.4:5060>\r\n"));
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        var kinds = new System.Collections.Generic.List<CallEvent>();
        call.Changed += kinds.Add;
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", kinds));
        Assert.That(kinds[0].Kind, Is.EqualTo(CallEventKind.Redirected));
        Assert.That(kinds[0].StatusCode, Is.EqualTo(305));
        // §21.3.6: the same request (same Request-URI) goes to the proxy.
        SimPacket second = Sent(net, alice.Address, "INVITE").First(p => p.To.Equals(bob.Address));
        Assert.That(second.StartLine, Is.EqualTo("INVITE sip:bob@10.0.0.2:5060 SIP/2.0"));
    }

    [Test]
    public void A380EndsTheCallWithTheAlternativeService()
    {
        var net = new SimNetwork(1051);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (380, "Alternative Service", "Contact: <sip:voicemail@10.0.0.9:5060>\r\n"));
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That((last?.Kind, last?.StatusCode), Is.EqualTo(((CallEventKind?)CallEventKind.Ended, (int?)380)));
        Assert.That(last?.Reason, Does.Contain("alternative service"));
        Assert.That(redirect.RequestUris.Count, Is.EqualTo(1));
    }

    [Test]
    public void FollowingIsOffWithMaxRedirectsZero()
    {
        var net = new SimNetwork(1061);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { MaxRedirects = 0 });
        var redirect = new CallRedirectServer(net, "10.0.0.2:5060", _ => (302, "Moved Temporarily", "Contact: <sip:carol@10.0.0.4:5060>\r\n"));
        SipCall call = alice.Core.Invite("sip:bob@10.0.0.2:5060", redirect.Address);
        CallEvent? last = null;
        call.Changed += e => last = e;
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That((last?.Kind, last?.StatusCode), Is.EqualTo(((CallEventKind?)CallEventKind.Ended, (int?)302)));
        Assert.That(redirect.RequestUris.Count, Is.EqualTo(1));
    }
}
