// SPDX-License-Identifier: MIT
// A SIP endpoint: owns the transports, transactions and dialogs of one SIP identity set.

using System;
using System.Collections.Concurrent;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire;

/// <summary>
/// One SIP endpoint. Everything it does runs on the thread that calls <see cref="Poll"/>
/// (DESIGN.md principle 2): socket I/O, transaction timers and every upcall to <see cref="User"/>.
/// Other threads hand work over with <see cref="Post"/>.
/// </summary>
public sealed class Endpoint : IDisposable
{
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly SocketTransport _transport;
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
    /// Runs posted work, waits for network input until <paramref name="timeout"/> or the next
    /// timer deadline (whichever is first), delivers received messages and fires due timers.
    /// </summary>
    /// <returns>The number of messages received.</returns>
    public int Poll(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        RunPosted();
        long now = Clock.NowMicros;
        long until = Math.Min(now + timeout.Ticks / 10, Transactions.NextDeadline);
        int received = _transport.Poll(_posted.IsEmpty ? Math.Max(0, until - now) : 0);
        Transactions.ProcessTimers();
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
