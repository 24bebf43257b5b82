// Client registration (RFC 3261 §10.2) against the real SipRegistrar over the simulated network in virtual time.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class RegistrationTests
{
    private const long Second = 1_000_000;

    [Test]
    public void RegistersThroughDigestAndRefreshesHalfWayWithOneCallIdAndRisingCSeq()
    {
        var net = new SimNetwork(501);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Register(registrar.Address, "alice", "wonderland", expires: 600);
        net.RunFor(TimeSpan.FromSeconds(1000));

        Assert.That(ua.RegistrationEvents.Select(e => e.Event.Kind), Is.All.EqualTo(RegistrationEventKind.Registered), string.Join("\n", ua.RegistrationEvents));
        // Registered at ~0 s, refreshed at 300, 600 and 900 s (§10.2.4 / RFC 5626 §4.4.1: half of 600 s).
        long[] at = ua.RegistrationEvents.Select(e => (e.At - ua.RegistrationEvents[0].At + Second / 2) / Second).ToArray();
        Assert.That(at, Is.EqualTo(new long[] { 0, 300, 600, 900 }));
        Assert.That(ua.RegistrationEvents.All(e => e.Event.Expires == 600 && e.Event.StatusCode == 200), Is.True);
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));
        Assert.That(registrar.Contacts("alice"), Is.EqualTo(new[] { "sip:alice@10.0.0.1:5060" }));
        // §10.2.4: one Call-ID, CSeq incremented for every REGISTER (challenge answers included).
        Assert.That(registrar.Requests.Select(q => q.CallId).Distinct().Count(), Is.EqualTo(1));
        uint[] cseqs = registrar.Requests.Select(q => q.CSeq).ToArray();
        Assert.That(cseqs, Is.Ordered.Ascending);
        Assert.That(cseqs.Distinct().Count(), Is.EqualTo(cseqs.Length));
        // The first REGISTER is challenged; the 30 s nonce has gone stale at each refresh, so each
        // refresh is challenged with stale=true and answered without a Failed event.
        Assert.That(registrar.Requests.Select(q => q.Status).ToArray(), Is.EqualTo(new[] { 401, 200, 401, 200, 401, 200, 401, 200 }));
        Assert.That(registrar.Requests[2].Text, Does.Contain("Authorization: Digest"), "the refresh re-uses the realm's last challenge");
        Assert.That(registrar.Requests[0].Text, Does.Contain("To: <sip:alice@example.test>\r\n"));
        Assert.That(registrar.Requests[0].Text, Does.Contain("Contact: <sip:alice@10.0.0.1:5060>;expires=600\r\n"));
    }

    [Test]
    public void LongIntervalIsRefreshed600SecondsBeforeItEnds()
    {
        var net = new SimNetwork(502);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060", maxExpires: 7200);
        var ua = new UaNode(net, "10.0.0.1:5060");
        ua.Register(registrar.Address, "alice", "wonderland", expires: 3600);
        net.RunFor(TimeSpan.FromSeconds(3100));
        Assert.That(ua.RegistrationEvents, Has.Count.EqualTo(2));
        Assert.That((ua.RegistrationEvents[1].At - ua.RegistrationEvents[0].At + Second / 2) / Second, Is.EqualTo(3000));
    }

    [Test]
    public void StaysRegisteredUnder30PercentLoss()
    {
        var net = new SimNetwork(503) { DefaultLink = new LinkConditions { Loss = 0.3, Delay = TimeSpan.FromMilliseconds(20) } };
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Register(registrar.Address, "alice", "wonderland", expires: 600);
        int registeredChecks = 0;
        for (int minute = 1; minute <= 120; minute++)
        {
            net.RunFor(TimeSpan.FromSeconds(60));
            if (registrar.Contacts("alice").Length == 1) registeredChecks++;
        }
        Assert.That(net.Dropped, Is.GreaterThan(10), "the link really lost packets");
        Assert.That(registeredChecks, Is.EqualTo(120), string.Join("\n", ua.RegistrationEvents));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));
        Assert.That(ua.RegistrationEvents.Count(e => e.Event.Kind == RegistrationEventKind.Registered), Is.GreaterThanOrEqualTo(24));
    }

    [Test]
    public void WrongPasswordFailsOnceWithStatusAndReasonAndDoesNotLoop()
    {
        var net = new SimNetwork(504);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Register(registrar.Address, "alice", "not-the-password");
        net.RunFor(TimeSpan.FromHours(2));
        Assert.That(ua.RegistrationEvents, Has.Count.EqualTo(1));
        RegistrationEvent e = ua.RegistrationEvents[0].Event;
        Assert.That(e.Kind, Is.EqualTo(RegistrationEventKind.Failed));
        Assert.That(e.StatusCode, Is.EqualTo(401));
        Assert.That(e.Reason, Does.Contain("refused").And.Contain("example.test"));
        Assert.That(e.RetryIn, Is.EqualTo(TimeSpan.Zero));
        Assert.That(r.State, Is.EqualTo(RegistrationState.AuthenticationFailed));
        Assert.That(registrar.Requests, Has.Count.EqualTo(2), "one challenge, one answer, then nothing");
        Assert.That(registrar.Contacts("alice"), Is.Empty);
    }

    [Test]
    public void MissingCredentialsForTheRealmFail()
    {
        var net = new SimNetwork(505);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = "sip:alice@10.0.0.1:5060",
            Destination = registrar.Address,
            LocalSentBy = "10.0.0.1:5060",
            Credentials = [new SipCredentials("alice", "wonderland", "other.realm")],
        });
        RegistrationEvent? seen = null;
        r.Changed += e => seen = e;
        r.Start();
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(seen?.Kind, Is.EqualTo(RegistrationEventKind.Failed));
        Assert.That(seen?.StatusCode, Is.EqualTo(401));
        Assert.That(seen?.Reason, Does.Contain("no credentials for realm \"example.test\""));
        Assert.That(registrar.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void IntervalTooBriefIsRetriedWithMinExpires()
    {
        var net = new SimNetwork(506);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060", minExpires: 120);
        var ua = new UaNode(net, "10.0.0.1:5060");
        ua.Register(registrar.Address, "alice", "wonderland", expires: 30);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(registrar.Requests.Select(q => q.Status).ToArray(), Is.EqualTo(new[] { 401, 423, 200 }));
        Assert.That(registrar.Requests[2].Expires, Is.EqualTo(120));
        Assert.That(ua.RegistrationEvents.Single().Event with { Bindings = [] }, Is.EqualTo(new RegistrationEvent(RegistrationEventKind.Registered, 200, "OK", 120, TimeSpan.Zero)));
    }

    [Test]
    public void StopUnregistersWithExpiresZero()
    {
        var net = new SimNetwork(507);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Register(registrar.Address, "alice", "wonderland");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(registrar.Contacts("alice"), Has.Length.EqualTo(1));
        r.Stop();
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(registrar.Contacts("alice"), Is.Empty);
        Assert.That(ua.RegistrationEvents.Last().Event.Kind, Is.EqualTo(RegistrationEventKind.Unregistered));
        Assert.That(ua.RegistrationEvents.Last().Event.StatusCode, Is.EqualTo(200));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Stopped));
        Assert.That(registrar.Requests.Last().Text, Does.Contain(";expires=0\r\n").And.Contain("Expires: 0\r\n"));
        Assert.That(r.NextDeadline, Is.EqualTo(long.MaxValue));
        net.RunFor(TimeSpan.FromHours(1));
        Assert.That(registrar.Contacts("alice"), Is.Empty, "no refresh after stop");
    }

    [Test]
    public void UnreachableRegistrarFailsWith408AndBacksOffExponentiallyWithJitter()
    {
        var net = new SimNetwork(508);
        var hole = new BlackHole(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = ua.Register(hole.Address, "alice", "wonderland", seed: 7);
        net.RunFor(TimeSpan.FromHours(3));
        var failures = ua.RegistrationEvents.Select(e => e.Event).ToArray();
        Assert.That(failures, Has.Length.GreaterThanOrEqualTo(5));
        Assert.That(failures.All(f => f.Kind == RegistrationEventKind.Failed && f.StatusCode == 408), Is.True);
        // RFC 5626 §4.5: min(1800, 30 * 2^n) s, then 50..100 % of it.
        for (int i = 0; i < failures.Length; i++)
        {
            double cap = Math.Min(1800, 30 * Math.Pow(2, i + 1));
            Assert.That(failures[i].RetryIn.TotalSeconds, Is.InRange(cap / 2, cap), $"failure {i + 1}");
        }
        // Timer F = 64*T1 = 32 s after each attempt; the next attempt starts RetryIn after the failure.
        long[] firstSends = hole.Received.Select(x => x.At).Where((t, i) => i == 0 || !IsRetransmission(hole, i)).ToArray();
        Assert.That((ua.RegistrationEvents[0].At - firstSends[0] + Second / 2) / Second, Is.EqualTo(32));
        Assert.That(firstSends[1] - ua.RegistrationEvents[0].At, Is.EqualTo((long)(failures[0].RetryIn.Ticks / 10)).Within(2000));
        Assert.That(r.State, Is.EqualTo(RegistrationState.RetryWait));
        // The jitter comes from the injected generator: another seed gives other waits.
        var net2 = new SimNetwork(508);
        var hole2 = new BlackHole(net2, "10.0.0.9:5060");
        var ua2 = new UaNode(net2, "10.0.0.1:5060");
        ua2.Register(hole2.Address, "alice", "wonderland", seed: 8);
        net2.RunFor(TimeSpan.FromHours(1));
        Assert.That(ua2.RegistrationEvents[0].Event.RetryIn, Is.Not.EqualTo(failures[0].RetryIn));
    }

    [Test]
    public void RegistrarRecoveryAfterFailuresRegistersAndResetsTheBackOff()
    {
        var net = new SimNetwork(509);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        net.SetLink(ua.Address, registrar.Address, new LinkConditions { Loss = 1.0 });
        Registration r = ua.Register(registrar.Address, "alice", "wonderland");
        net.RunFor(TimeSpan.FromSeconds(200));
        Assert.That(r.ConsecutiveFailures, Is.GreaterThanOrEqualTo(2));
        net.SetLink(ua.Address, registrar.Address, LinkConditions.Perfect);
        net.RunFor(TimeSpan.FromSeconds(400));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));
        Assert.That(r.ConsecutiveFailures, Is.Zero);
        Assert.That(registrar.Contacts("alice"), Has.Length.EqualTo(1));
    }

    [Test]
    public void OutboundInstanceAndRegIdAreSentOnTheContact()
    {
        var net = new SimNetwork(510);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        ua.Register(registrar.Address, "alice", "wonderland", instance: "<urn:uuid:00000000-0000-1000-8000-000a95a0e128>");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(registrar.Requests.Last().Text, Does.Contain(";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\";reg-id=1"));
        Assert.That(ua.RegistrationEvents.Single().Event.Kind, Is.EqualTo(RegistrationEventKind.Registered));
    }

    private static bool IsRetransmission(BlackHole hole, int i)
    {
        string Branch(int k) => hole.Received[k].Packet.Text.Split("branch=")[1].Split(';')[0];
        string b = Branch(i);
        for (int k = 0; k < i; k++)
        {
            if (Branch(k) == b) return true;
        }
        return false;
    }
}
