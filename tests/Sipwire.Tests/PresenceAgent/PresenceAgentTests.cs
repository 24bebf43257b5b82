// The presence agent (RFC 3856, RFC 3903) over the simulated network: UAs publish and watch through the UA's PUBLISH/SUBSCRIBE clients.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.PresenceAgent;

[TestFixture]
public sealed class PresenceAgentTests
{
    private const string Alice = "sip:alice@example.test";
    private const string Bob = "sip:bob@example.test";
    private const string Carol = "sip:carol@example.test";

    private static readonly PidfDocument s_neutral = new() { Entity = Alice, Tuples = [new PidfTuple { Id = "neutral", Basic = PresenceBasic.Closed }] };

    private static PidfDocument Doc(PresenceBasic basic, string note, string id = "t1") => new()
    {
        Entity = Alice,
        Tuples = [new PidfTuple { Id = id, Basic = basic, Contact = "sip:alice@10.0.0.1:5060", Notes = [new PidfNote(note)] }],
    };

    private static EventBody Body(PidfDocument d) => new(PidfDocument.ContentType, d.ToXml());

    private static (Publication P, List<PublicationEvent> Events) Publish(UaNode ua, PresenceServerNode server, PidfDocument doc, int expires = 600, string password = "wonderland", string presentity = Alice, string? user = null)
    {
        Publication p = ua.Core.Publish(new PublicationOptions
        {
            TargetUri = presentity,
            Destination = server.Address,
            Expires = expires,
            Credentials = [new SipCredentials(user ?? presentity[4..presentity.IndexOf('@', StringComparison.Ordinal)], password)],
        }, Body(doc));
        var events = new List<PublicationEvent>();
        p.Changed += events.Add;
        return (p, events);
    }

    private sealed class Watch
    {
        public required Subscription Subscription { get; init; }

        public List<PidfDocument> Seen { get; } = [];

        public List<SubscriptionEvent> Events { get; } = [];
    }

    private static Watch Subscribe(UaNode watcher, PresenceServerNode server, string user, string password, string presentity = Alice)
    {
        Subscription s = watcher.Core.Subscribe(new SubscriptionOptions
        {
            TargetUri = presentity,
            Destination = server.Address,
            Event = "presence",
            Accept = [PidfDocument.ContentType],
            Credentials = [new SipCredentials(user, password)],
        });
        var w = new Watch { Subscription = s };
        s.Changed += e =>
        {
            w.Events.Add(e);
            if (e.Kind != SubscriptionEventKind.Notified || e.Body.IsEmpty) return;
            Assert.That(e.ContentType, Is.EqualTo(PidfDocument.ContentType));
            Assert.That(PidfDocument.TryParse(e.Body.Span, out PidfDocument? d, out string error), Is.True, error);
            w.Seen.Add(d!);
        };
        return w;
    }

    private static SimNetwork Net(int seed, double loss = 0) =>
        new(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };

    [TestCase(0.0, 6101)]
    [TestCase(0.2, 6102)]
    [TestCase(0.2, 6103)]
    public void PublishModifyRefreshRemoveReachTheWatcher(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        server.Server.Agent.AllowWatcher(Alice, Bob);
        Watch w = Subscribe(bob, server, "bob", "builder");
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(w.Subscription.State, Is.EqualTo(SubscriptionState.Active), string.Join("\n", server.Log));
        // RFC 3903 §6 / RFC 3856: nothing published yet: the neutral document says "closed".
        Assert.That(w.Seen, Is.EqualTo(new[] { s_neutral }));

        (Publication p, List<PublicationEvent> events) = Publish(alice, server, Doc(PresenceBasic.Open, "at my desk"), expires: 120);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(p.IsPublished, Is.True, string.Join("\n", events.Concat(server.Log.Select(l => (object)l))));
        Assert.That(server.Answers("PUBLISH"), Does.Contain(401), "digest: the first PUBLISH is challenged");
        Assert.That(w.Seen.Last(), Is.EqualTo(Doc(PresenceBasic.Open, "at my desk")));
        Assert.That(server.Server.Agent.Compositor.PublicationsOf(Alice).Single().EntityTag, Is.EqualTo(p.ETag));

        // §4.4 modify: the watcher sees the new state.
        string before = p.ETag!;
        Assert.That(p.Modify(Body(Doc(PresenceBasic.Closed, "away"))), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(p.ETag, Is.Not.EqualTo(before), "§6 step 8: a new entity-tag for every successful PUBLISH");
        Assert.That(w.Seen.Last(), Is.EqualTo(Doc(PresenceBasic.Closed, "away")));

        // §4.3 refresh (no body): new entity-tag, the state is unchanged, so no NOTIFY.
        int seen = w.Seen.Count;
        string modified = p.ETag!;
        net.RunFor(TimeSpan.FromSeconds(150));
        Assert.That(p.ETag, Is.Not.EqualTo(modified));
        Assert.That(server.Server.Agent.Compositor.PublicationsOf(Alice).Single().EntityTag, Is.EqualTo(p.ETag));
        Assert.That(w.Seen, Has.Count.EqualTo(seen));

        // §4.5 remove: the composed state goes back to neutral.
        Assert.That(p.Remove(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(events.Last().Kind, Is.EqualTo(PublicationEventKind.Removed), string.Join("\n", events));
        Assert.That(server.Server.Agent.Compositor.Count, Is.Zero);
        Assert.That(w.Seen.Last(), Is.EqualTo(s_neutral));
    }

    [Test]
    public void TwoDevicesOfOnePresentityAreComposedWithUniqueTupleIds()
    {
        SimNetwork net = Net(6104);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var phone = new UaNode(net, "10.0.0.1:5060", "alice");
        var softphone = new UaNode(net, "10.0.0.3:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        server.Server.Agent.AllowWatcher(Alice, Bob);
        Watch w = Subscribe(bob, server, "bob", "builder");
        Publish(phone, server, Doc(PresenceBasic.Open, "desk phone"));
        net.RunFor(TimeSpan.FromSeconds(5));
        Publish(softphone, server, Doc(PresenceBasic.Closed, "laptop asleep"));
        net.RunFor(TimeSpan.FromSeconds(5));
        PidfDocument last = w.Seen.Last();
        // RFC 3863 §4.1.4: both said "t1"; the composed document keeps both tuples with distinct ids.
        Assert.That(last.Tuples.Select(t => t.Id), Is.EqualTo(new[] { "t1", "t1-2" }));
        Assert.That(last.Tuples.Select(t => t.Notes[0].Text), Is.EqualTo(new[] { "desk phone", "laptop asleep" }));
        Assert.That(last.Entity, Is.EqualTo(Alice));
    }

    [Test]
    public void LostEntityTagGets412AndThePublisherStartsAgain()
    {
        SimNetwork net = Net(6105);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        (Publication p, _) = Publish(alice, server, Doc(PresenceBasic.Open, "here"), expires: 100);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(p.IsPublished, Is.True);
        // The compositor forgets the publication (a restart); the refresh's SIP-If-Match is unknown.
        server.Server.Agent.Compositor.Remove(server.Server.Agent.Compositor.PublicationsOf(Alice).Single());
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(server.Answers("PUBLISH"), Does.Contain(412), string.Join("\n", server.Log));
        Assert.That(p.IsPublished, Is.True, "RFC 3903 §4.3: after 412 the publisher publishes its state from scratch");
        Assert.That(server.Server.Agent.Compositor.PublicationsOf(Alice).Single().EntityTag, Is.EqualTo(p.ETag));
    }

    [Test]
    public void ExpiredPublicationLeavesTheWatcherWithClosed()
    {
        SimNetwork net = Net(6106);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        server.Server.Agent.AllowWatcher(Alice, Bob);
        Watch w = Subscribe(bob, server, "bob", "builder");
        Publish(alice, server, Doc(PresenceBasic.Open, "here"), expires: 120);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(w.Seen.Last(), Is.EqualTo(Doc(PresenceBasic.Open, "here")));
        alice.Node.FailSends = true; // the phone loses power: no refresh
        net.RunFor(TimeSpan.FromSeconds(100));
        Assert.That(w.Seen.Last(), Is.EqualTo(Doc(PresenceBasic.Open, "here")), "not before the 120 s granted");
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(server.Server.Agent.Compositor.Count, Is.Zero);
        Assert.That(w.Seen.Last(), Is.EqualTo(s_neutral), "RFC 3903 §6: expired state is gone from the composition");
    }

    [Test]
    public void ShortPublicationGets423AndIsRetriedWithMinExpires()
    {
        SimNetwork net = Net(6107);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        (Publication p, List<PublicationEvent> events) = Publish(alice, server, Doc(PresenceBasic.Open, "here"), expires: 10);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(server.Answers("PUBLISH"), Does.Contain(423));
        Assert.That(p.IsPublished, Is.True, string.Join("\n", events));
        Assert.That(events.Last().ExpiresSeconds, Is.EqualTo(60));
    }

    [Test]
    public void UnknownWatcherIsPendingUntilAllowedThenRemovedWithRejected()
    {
        SimNetwork net = Net(6108);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        Publish(alice, server, Doc(PresenceBasic.Open, "here"));
        Watch w = Subscribe(carol, server, "carol", "christmas");
        net.RunFor(TimeSpan.FromSeconds(5));
        // RFC 6665 §4.2.1.1: pending: 200, a NOTIFY "pending" without the presentity's state.
        Assert.That(w.Subscription.State, Is.EqualTo(SubscriptionState.Pending), string.Join("\n", server.Log));
        Assert.That(w.Seen, Is.Empty);
        Assert.That(server.Server.Agent.AllowWatcher(Alice, Carol), Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(w.Subscription.State, Is.EqualTo(SubscriptionState.Active));
        Assert.That(w.Seen.Single(), Is.EqualTo(Doc(PresenceBasic.Open, "here")));
        Assert.That(server.Server.Agent.RemoveWatcher(Alice, Carol), Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(w.Subscription.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(w.Events.Any(e => e.Kind == SubscriptionEventKind.Notified && e.Reason == "rejected"), Is.True, string.Join("\n", w.Events));
        Assert.That(carol.Core.Subscriptions, Is.Empty, "§4.1.3: rejected is not retried");
    }

    [Test]
    public void UnknownWatcherIsRefusedWith403UnderTheRejectPolicy()
    {
        SimNetwork net = Net(6109);
        var server = new PresenceServerNode(net, "10.0.0.5:5060", unknown: UnknownWatcherPolicy.Reject);
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        server.Server.Agent.AllowWatcher(Alice, Bob);
        Watch refused = Subscribe(carol, server, "carol", "christmas");
        Watch allowed = Subscribe(bob, server, "bob", "builder");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(refused.Subscription.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(refused.Events.Last().StatusCode, Is.EqualTo(403));
        Assert.That(refused.Seen, Is.Empty);
        Assert.That(allowed.Subscription.State, Is.EqualTo(SubscriptionState.Active));
        Assert.That(allowed.Seen.Single(), Is.EqualTo(s_neutral));
    }

    [Test]
    public void WatchersAndPublishersMustAuthenticateAsThemselves()
    {
        SimNetwork net = Net(6110);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var carol = new UaNode(net, "10.0.0.4:5060", "carol");
        var mallory = new UaNode(net, "10.0.0.6:5060", "bob");
        server.Server.Agent.AllowWatcher(Alice, Bob);
        Watch wrongPassword = Subscribe(mallory, server, "bob", "not-the-password");
        // Carol's credentials, From bob (an allowed watcher): the From must be the authenticated user.
        Watch borrowed = Subscribe(mallory, server, "carol", "christmas");
        (Publication forged, _) = Publish(carol, server, Doc(PresenceBasic.Closed, "forged"), password: "christmas", user: "carol");
        (Publication wrong, _) = Publish(alice, server, Doc(PresenceBasic.Open, "x"), password: "guess");
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(wrongPassword.Subscription.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(wrongPassword.Events.Last().StatusCode, Is.EqualTo(401));
        Assert.That(borrowed.Subscription.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(borrowed.Events.Last().StatusCode, Is.EqualTo(403));
        Assert.That(forged.IsPublished, Is.False, "carol authenticated as herself may not publish for alice");
        Assert.That(wrong.IsPublished, Is.False);
        Assert.That(server.Answers("PUBLISH"), Does.Contain(403));
        Assert.That(server.Server.Agent.Compositor.Count, Is.Zero);
        Assert.That(server.Server.Core.NotifierSubscriptions, Is.Empty);
    }
}
