// Calls through the B2BUA between two UA cores over the simulated network: topology hiding, hold/resume, BYE, CANCEL, failures, SDP hook.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.B2bua;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaCallTests
{
    internal static (SimNetwork Net, UaNode Alice, UaNode Bob, B2buaNode B2bua) Setup(int seed, double loss = 0, Func<B2buaOptions, B2buaOptions>? configure = null)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        // The routing hook sends every call for bob to bob's UA; everything else is refused.
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => configure is null ? o with { Route = BobRoute(bob) } : configure(o with { Route = BobRoute(bob) }));
        return (net, alice, bob, b2bua);
    }

    private static Func<B2buaRouteRequest, B2buaRoute> BobRoute(UaNode bob) => r =>
        r.RequestUri.StartsWith("sip:bob@", StringComparison.Ordinal) ? B2buaRoute.Forward($"sip:bob@{bob.HostPort}", bob.Address) : B2buaRoute.Reject(404, "Not Found");

    internal static (SipCall Call, List<CallEvent> Events) Dial(UaNode alice, B2buaNode b2bua, string user = "bob")
    {
        var events = new List<CallEvent>();
        SipCall call = alice.Core.Invite($"sip:{user}@{RegistrarNode.Domain}", b2bua.Address);
        call.Changed += events.Add;
        return (call, events);
    }

    private static string Head(string message) => message[..message.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

    private static string Body(string message) => message[(message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    [TestCase(0.0, 7101)]
    [TestCase(0.2, 7102)]
    public void CallThroughTheB2buaHidesEachSideFromTheOther(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss);
        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));

        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        Assert.That(b2bua.Events.Select(e => e.Kind), Does.Contain(B2buaEventKind.Established));

        // What bob's side saw: nothing of alice's Call-ID, tag, Via branch, Contact or address.
        string[] toBob = net.Sent.Where(p => p.To.Equals(bob.Address)).Select(p => p.Text).ToArray();
        string[] aliceInvites = net.Sent.Where(p => p.From.Equals(alice.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).Select(p => p.Text).ToArray();
        string aliceBranch = CallTestKit.Header(aliceInvites[0], "Via")!.Split("branch=")[1].Split(';')[0];
        Assert.That(toBob, Is.Not.Empty);
        foreach (string m in toBob)
        {
            string head = Head(m);
            Assert.That(head, Does.Not.Contain(call.CallId));
            Assert.That(head, Does.Not.Contain(call.Dialog!.LocalTag));
            Assert.That(head, Does.Not.Contain(aliceBranch));
            Assert.That(head, Does.Not.Contain("10.0.0.1"));
            Assert.That(head, Does.Not.Contain("Record-Route"));
        }
        string invite = toBob.First(m => m.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.That(CallTestKit.Header(invite, "Contact"), Is.EqualTo($"<sip:b2bua@{b2bua.HostPort}>"));
        Assert.That(CallTestKit.Header(invite, "Via"), Does.StartWith($"SIP/2.0/UDP {b2bua.HostPort};"));
        // The SDP offer passes through unchanged.
        Assert.That(Body(invite), Is.EqualTo(Body(aliceInvites[0])));
        Assert.That(incoming.CallId, Is.Not.EqualTo(call.CallId));

        // And what alice's side saw: nothing of bob's.
        foreach (string m in net.Sent.Where(p => p.To.Equals(alice.Address)).Select(p => p.Text))
        {
            string head = Head(m);
            Assert.That(head, Does.Not.Contain(incoming.CallId));
            Assert.That(head, Does.Not.Contain(incoming.Dialog!.LocalTag));
            Assert.That(head, Does.Not.Contain("10.0.0.2"));
        }
        Assert.That(call.Audio!.Remote.ToString(), Is.EqualTo(incoming.Negotiator.LocalAddress + ":" + incoming.Negotiator.LocalRtpPort));

        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bob.Last(incoming).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(bob.Last(incoming).ByLocal, Is.False);
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(b2bua.B2bua.Dialogs.Count, Is.Zero);
    }

    [TestCase(true, 7111, CallModifyMethod.ReInvite)]
    [TestCase(false, 7112, CallModifyMethod.ReInvite)]
    [TestCase(true, 7113, CallModifyMethod.Update)]
    [TestCase(false, 7114, CallModifyMethod.Update)]
    public void HoldResumeAndByeFromEitherSide(bool calleeHolds, int seed, CallModifyMethod method)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, 0.1);
        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        SipCall holder = calleeHolds ? incoming : call;
        SipCall held = calleeHolds ? call : incoming;

        // RFC 3311 §5.1: UPDATE only when the peer's Allow lists it - the B2BUA's does on both legs.
        Assert.That(holder.PeerAllowsUpdate, Is.True);
        Assert.That(holder.Hold(method), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        // RFC 3264 §8.4: a=sendonly from the holder - the held side answers recvonly and sends nothing.
        Assert.That(held.Audio!.Send, Is.False, string.Join("\n", events));
        Assert.That(held.Audio.Receive, Is.True);
        Assert.That(holder.Audio!.Receive, Is.False);
        Assert.That(b2bua.Events.Count(e => e.Kind == B2buaEventKind.Modified && e.StatusCode == 200), Is.EqualTo(1));
        string relayed = method == CallModifyMethod.Update ? "UPDATE" : "INVITE";
        Assert.That(CallTestKit.Sent(net, b2bua.Address, relayed).Where(p => CallTestKit.Header(p.Text, "To")!.Contains(";tag=", StringComparison.Ordinal)).Select(p => p.To).Distinct().ToArray(), Is.EqualTo(new[] { calleeHolds ? alice.Address : bob.Address }));

        Assert.That(holder.Resume(method), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(held.Audio!.Send && held.Audio.Receive && holder.Audio!.Send && holder.Audio.Receive, Is.True);

        // The side that did not hold ends the call.
        Assert.That(held.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(holder.State, Is.EqualTo(CallState.Terminated));
        Assert.That(held.State, Is.EqualTo(CallState.Terminated));
        B2buaEvent ended = b2bua.Events.Last();
        Assert.That(ended.Kind, Is.EqualTo(B2buaEventKind.Ended));
        Assert.That(ended.From, Is.EqualTo(calleeHolds ? B2buaSide.Caller : B2buaSide.Callee));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [Test]
    public void CancelBeforeAnswerReachesTheCallee()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7121);
        (SipCall call, List<CallEvent> events) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(events.Select(e => e.Kind), Does.Contain(CallEventKind.Ringing));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(events.Last().Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(call.EndStatus, Is.EqualTo(487));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated));
        Assert.That(CallTestKit.Sent(net, b2bua.Address, "CANCEL"), Has.Length.EqualTo(1));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(b2bua.B2bua.Dialogs.Count, Is.Zero);
    }

    [TestCase(486, "Busy Here", 486)]
    [TestCase(603, "Decline", 603)]
    [TestCase(503, "Service Unavailable", 500)]
    public void CalleeFailureIsMappedToTheCaller(int calleeStatus, string reason, int expected)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7130 + calleeStatus);
        bob.IncomingHook = c => c.Reject(calleeStatus, reason);
        (SipCall call, List<CallEvent> events) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(call.EndStatus, Is.EqualTo(expected), string.Join("\n", events));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
        Assert.That(b2bua.B2bua.Dialogs.Count, Is.Zero);
    }

    [Test]
    public void SilentCalleeGives408()
    {
        var net = new SimNetwork(7141) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var hole = new BlackHole(net, "10.0.0.66:5060");
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward("sip:bob@10.0.0.66:5060", hole.Address) });
        (SipCall call, _) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(call.EndStatus, Is.EqualTo(408));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [Test]
    public void RingingTooLongIsCancelledWith408()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7142, configure: o => o with { NoAnswerTimeout = TimeSpan.FromSeconds(30) });
        (SipCall call, _) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(29));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.EndStatus, Is.EqualTo(408));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Terminated));
    }

    [Test]
    public void EarlyMediaIsRelayed()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7151);
        bob.IncomingHook = c => c.Progress();
        (SipCall call, List<CallEvent> events) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(2));
        CallEvent ringing = events.Last(e => e.Kind == CallEventKind.Ringing);
        Assert.That(ringing.StatusCode, Is.EqualTo(183));
        Assert.That(ringing.Audio, Is.Not.Null, "the 183's SDP answer reached the caller");
        Assert.That(ringing.Audio!.Remote.Port, Is.EqualTo(bob.Incoming.Single().Negotiator.LocalRtpPort));
    }

    [Test]
    public void SdpRewriteHookPutsTheRelayAddressIntoBothDirections()
    {
        var seen = new List<B2buaSide>();
        ReadOnlyMemory<byte> Relay(B2buaCall c, B2buaSide from, ReadOnlyMemory<byte> sdp)
        {
            seen.Add(from);
            string text = Encoding.UTF8.GetString(sdp.Span);
            // A media relay at 10.0.0.9 with its own ports: each side sees only the relay.
            text = text.Replace("IN IP4 10.0.0.1", "IN IP4 10.0.0.9", StringComparison.Ordinal).Replace("IN IP4 10.0.0.2", "IN IP4 10.0.0.9", StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(text);
        }
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7161, configure: o => o with { RewriteSdp = Relay });
        bob.IncomingHook = c => c.Answer();
        (SipCall call, _) = Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(call.Audio!.Remote.Address.ToString(), Is.EqualTo("10.0.0.9"));
        Assert.That(incoming.Audio!.Remote.Address.ToString(), Is.EqualTo("10.0.0.9"));
        Assert.That(seen, Does.Contain(B2buaSide.Caller).And.Contain(B2buaSide.Callee));
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address))) Assert.That(p.Text, Does.Not.Contain("10.0.0.1"));
    }

    [Test]
    public void DefaultRouteFindsTheRegisteredCallee()
    {
        var net = new SimNetwork(7171) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var b2bua = new B2buaNode(net, "10.0.0.9:5060");
        bob.Register(b2bua.Address, "bob", "builder");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(bob.RegistrationEvents.Last().Event.Kind, Is.EqualTo(RegistrationEventKind.Registered));
        bob.IncomingHook = c => c.Answer();
        (SipCall call, _) = Dial(alice, b2bua);
        (SipCall nobody, _) = Dial(alice, b2bua, "carol");
        (SipCall foreign, _) = (alice.Core.Invite("sip:bob@elsewhere.test", b2bua.Address), 0);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(nobody.EndStatus, Is.EqualTo(404));
        Assert.That(foreign.EndStatus, Is.EqualTo(404), "no open relay to other domains");
    }
}
