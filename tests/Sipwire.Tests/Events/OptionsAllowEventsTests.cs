// OPTIONS answered by the UA lists the event packages it is a notifier for in Allow-Events (RFC 6665 §4.4.4, RFC 3265 §3.3.7).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class OptionsAllowEventsTests
{
    private static string Options(SimNetwork net, BlackHole probe, UaNode to, int n, string callId = "", string fromTag = "", string toTag = "")
    {
        callId = callId.Length > 0 ? callId : $"oae{n}@test";
        fromTag = fromTag.Length > 0 ? fromTag : $"p{n}";
        string options = $"OPTIONS sip:bob@{to.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKoae{n}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@example.test>;tag={fromTag}\r\nTo: <sip:bob@test>{(toTag.Length > 0 ? ";tag=" + toTag : "")}\r\nCall-ID: {callId}\r\nCSeq: {100 + n} OPTIONS\r\nContent-Length: 0\r\n\r\n";
        int before = probe.Received.Count;
        net.Send(probe.Address, to.Address, Encoding.ASCII.GetBytes(options));
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(probe.Received, Has.Count.EqualTo(before + 1));
        string reply = probe.Received[^1].Packet.Text;
        Assert.That(reply, Does.StartWith("SIP/2.0 200 OK\r\n"));
        return reply;
    }

    private static string[] AllowEvents(string reply)
    {
        string? value = CallTestKit.Header(reply, "Allow-Events");
        Assert.That(value, Is.Not.Null, reply);
        Assert.That(reply.Split("\r\n").Count(l => l.StartsWith("Allow-Events:", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(1));
        return value!.Split(',').Select(v => v.Trim()).ToArray();
    }

    [Test]
    public void AUaWithoutNotifiersListsOnlyRefer()
    {
        var net = new SimNetwork(3201);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var probe = new BlackHole(net, "10.0.0.3:5060");
        // RFC 3515 §2.4.4: an accepted REFER makes the UA the notifier of its implicit subscription.
        Assert.That(AllowEvents(Options(net, probe, bob, 1)), Is.EqualTo(new[] { "refer" }));
        Assert.That(bob.Core.AllowEvents, Is.EqualTo("refer"));
    }

    [Test]
    public void PackagesAppearOnlyOnceTheirNotifierIsRegistered()
    {
        var net = new SimNetwork(3202);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var probe = new BlackHole(net, "10.0.0.3:5060");
        Assert.That(AllowEvents(Options(net, probe, bob, 1)), Does.Not.Contain("presence").And.Not.Contain("ua-profile"));
        _ = new PresencePackage(bob.Core);
        Assert.That(AllowEvents(Options(net, probe, bob, 2)), Is.EquivalentTo(new[] { "refer", "presence" }));
        bob.Core.AddEventPackage(new TestEventPackage("ua-profile"));
        Assert.That(AllowEvents(Options(net, probe, bob, 3)), Is.EquivalentTo(new[] { "refer", "presence", "ua-profile" }));
    }

    [Test]
    public void OptionsInsideACallListsThemToo()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = CallTestKit.Pair(3203);
        bob.Core.AddEventPackage(new TestEventPackage());
        bob.IncomingHook = c => c.Answer();
        var probe = new BlackHole(net, "10.0.0.3:5060");
        SipCall call = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        // §11.2 in a dialog (the caller's dialog identifiers): the call answers with the same capabilities.
        Sipwire.Dialogs.Dialog d = call.Dialog!;
        string reply = Options(net, probe, bob, 1, d.CallId, d.LocalTag, d.RemoteTag);
        Assert.That(CallTestKit.ToTag(reply), Is.EqualTo(d.RemoteTag));
        Assert.That(AllowEvents(reply), Is.EqualTo(new[] { "refer", "x-test" }));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Active));
    }
}
