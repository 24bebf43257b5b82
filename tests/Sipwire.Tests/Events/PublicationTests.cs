// PUBLISH (RFC 3903) against a small ESC over the simulated network: ETag flow, refresh, modify, 412 re-publish, remove, auth, failures.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class PublicationTests
{
    private static EventBody Pidf(PresenceBasic basic, string note) => new(PidfDocument.ContentType, new PidfDocument
    {
        Entity = "sip:alice@example.test",
        Tuples = [new PidfTuple { Id = "t1", Basic = basic, Contact = "sip:alice@10.0.0.1:5060", Notes = [new PidfNote(note)] }],
    }.ToXml());

    private static (Publication P, List<PublicationEvent> Events) Publish(UaNode ua, PeerAddress to, EventBody body, int expires = 600, IReadOnlyList<SipCredentials>? credentials = null)
    {
        Publication p = ua.Core.Publish(new PublicationOptions { TargetUri = "sip:alice@example.test", Destination = to, Expires = expires, Credentials = credentials ?? [] }, body);
        var events = new List<PublicationEvent>();
        p.Changed += events.Add;
        return (p, events);
    }

    [TestCase(0.0, 1101)]
    [TestCase(0.2, 1102)]
    [TestCase(0.2, 1103)]
    public void InitialRefreshModifyRemove(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var esc = new EscNode(net, "10.0.0.5:5060");
        (Publication p, List<PublicationEvent> events) = Publish(alice, esc.Address, Pidf(PresenceBasic.Open, "here"), expires: 120);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(p.IsPublished, Is.True, string.Join("\n", events));
        Assert.That(events[0], Is.EqualTo(new PublicationEvent(PublicationEventKind.Published, 200, "OK", p.ETag!, 120)));
        Assert.That(esc.Log[0].IfMatch, Is.Empty);
        Assert.That(PidfDocument.TryParse(Encoding.UTF8.GetBytes(esc.States[p.ETag!]), out PidfDocument? published, out _), Is.True);
        Assert.That(published!.Tuples[0].Notes[0].Text, Is.EqualTo("here"));
        // §4.3: refreshed before 120 s with SIP-If-Match and no body; the ESC's new entity-tag is kept.
        string before = p.ETag!;
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(esc.Log.Any(l => l.IfMatch == before && l.Body.Length == 0 && l.Status == 200), Is.True);
        Assert.That(p.ETag, Is.Not.EqualTo(before));
        // §4.4: modify carries If-Match and the new body.
        string current = p.ETag!;
        Assert.That(p.Modify(Pidf(PresenceBasic.Closed, "away")), Is.True);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(esc.Log.Any(l => l.IfMatch == current && l.Body.Contains("away", StringComparison.Ordinal)), Is.True);
        Assert.That(esc.States[p.ETag!], Does.Contain("<basic>closed</basic>"));
        net.RunFor(TimeSpan.FromSeconds(600));
        Assert.That(p.IsPublished, Is.True);
        Assert.That(esc.States, Has.Count.EqualTo(1));
        // §4.5: removal: If-Match, Expires 0.
        Assert.That(p.Remove(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(events.Last().Kind, Is.EqualTo(PublicationEventKind.Removed), string.Join("\n", events));
        Assert.That(esc.States, Is.Empty);
        Assert.That(alice.Core.Publications, Is.Empty);
        Assert.That(p.Modify(Pidf(PresenceBasic.Open, "x")), Is.False);
    }

    [Test]
    public void LostEntityTagGets412AndIsPublishedAgainFromScratch()
    {
        var net = new SimNetwork(1104) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var esc = new EscNode(net, "10.0.0.5:5060");
        (Publication p, List<PublicationEvent> events) = Publish(alice, esc.Address, Pidf(PresenceBasic.Open, "here"), expires: 100);
        net.RunFor(TimeSpan.FromSeconds(5));
        esc.States.Clear(); // the ESC restarted
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(esc.Log.Select(l => l.Status), Is.EqualTo(new[] { 200, 412, 200 }));
        Assert.That(esc.Log[2].IfMatch, Is.Empty, "RFC 3903 §6: after 412, an initial PUBLISH");
        Assert.That(esc.Log[2].Body, Does.Contain("here"));
        Assert.That(p.IsPublished, Is.True);
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { PublicationEventKind.Published, PublicationEventKind.Published }));
    }

    [Test]
    public void ModifyWhileInFlightSendsTheLatestAfterTheAnswer()
    {
        var net = new SimNetwork(1105) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var esc = new EscNode(net, "10.0.0.5:5060");
        (Publication p, _) = Publish(alice, esc.Address, Pidf(PresenceBasic.Open, "one"));
        p.Modify(Pidf(PresenceBasic.Open, "two"));
        p.Modify(Pidf(PresenceBasic.Open, "three"));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(esc.Log, Has.Count.EqualTo(2));
        Assert.That(esc.Log[1].IfMatch, Is.EqualTo("e1"));
        Assert.That(esc.States[p.ETag!], Does.Contain("three"));
    }

    [TestCase(false, 1106)]
    [TestCase(true, 1107)]
    public void DigestIsAnsweredAndMissingETagFails(bool proxy, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var server = new ChallengingServerNode(net, "10.0.0.9:5060", proxy);
        (Publication p, List<PublicationEvent> events) = Publish(alice, server.Address, Pidf(PresenceBasic.Open, "x"), credentials: [new SipCredentials("alice", "wonderland")]);
        net.RunFor(TimeSpan.FromSeconds(10));
        // The server authenticates and answers 200 without SIP-ETag: a broken ESC is reported, not trusted.
        Assert.That(server.Accepted.Single(), Does.Contain(proxy ? "Proxy-Authorization: Digest" : "\r\nAuthorization: Digest"));
        Assert.That(events.Single().Kind, Is.EqualTo(PublicationEventKind.Failed));
        Assert.That(events.Single().Reason, Does.Contain("no SIP-ETag"));
        Assert.That(p.IsClosed, Is.True);
    }

    [Test]
    public void TimeoutAndBadArguments()
    {
        var net = new SimNetwork(1108) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        (Publication p, List<PublicationEvent> events) = Publish(alice, PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.77:5060"), Pidf(PresenceBasic.Open, "x"));
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(events.Single(), Is.EqualTo(new PublicationEvent(PublicationEventKind.Failed, 408, "Request Timeout (no response to PUBLISH)", "", 0)));
        Assert.Throws<ArgumentException>(() => alice.Core.Publish(new PublicationOptions { TargetUri = "sip:a@b", Destination = alice.Address, Expires = 0 }, Pidf(PresenceBasic.Open, "x")));
        Assert.Throws<ArgumentException>(() => alice.Core.Publish(new PublicationOptions { TargetUri = "sip:a@b", Destination = alice.Address }, new EventBody("bad", Array.Empty<byte>())));
        Assert.That(p.Remove(), Is.False);
    }
}
