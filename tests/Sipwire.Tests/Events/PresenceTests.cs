// The presence package (RFC 3856) end to end: a watcher subscribes to a UA's PresencePackage and reads PIDF from NOTIFYs.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class PresenceTests
{
    [TestCase(0.0, 1201)]
    [TestCase(0.2, 1202)]
    public void WatcherSeesEveryStateChange(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var pa = new PresencePackage(bob.Core);
        string bobUri = $"sip:bob@{bob.HostPort}";
        Subscription s = alice.Core.Subscribe(new SubscriptionOptions { TargetUri = bobUri, Destination = bob.Address, Event = "presence", Accept = [PidfDocument.ContentType] });
        var seen = new List<PidfDocument>();
        s.Changed += e =>
        {
            if (e.Kind != SubscriptionEventKind.Notified || e.Body.IsEmpty) return;
            Assert.That(e.ContentType, Is.EqualTo(PidfDocument.ContentType));
            Assert.That(PidfDocument.TryParse(e.Body.Span, out PidfDocument? d, out string error), Is.True, error);
            seen.Add(d!);
        };
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(seen.Single(), Is.EqualTo(new PidfDocument { Entity = bobUri }), "nothing known yet: no tuples");
        var open = new PidfDocument { Entity = bobUri, Tuples = [new PidfTuple { Id = "ph", Basic = PresenceBasic.Open, Contact = bobUri, Notes = [new PidfNote("at my desk", "en")] }] };
        Assert.That(pa.SetState(bobUri, open), Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(30));
        var closed = open with { Tuples = [open.Tuples[0] with { Basic = PresenceBasic.Closed }] };
        pa.SetState(bobUri, closed);
        pa.SetState("sip:nobody@example.test", open); // another presentity: no watcher
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(seen.Skip(1), Is.EqualTo(new[] { open, closed }));
    }

    [Test]
    public void PolicyPendingThenAllowed()
    {
        var net = new SimNetwork(1203) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var pa = new PresencePackage(bob.Core, _ => SubscriptionDecision.Pending);
        Subscription s = alice.Core.Subscribe(new SubscriptionOptions { TargetUri = $"sip:bob@{bob.HostPort}", Destination = bob.Address, Event = "presence" });
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Pending));
        Assert.That(s.LastBody, Is.Null, "a pending watcher learns nothing");
        bob.Core.NotifierSubscriptions.Single().Activate();
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active));
        Assert.That(PidfDocument.TryParse(s.LastBody!.Content.Span, out _, out _), Is.True);
        Assert.That(pa.Name, Is.EqualTo("presence"));
    }
}
