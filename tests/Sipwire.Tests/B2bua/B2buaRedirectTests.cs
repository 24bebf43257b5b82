// Redirects on the callee leg (RFC 3261 §8.1.3.4): the B2BUA follows the 3xx Contacts by q itself and hides them from the caller.
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
public sealed class B2buaRedirectTests
{
    [TestCase(0.0, 7701)]
    [TestCase(0.2, 7702)]
    public void RedirectIsFollowedByQAndFailuresMoveOnToTheNextTarget(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        var dave = new UaNode(net, "10.0.0.5:5060", "dave");
        var raw = new B2buaRawPeer(net);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{raw.HostPort}", raw.Address) });
        var perfect = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) };
        net.SetLink(b2bua.Address, raw.Address, perfect);
        net.SetLink(raw.Address, b2bua.Address, perfect);
        dave.IncomingHook = c => c.Reject(486, "Busy Here");
        carol.IncomingHook = c => c.Answer();

        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("INVITE").Length > 0, TimeSpan.FromSeconds(30)), Is.True);
        // bob forwards: carol (q=0.5) and dave (q=0.9) - dave is tried first, is busy, then carol answers.
        raw.Respond(b2bua.Address, raw.ReceivedStarting("INVITE")[0], 302, "Moved Temporarily", "",
            "Contact: <sip:carol@10.0.0.4:5060>;q=0.5, <sip:dave@10.0.0.5:5060>;q=0.9\r\n", contact: false);
        net.RunFor(TimeSpan.FromSeconds(30));

        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Active));
        Assert.That(dave.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
        string[] targets = net.Sent.Where(p => p.From.Equals(b2bua.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal))
            .Select(p => p.StartLine.Split(' ')[1]).Distinct().ToArray();
        Assert.That(targets, Is.EqualTo(new[] { $"sip:bob@{raw.HostPort}", "sip:dave@10.0.0.5:5060", "sip:carol@10.0.0.4:5060" }));
        // The offer went to every target unchanged; the caller saw neither the 302 nor any of the callee side's addresses.
        string aliceOffer = B2buaRawPeer.Body(net.Sent.First(p => p.From.Equals(alice.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).Text);
        Assert.That(B2buaRawPeer.Body(net.Sent.First(p => p.To.Equals(carol.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).Text), Is.EqualTo(aliceOffer));
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(alice.Address)))
        {
            Assert.That(p.StartLine, Does.Not.StartWith("SIP/2.0 3"));
            string head = B2buaRawPeer.Head(p.Text);
            Assert.That(head, Does.Not.Contain("10.0.0.4").And.Not.Contain("10.0.0.5").And.Not.Contain("10.0.0.3").And.Not.Contain("carol"));
        }
        Assert.That(b2bua.Events.Count(e => e.Kind == B2buaEventKind.Routing), Is.EqualTo(3));
    }

    [Test]
    public void RedirectLoopEndsWith480()
    {
        var net = new SimNetwork(7711) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var raw = new B2buaRawPeer(net);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{raw.HostPort}", raw.Address) });
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("INVITE").Length > 0, TimeSpan.FromSeconds(5)), Is.True);
        // A redirect to the target itself (and a name we do not resolve) leaves nothing new to call.
        raw.Respond(b2bua.Address, raw.ReceivedStarting("INVITE")[0], 302, "Moved Temporarily", "",
            $"Contact: <sip:bob@{raw.HostPort}>, <sip:bob@voicemail.example.test>\r\n", contact: false);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.EndStatus, Is.EqualTo(480));
        Assert.That(raw.ReceivedStarting("INVITE").Select(i => CallTestKit.Header(i, "CSeq")).Distinct().ToArray(), Is.EqualTo(new[] { "1 INVITE" }));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }
}
