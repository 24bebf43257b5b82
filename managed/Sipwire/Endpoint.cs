// SPDX-License-Identifier: MIT
// A SIP endpoint: owns the transports, transactions and dialogs of one SIP identity set.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire;

/// <summary>
/// One SIP endpoint. Everything it does runs on the thread that calls <see cref="Poll"/>
/// (DESIGN.md principle 2): socket I/O, transaction timers, the timers of every attached
/// <see cref="IEndpointTimers"/> (a <see cref="UserAgentCore"/>'s registration refreshes and call
/// timers), posted work and every upcall to <see cref="User"/>. Other threads hand work over with
/// <see cref="Post"/>.
/// </summary>
/// <remarks>
/// The usual set-up is <see cref="CreateUserAgent"/>, which makes the endpoint the owner of one UA
/// core; a custom transaction user with timers is installed with <see cref="User"/> plus
/// <see cref="AddTimers"/>. A firmware main loop is then just <c>for (;;) endpoint.Poll(max);</c>.
/// </remarks>
public sealed class Endpoint : IDisposable
{
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly SocketTransport _transport;
    private readonly List<IEndpointTimers> _timers = [];
    private bool _disposed;

    /// <summary>Creates an endpoint with validated options and the real monotonic clock.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Endpoint(EndpointOptions options)
        : this(options, SystemClock.Instance)
    {
    }

    /// <summary>Creates an endpoint reading time from <paramref name="clock"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Endpoint(EndpointOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        Options = options;
        Clock = clock;
        _transport = new SocketTransport(options, clock);
        Transactions = new TransactionLayer(options, _transport, new EndpointTransactionUser(this), clock);
        _transport.MessageReceived = (m, source) => Transactions.Receive(m, source);
        // §17.1.4: a refused TLS handshake is a transport error for the requests that waited on it.
        _transport.TlsHandshakeFailed += (remote, client, _) =>
        {
            if (client) Transactions.FailConnection(remote);
        };
    }

    /// <summary>The options this endpoint was created with.</summary>
    public EndpointOptions Options { get; }

    /// <summary>The clock every layer reads.</summary>
    public IClock Clock { get; }

    /// <summary>The transaction layer (RFC 3261 §17).</summary>
    public TransactionLayer Transactions { get; }

    /// <summary>The socket transport (RFC 3261 §18).</summary>
    public SocketTransport Transport => _transport;

    /// <summary>The application's transaction user; null for the built-in answers (OPTIONS 200, else 501).</summary>
    public ITransactionUser? User { get; set; }

    /// <summary>The UA core made by <see cref="CreateUserAgent"/>; null until then.</summary>
    public UserAgentCore? UserAgent { get; private set; }

    /// <summary>The timer owners <see cref="Poll"/> drives, in the order they were added.</summary>
    public IReadOnlyList<IEndpointTimers> Timers => _timers;

    /// <summary>
    /// Creates the endpoint's UA core over <see cref="Transactions"/>, installs it as <see cref="User"/>
    /// and adds it to <see cref="Timers"/>, so <see cref="Poll"/> alone drives its registrations and calls.
    /// </summary>
    /// <param name="options">The UA options; null for a core that registers but places and answers no calls.</param>
    /// <returns>The new core (also <see cref="UserAgent"/>).</returns>
    /// <exception cref="InvalidOperationException">The endpoint already has a UA core or another <see cref="User"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public UserAgentCore CreateUserAgent(UserAgentOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (UserAgent is not null || User is not null)
        {
            throw new InvalidOperationException("The endpoint already has a transaction user; one endpoint hosts one UA core.");
        }
        var core = new UserAgentCore(Transactions, options);
        User = core;
        UserAgent = core;
        _timers.Add(core);
        return core;
    }

    /// <summary>Makes <see cref="Poll"/> wait no longer than <paramref name="timers"/>' deadline and run them when due. Polling thread only.</summary>
    /// <exception cref="InvalidOperationException">They are already added.</exception>
    public void AddTimers(IEndpointTimers timers)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_timers.Contains(timers)) throw new InvalidOperationException("These timers are already driven by this endpoint.");
        _timers.Add(timers);
    }

    /// <summary>Stops driving <paramref name="timers"/>; false when they were not added. Polling thread only.</summary>
    public bool RemoveTimers(IEndpointTimers timers)
    {
        ArgumentNullException.ThrowIfNull(timers);
        return _timers.Remove(timers);
    }

    /// <summary>Earliest deadline of the transactions and of every <see cref="Timers"/> entry, in clock microseconds.</summary>
    public long NextDeadline
    {
        get
        {
            long d = Transactions.NextDeadline;
            foreach (IEndpointTimers t in _timers) d = Math.Min(d, t.NextDeadline);
            return d;
        }
    }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Queues <paramref name="work"/> to run on the polling thread and wakes a waiting <see cref="Poll"/>. Thread-safe.</summary>
    public void Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _posted.Enqueue(work);
        _transport.Wake();
    }

    /// <summary>
    /// One turn of the loop: runs posted work, waits for network input until <paramref name="timeout"/>
    /// or <see cref="NextDeadline"/> (whichever is first; no wait when work is posted or a deadline has
    /// passed), delivers received messages, fires due transaction timers, then the due timers of every
    /// <see cref="Timers"/> entry (the UA core's refreshes and call timers), then posted work again.
    /// </summary>
    /// <param name="timeout">The longest wait; <see cref="TimeSpan.Zero"/> only handles what is ready.</param>
    /// <returns>The number of messages received.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public int Poll(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        RunPosted();
        long now = Clock.NowMicros;
        long until = Math.Min(now + Math.Min(timeout.Ticks / 10, long.MaxValue / 4), NextDeadline);
        int received = _transport.Poll(_posted.IsEmpty ? Math.Max(0, until - now) : 0);
        Transactions.ProcessTimers();
        // Index loop: a timer owner may add or remove owners (a transfer spawning a call) while it runs.
        for (int i = 0; i < _timers.Count; i++)
        {
            IEndpointTimers t = _timers[i];
            if (t.NextDeadline <= Clock.NowMicros) t.ProcessTimers();
        }
        RunPosted();
        return received;
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out Action? work)) work();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _transport.Dispose();
    }
}
