// SUBSCRIBE/NOTIFY (RFC 6665) between UA cores over the simulated network: lifecycle, pending, refresh, expiry, forks, Timer N, 481/489/423.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class SubscriptionTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, TestEventPackage Package) Setup(int seed, double loss = 0, TestEventPackage? package = null)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        package ??= new TestEventPackage();
        bob.Core.AddEventPackage(package);
        return (net, alice, bob, package);
    }

    private static (Subscription Sub, List<SubscriptionEvent> Events) Subscribe(UaNode from, PeerAddress to, string target, string ev = "x-test", int expires = 600)
    {
        Subscription s = from.Core.Subscribe(new SubscriptionOptions { TargetUri = target, Destination = to, Event = ev, Expires = expires, Accept = ["text/plain"] });
        var events = new List<SubscriptionEvent>();
        s.Changed += events.Add;
        return (s, events);
    }

    private static string Dump(IEnumerable<SubscriptionEvent> events) => string.Join("\n", events.Select(e => $"{e.Kind} {e.State} {e.StatusCode} {e.Reason} {e.ExpiresSeconds} {e.BodyText}"));

    [TestCase(0.0, 1001)]
    [TestCase(0.2, 1002)]
    [TestCase(0.2, 1003)]
    public void LifecycleActiveNotifyRefreshUpdateUnsubscribe(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, TestEventPackage package) = Setup(seed, loss);
        string resource = $"sip:bob@{bob.HostPort}";
        package.State[resource] = "online";
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, resource, expires: 120);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), Dump(events));
        Assert.That(events.Any(e => e.Kind == SubscriptionEventKind.Accepted && e.StatusCode == 200 && e.ExpiresSeconds == 120), Dump(events));
        Assert.That(events.First(e => e.Kind == SubscriptionEventKind.Notified).BodyText, Is.EqualTo("online"));
        Assert.That(bob.Core.NotifierSubscriptions, Has.Count.EqualTo(1));
        Assert.That(bob.Core.NotifierSubscriptions[0].Subscriber, Is.EqualTo("sip:alice@example.test"));
        // A state change reaches the subscriber.
        package.State[resource] = "busy";
        Assert.That(bob.Core.NotifyAll("x-test"), Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(s.LastBody!.Content.ToArray(), Is.EqualTo("busy"u8.ToArray()));
        // Refreshes keep it alive well past the 120 s granted (half-way refresh, each followed by a NOTIFY, §4.2.1.2).
        int accepted = events.Count(e => e.Kind == SubscriptionEventKind.Accepted);
        net.RunFor(TimeSpan.FromSeconds(600));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), Dump(events));
        Assert.That(events.Count(e => e.Kind == SubscriptionEventKind.Accepted), Is.GreaterThanOrEqualTo(accepted + 8));
        Assert.That(bob.Core.NotifierSubscriptions, Has.Count.EqualTo(1));
        // Unsubscribe: Expires 0, final NOTIFY, both sides clean.
        Assert.That(s.Unsubscribe(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(events.Last().Kind, Is.EqualTo(SubscriptionEventKind.Terminated), Dump(events));
        Assert.That(alice.Core.Subscriptions, Is.Empty);
        Assert.That(bob.Core.NotifierSubscriptions, Is.Empty);
        Assert.That(alice.Core.Dialogs!.Count + bob.Core.Dialogs!.Count, Is.Zero);
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [Test]
    public void PendingThenActive()
    {
        (SimNetwork net, UaNode alice, UaNode bob, TestEventPackage package) = Setup(1004, 0, new TestEventPackage { Decision = SubscriptionDecision.Pending });
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Pending), Dump(events));
        SubscriptionEvent pending = events.Single(e => e.Kind == SubscriptionEventKind.Notified);
        Assert.That(pending.Body.Length, Is.Zero);
        Assert.That(bob.Core.NotifierSubscriptions.Single().Activate(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active));
        Assert.That(events.Last().BodyText, Is.EqualTo("none"));
    }

    [Test]
    public void NotifierShortensAndLongerRequestIsCapped()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1005, 0, new TestEventPackage(max: 300, def: 300));
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}", expires: 3600);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(events.First(e => e.Kind == SubscriptionEventKind.Accepted).ExpiresSeconds, Is.EqualTo(300));
        // The refresh comes at about 150 s, not at half of the 3600 s asked.
        int before = bob.Core.NotifierSubscriptions.Count;
        net.RunFor(TimeSpan.FromSeconds(160));
        Assert.That(events.Count(e => e.Kind == SubscriptionEventKind.Accepted), Is.EqualTo(2), Dump(events));
        Assert.That(before, Is.EqualTo(1));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active));
    }

    [Test]
    public void IntervalTooBriefIsRetriedWithMinExpires()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1006, 0, new TestEventPackage(min: 600, def: 600));
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}", expires: 60);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(net.Sent.Any(p => Encoding.UTF8.GetString(p.Data).StartsWith("SIP/2.0 423", StringComparison.Ordinal)), Is.True);
        Assert.That(events.First(e => e.Kind == SubscriptionEventKind.Accepted).ExpiresSeconds, Is.EqualTo(600));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active));
    }

    [Test]
    public void UnknownPackageGets489WithAllowEvents()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1007);
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}", ev: "dialog");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That((events.Single().Kind, events.Single().StatusCode), Is.EqualTo((SubscriptionEventKind.Terminated, 489)));
        string response = Encoding.UTF8.GetString(net.Sent.First(p => Encoding.UTF8.GetString(p.Data).StartsWith("SIP/2.0 489", StringComparison.Ordinal)).Data);
        // RFC 6665 §4.4.4: every package we notify for, the implicit one of REFER (RFC 3515) included.
        Assert.That(response, Does.Contain("\r\nAllow-Events: refer, x-test\r\n"));
        Assert.That(alice.Core.Subscriptions, Is.Empty);
    }

    [Test]
    public void ForbiddenGets403()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1008, 0, new TestEventPackage { Decision = SubscriptionDecision.Forbidden });
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(events.Single().StatusCode, Is.EqualTo(403));
        Assert.That(bob.Core.NotifierSubscriptions, Is.Empty);
        Assert.That(bob.Core.Dialogs!.Count, Is.Zero);
    }

    [Test]
    public void DeactivatedResubscribesAtOnceRejectedDoesNot()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1009);
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(5));
        string firstCallId = s.CallId;
        Assert.That(bob.Core.NotifierSubscriptions.Single().Terminate("deactivated"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(5));
        // §4.1.3: deactivated: a new subscription at once (new dialog).
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), Dump(events));
        Assert.That(s.CallId, Is.Not.EqualTo(firstCallId));
        Assert.That(events.Any(e => e.Kind == SubscriptionEventKind.Terminated && e.Reason == "deactivated"));
        Assert.That(bob.Core.NotifierSubscriptions, Has.Count.EqualTo(1));
        Assert.That(bob.Core.NotifierSubscriptions.Single().Terminate("rejected"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(events.Last().Reason, Is.EqualTo("rejected"));
        Assert.That(alice.Core.Subscriptions, Is.Empty);
        Assert.That(bob.Core.NotifierSubscriptions, Is.Empty);
    }

    [Test]
    public void ProbationRetriesAfterRetryAfter()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1010);
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(5));
        bob.Core.NotifierSubscriptions.Single().Terminate("probation", 30);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(events.Last(e => e.Kind == SubscriptionEventKind.Terminated).RetryAfterSeconds, Is.EqualTo(30));
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), Dump(events));
    }

    [Test]
    public void NotifierEndsAnExpiredSubscriptionWithReasonTimeout()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1011);
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}", expires: 100);
        s.Changed += e =>
        {
            // Cut the subscriber off after the first NOTIFY so it never refreshes.
            if (e.Kind == SubscriptionEventKind.Notified) net.SetLink(alice.Address, bob.Address, new LinkConditions { Loss = 1 });
        };
        var ended = new List<SubscriptionEvent>();
        net.RunFor(TimeSpan.FromSeconds(1));
        bob.Core.NotifierSubscriptions.Single().Changed += ended.Add;
        net.RunFor(TimeSpan.FromSeconds(200));
        Assert.That(bob.Core.NotifierSubscriptions, Is.Empty);
        Assert.That(ended.Single().Kind, Is.EqualTo(SubscriptionEventKind.Terminated));
        Assert.That(net.Sent.Any(p => Encoding.UTF8.GetString(p.Data).Contains("Subscription-State: terminated;reason=timeout", StringComparison.Ordinal)), Is.True);
        // The subscriber's refresh is lost too; it ends on its own (expired, or the final NOTIFY).
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated), Dump(events));
    }

    [Test]
    public void TimerNEndsASubscriptionWithoutNotify()
    {
        var net = new SimNetwork(1012) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var notifier = new ScriptedNotifierNode(net, "10.0.0.3:5060");
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, notifier.Address, $"sip:carol@{notifier.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(1));
        notifier.Accept(0, "n1", 600);
        net.RunFor(TimeSpan.FromSeconds(31));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Subscribing), Dump(events));
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated), Dump(events));
        Assert.That(events.Last().StatusCode, Is.EqualTo(408));
        Assert.That(events.Last().Reason, Does.Contain("Timer N"));
        Assert.That(alice.Core.Dialogs!.Count, Is.Zero);
    }

    [Test]
    public void NotifyBefore200CreatesTheDialogAndForksMakeMoreSubscriptions()
    {
        var net = new SimNetwork(1013) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var notifier = new ScriptedNotifierNode(net, "10.0.0.3:5060");
        var forks = new List<Subscription>();
        alice.Core.SubscriptionForked += (origin, fork) => forks.Add(fork);
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, notifier.Address, $"sip:carol@{notifier.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(1));
        // §4.1.2.4: the NOTIFY overtakes the 200.
        notifier.Notify(0, "forkA", 1, "active;expires=600", "A");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), Dump(events));
        Assert.That(s.Dialog!.RemoteTag, Is.EqualTo("forkA"));
        notifier.Accept(0, "forkA", 600);
        // §4.5.2: a second notifier answers the same SUBSCRIBE.
        notifier.Notify(0, "forkB", 1, "pending;expires=600");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(forks, Has.Count.EqualTo(1));
        Assert.That(forks[0].Dialog!.RemoteTag, Is.EqualTo("forkB"));
        Assert.That(forks[0].State, Is.EqualTo(SubscriptionState.Pending));
        Assert.That(alice.Core.Subscriptions, Has.Count.EqualTo(2));
        Assert.That(alice.Core.Dialogs!.Count, Is.EqualTo(2));
        Assert.That(notifier.NotifyResponses, Is.EqualTo(new[] { 200, 200 }));
        // Each fork lives on its own: fork B ends, A stays.
        notifier.Notify(0, "forkB", 2, "terminated;reason=noresource");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(forks[0].State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active));
        Assert.That(events.Count(e => e.Kind == SubscriptionEventKind.Accepted), Is.EqualTo(1));
    }

    [Test]
    public void UnknownNotifyGets481AndMissingStateGets400()
    {
        var net = new SimNetwork(1014) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var notifier = new ScriptedNotifierNode(net, "10.0.0.3:5060");
        (Subscription s, _) = Subscribe(alice, notifier.Address, $"sip:carol@{notifier.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(1));
        notifier.Notify(0, "n1", 1, "active", callId: "unknown-call-id");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(notifier.NotifyResponses, Is.EqualTo(new[] { 481 }));
        notifier.Notify(0, "n1", 1, "");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(notifier.NotifyResponses.Last(), Is.EqualTo(400));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Subscribing));
        Assert.That(s.Dialog, Is.Null, "a NOTIFY refused with 400 creates no dialog");
    }
    [Test]
    public void SubscribeAnswersADigestChallenge()
    {
        var net = new SimNetwork(1015) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var server = new ChallengingServerNode(net, "10.0.0.9:5060", proxyAuth: true)
        {
            Handler = (request, transaction, buffer) =>
            {
                var w = new Sipwire.Transactions.SipMessageWriter(buffer);
                Sipwire.Transactions.SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, "srv9"u8);
                w.Header("Expires"u8, 300);
                w.Append("Contact: <sip:server@10.0.0.9:5060>\r\n"u8);
                w.End();
                return w.Length;
            },
        };
        Subscription s = alice.Core.Subscribe(new SubscriptionOptions
        {
            TargetUri = "sip:bob@example.test", Destination = server.Address, Event = "presence", Expires = 600, Credentials = [new Sipwire.UserAgent.SipCredentials("alice", "wonderland")],
        });
        var events = new List<SubscriptionEvent>();
        s.Changed += events.Add;
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(server.Challenges, Is.EqualTo(1));
        Assert.That(server.Accepted.Single(), Does.Contain("\r\nProxy-Authorization: Digest "));
        Assert.That(server.Accepted.Single(), Does.Contain("\r\nCSeq: 2 SUBSCRIBE\r\n"));
        Assert.That(events.Single(), Is.EqualTo(new SubscriptionEvent(SubscriptionEventKind.Accepted, SubscriptionState.Subscribing, 200, "OK", 300, -1, "", default)));
        Assert.That(s.Dialog!.RemoteTarget, Is.EqualTo("sip:server@10.0.0.9:5060"));
        // This server never notifies: Timer N ends it.
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(events.Last().StatusCode, Is.EqualTo(408));
    }
    [Test]
    public void NotifierThatEndsEverySubscriptionAtOnceDoesNotMakeALoop()
    {
        (SimNetwork net, UaNode alice, UaNode bob, _) = Setup(1016);
        bob.Core.SubscriptionAccepted += ns => ns.Terminate("deactivated");
        (Subscription s, List<SubscriptionEvent> events) = Subscribe(alice, bob.Address, $"sip:bob@{bob.HostPort}");
        net.RunFor(TimeSpan.FromSeconds(600));
        int subscribes = net.Sent.Count(p => Encoding.UTF8.GetString(p.Data).StartsWith("SUBSCRIBE ", StringComparison.Ordinal));
        // 0 s, at once, then 32, 64, 128, 256 s apart: 6 in ten minutes, not hundreds.
        Assert.That(subscribes, Is.InRange(5, 7), Dump(events));
        Assert.That(s.State, Is.Not.EqualTo(SubscriptionState.Active));
        Assert.That(s.Unsubscribe(), Is.True);
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Terminated));
        int sent = net.Sent.Count;
        net.RunFor(TimeSpan.FromSeconds(3600));
        Assert.That(net.Sent.Count, Is.EqualTo(sent), "unsubscribing cancels the waiting retry");
        Assert.That(alice.Core.Subscriptions, Is.Empty);
    }
}
