// Endpoint.Poll drives the UA core: waits honour UA deadlines, due UA timers run, posted work runs.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
[NonParallelizable]
public sealed class EndpointPollTests
{
    /// <summary>Timers with a settable deadline that count how often they ran.</summary>
    private sealed class CountingTimers(IClock clock) : IEndpointTimers
    {
        public long Deadline { get; set; } = long.MaxValue;

        public int Runs { get; private set; }

        public long NextDeadline => Deadline;

        public void ProcessTimers()
        {
            Runs++;
            // Mirrors a registration: a due deadline is consumed when its work runs.
            if (Deadline <= clock.NowMicros) Deadline = long.MaxValue;
        }
    }

    /// <summary>A SipRegistrar (digest, in-memory location) answering REGISTER on a loopback endpoint.</summary>
    private sealed class RegistrarUser(Endpoint endpoint) : ITransactionUser
    {
        private readonly byte[] _buffer = new byte[8192];
        private readonly SipRegistrar _registrar = new(
            new RegistrarOptions { Domains = ["example.test"], MinExpires = 60, MaxExpires = 3600, DefaultExpires = 3600 },
            new InMemoryLocationService(),
            new DigestServer("example.test", DigestAlgorithm.Sha256, TimeSpan.FromHours(1)),
            u => u == "alice" ? "wonderland" : null);

        public int Registers { get; private set; }

        public void OnRequest(Transaction transaction, SipMessage request)
        {
            RegistrarResponse r = _registrar.Process(request, transaction.Source, endpoint.Clock.NowMicros / 1000, DateTime.UtcNow);
            if (r.StatusCode == 200) Registers++;
            int n = r.Write(request, transaction.Source, _buffer);
            endpoint.Transactions.Respond(transaction, _buffer.AsSpan(0, n));
        }

        public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
        {
        }

        public void OnCancel(Transaction invite, SipMessage cancel)
        {
        }

        public void OnResponse(Transaction transaction, SipMessage response)
        {
        }

        public void OnStrayResponse(SipMessage response, in PeerAddress source)
        {
        }

        public void OnError(Transaction transaction, TransactionError failure)
        {
        }

        public void OnTerminated(Transaction transaction)
        {
        }
    }

    [Test]
    public void PollWakesUpForATimerDeadlineInsteadOfSleepingTheWholeTimeout()
    {
        using var endpoint = new Endpoint(new EndpointOptions());
        endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        var timers = new CountingTimers(endpoint.Clock) { Deadline = endpoint.Clock.NowMicros + 50_000 };
        endpoint.AddTimers(timers);
        Assert.That(endpoint.NextDeadline, Is.EqualTo(timers.Deadline));

        var sw = Stopwatch.StartNew();
        // The deadline is 50 ms away; the transport wait may end a little early, so poll until it ran.
        while (timers.Runs == 0 && sw.Elapsed < TimeSpan.FromSeconds(20)) endpoint.Poll(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(timers.Runs, Is.EqualTo(1));
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "Poll slept past the timer deadline");
            Assert.That(sw.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(40)), "the timer ran before its deadline");
        });
    }

    [Test]
    public void TimersThatAreNotDueDoNotRunAndRemovedTimersAreNotDriven()
    {
        var clock = new VirtualClock(1_000_000);
        using var endpoint = new Endpoint(new EndpointOptions(), clock);
        endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        var due = new CountingTimers(clock) { Deadline = 1_000_000 };
        var later = new CountingTimers(clock) { Deadline = 9_000_000 };
        endpoint.AddTimers(due);
        endpoint.AddTimers(later);
        Assert.Throws<InvalidOperationException>(() => endpoint.AddTimers(due));

        var sw = Stopwatch.StartNew();
        endpoint.Poll(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a passed deadline must not wait");
            Assert.That(due.Runs, Is.EqualTo(1));
            Assert.That(later.Runs, Is.Zero);
        });

        Assert.That(endpoint.RemoveTimers(later), Is.True);
        Assert.That(endpoint.RemoveTimers(later), Is.False);
        clock.AdvanceTo(9_000_000);
        endpoint.Poll(TimeSpan.Zero);
        Assert.That(later.Runs, Is.Zero);
    }

    [Test]
    public void PostedWorkWakesABlockedPollAndRunsOnThePollingThread()
    {
        using var endpoint = new Endpoint(new EndpointOptions());
        endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        int pollThread = Environment.CurrentManagedThreadId;
        int ranOn = -1;
        var poster = new Thread(() =>
        {
            Thread.Sleep(100);
            endpoint.Post(() => ranOn = Environment.CurrentManagedThreadId);
        });
        var sw = Stopwatch.StartNew();
        poster.Start();
        while (ranOn < 0 && sw.Elapsed < TimeSpan.FromSeconds(20)) endpoint.Poll(TimeSpan.FromSeconds(30));
        poster.Join();
        Assert.Multiple(() =>
        {
            Assert.That(ranOn, Is.EqualTo(pollThread));
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "Post did not wake the poll");
        });
    }

    [Test]
    public void CreateUserAgentHostsOneCoreAndRefusesASecondUser()
    {
        using var endpoint = new Endpoint(new EndpointOptions());
        UserAgentCore core = endpoint.CreateUserAgent();
        Assert.Multiple(() =>
        {
            Assert.That(endpoint.UserAgent, Is.SameAs(core));
            Assert.That(endpoint.User, Is.SameAs(core));
            Assert.That(endpoint.Timers, Does.Contain(core));
        });
        Assert.Throws<InvalidOperationException>(() => endpoint.CreateUserAgent());
    }

    [Test]
    public void PollAloneRegistersAndRefreshesAtTheUaDeadline()
    {
        // Both endpoints read one virtual clock; the sockets are real (loopback).
        var clock = new VirtualClock(1_000_000);
        using var server = new Endpoint(new EndpointOptions(), clock);
        PeerAddress registrarAddress = server.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        var registrar = new RegistrarUser(server);
        server.User = registrar;
        using var ua = new Endpoint(new EndpointOptions(), clock);
        PeerAddress local = ua.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        UserAgentCore core = ua.CreateUserAgent();
        string hostPort = $"127.0.0.1:{local.Port}";
        Registration r = core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            Destination = registrarAddress,
            LocalSentBy = hostPort,
            Expires = 120,
            Credentials = [new SipCredentials("alice", "wonderland")],
        }, new Random(7));
        int registered = 0;
        r.Changed += e => { if (e.Kind == RegistrationEventKind.Registered) registered++; };
        r.Start();

        PollBoth(() => registered == 1, ua, server);
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));
        // §17.1.2.2 Timer K (T4 over UDP) keeps the REGISTER transaction until then; let it go.
        clock.Advance(TimeSpan.FromSeconds(6));
        PollBoth(() => ua.Transactions.Count == 0, ua, server);
        long refreshAt = ua.NextDeadline;
        Assert.That(refreshAt, Is.EqualTo(r.NextDeadline), "the endpoint's deadline is the UA's refresh");
        // RFC 3261 §10.2.1 / RFC 5626 §4.4.1: the refresh is due before the binding expires.
        Assert.That(refreshAt - clock.NowMicros, Is.InRange(1, 120_000_000));

        // Just before the deadline nothing is sent; at the deadline Poll alone refreshes.
        clock.AdvanceTo(refreshAt - 1);
        PollBoth(() => false, ua, server, TimeSpan.FromMilliseconds(100));
        Assert.That(registrar.Registers, Is.EqualTo(1));
        clock.AdvanceTo(refreshAt);
        PollBoth(() => registered == 2, ua, server);
        Assert.Multiple(() =>
        {
            Assert.That(registered, Is.EqualTo(2));
            Assert.That(registrar.Registers, Is.EqualTo(2));
            Assert.That(ua.NextDeadline, Is.GreaterThan(refreshAt));
        });
    }

    private static void PollBoth(Func<bool> done, Endpoint a, Endpoint b, TimeSpan? budget = null)
    {
        var sw = Stopwatch.StartNew();
        TimeSpan limit = budget ?? TimeSpan.FromSeconds(5);
        while (!done() && sw.Elapsed < limit)
        {
            a.Poll(TimeSpan.FromMilliseconds(5));
            b.Poll(TimeSpan.FromMilliseconds(5));
        }
    }
}
