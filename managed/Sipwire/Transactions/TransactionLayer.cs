// The sans-IO transaction layer of RFC 3261 §17: a bounded table, matching, timers and retransmissions.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transport;

namespace Sipwire.Transactions;

/// <summary>
/// Runs the four RFC 3261 §17 state machines (with the RFC 6026 corrections) over messages handed
/// in by the transport and time read from an <see cref="IClock"/>. It never touches a socket: it
/// writes through an <see cref="ITransportSender"/> and reports the next timer deadline, so the same
/// code runs on real sockets, a firmware network stack or a simulated network in virtual time.
/// The table is bounded by <see cref="EndpointOptions.MaxTransactions"/>; matching and state
/// updates allocate nothing once the pooled transactions have grown to the traffic.
/// </summary>
public sealed partial class TransactionLayer
{
    private readonly ITransportSender _sender;
    private readonly ITransactionUser _user;
    private readonly IClock _clock;
    private readonly long _t1;
    private readonly long _t2;
    private readonly long _t4;
    private readonly Transaction?[] _slots;
    private readonly int[] _buckets;
    private readonly int[] _freeSlots;
    private int _freeCount;
    private readonly Transaction[] _pool;
    private int _poolCount;
    private readonly byte[] _keyScratch = new byte[2048];
    private readonly byte[] _sendScratch = new byte[8192];
    private byte[]? _messageBuffer;
    private readonly SipMessage _scratch = new();
    private readonly SipMessage _scratch2 = new();
    // Timer queue with lazy deletion: an entry is stale when its transaction was reused or its
    // deadline moved; every change of a deadline pushes a fresh entry (Arm). O(log n) per timer.
    private readonly PriorityQueue<(Transaction T, int Generation, long At), long> _timers = new();
    // Completed UDP non-INVITE server transactions, kept as key + response only (§17.2.2, Timer J).
    private readonly CompletedServerTransactions _completed = new();
    private int _count;

    /// <summary>Timer D for unreliable transports: at least 32 s (§17.1.1.2).</summary>
    private const long TimerDMicros = 32_000_000;

    /// <summary>§17.2.1: a server sends 100 Trying when the TU has not answered an INVITE within 200 ms.</summary>
    private const long TryingDelayMicros = 200_000;

    /// <summary>Creates a layer with the limits and T1/T2/T4 of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TransactionLayer(EndpointOptions options, ITransportSender sender, ITransactionUser user, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        _sender = sender;
        _user = user;
        _clock = clock;
        _t1 = options.T1.Ticks / 10;
        _t2 = options.T2.Ticks / 10;
        _t4 = options.T4.Ticks / 10;
        int max = options.MaxTransactions;
        _slots = new Transaction?[max];
        _freeSlots = new int[max];
        for (int i = 0; i < max; i++) _freeSlots[i] = max - 1 - i;
        _freeCount = max;
        _pool = new Transaction[max];
        int buckets = 1;
        while (buckets < max * 2) buckets <<= 1;
        _buckets = new int[buckets];
        _buckets.AsSpan().Fill(-1);
    }

    /// <summary>Transactions alive (client and server), Completed non-INVITE server transactions included.</summary>
    public int Count => _count;

    /// <summary>
    /// Completed non-INVITE server transactions over UDP held as key + response bytes only (the default). Off,
    /// each keeps its whole pooled <see cref="Transaction"/> until Timer J, as before; the memory benchmark
    /// compares both in one run.
    /// </summary>
    internal bool CompactCompleted { get; set; } = true;

    /// <summary>How many of <see cref="Count"/> are compact Completed non-INVITE server transactions.</summary>
    internal int CompletedCount => _completed.Count;

    /// <summary>Bytes held by the compact Completed table's arrays.</summary>
    internal long CompletedFootprintBytes => _completed.FootprintBytes;

    /// <summary>The table limit.</summary>
    public int Capacity => _slots.Length;

    /// <summary>The clock the layer reads.</summary>
    public IClock Clock => _clock;

    /// <summary>Earliest timer deadline in clock microseconds, <see cref="long.MaxValue"/> when no timer runs.</summary>
    public long NextDeadline
    {
        get
        {
            while (_timers.TryPeek(out (Transaction T, int Generation, long At) e, out long at))
            {
                if (!IsStale(e)) return Math.Min(at, _completed.OldestEndAt);
                _timers.Dequeue();
            }
            return _completed.OldestEndAt;
        }
    }

    private static bool IsStale((Transaction T, int Generation, long At) e) =>
        e.T.Generation != e.Generation || e.T.State == TransactionState.Terminated || e.T.NextDeadline != e.At;

    /// <summary>T1 in microseconds.</summary>
    public long T1Micros => _t1;

    /// <summary>
    /// The one buffer in which the transaction users above this layer (UA core and its features, the
    /// dialog layer, registrations) build a request or response, created on first use (8 KiB). Sharing
    /// it is safe: all of them run on the poll thread, each hands its message to SendRequest, Respond or
    /// SendStateless as soon as it is built, this layer copies what it keeps (<see cref="Transaction"/>
    /// stores its own request/response bytes) and never calls a user back from inside a send, and the
    /// transport copies what it queues. Whoever must keep a message after sending copies it out.
    /// </summary>
    internal byte[] MessageBuffer => _messageBuffer ??= new byte[8192];

    /// <summary>Sends a message outside any transaction (ACK for 2xx, §13.2.2.4; stateless responses).</summary>
    public bool SendStateless(ReadOnlySpan<byte> message, in PeerAddress destination) => _sender.Send(message, destination);

    /// <summary>
    /// Hands a parsed message in from the transport (§18.1.2, §18.2.1). Responses are matched to
    /// client transactions (§17.1.3), requests to server transactions (§17.2.3) or start new ones.
    /// </summary>
    public void Receive(SipMessage message, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IsRequest) ReceiveRequest(message, source);
        else ReceiveResponse(message, source);
    }

    /// <summary>Fires every timer whose deadline has passed (retransmissions, timeouts, cleanup).</summary>
    public void ProcessTimers()
    {
        long now = _clock.NowMicros;
        _count -= _completed.Expire(now); // Timer J of the compact Completed entries (§17.2.2)
        // Bounded work per call: a timer that does not advance cannot spin the poll loop.
        int budget = 4 * _slots.Length + 64;
        while (budget-- > 0 && _timers.TryPeek(out (Transaction T, int Generation, long At) e, out long at) && at <= now)
        {
            _timers.Dequeue();
            if (IsStale(e)) continue;
            Fire(e.T, now);
            if (e.T.Generation == e.Generation && e.T.State != TransactionState.Terminated) Arm(e.T);
        }
    }

    private void Fire(Transaction t, long now)
    {
        if (t._sendFailed)
        {
            Fail(t, TransactionError.TransportError);
            return;
        }
        switch (t.Kind)
        {
            case TransactionKind.InviteClient: FireInviteClient(t, now); break;
            case TransactionKind.NonInviteClient: FireNonInviteClient(t, now); break;
            case TransactionKind.InviteServer: FireInviteServer(t, now); break;
            default: FireNonInviteServer(t, now); break;
        }
    }

    private void Arm(Transaction t)
    {
        long d = t.NextDeadline;
        if (d != Transaction.NoTimer) _timers.Enqueue((t, t.Generation, d), d);
    }

    private bool Transmit(Transaction t, ReadOnlySpan<byte> bytes)
    {
        if (_sender.Send(bytes, t.Remote)) return true;
        // §17.1.4 / §17.2.4: a transport failure ends the transaction; report it from the timer
        // path so the user is never called back from inside its own send call.
        t._sendFailed = true;
        t._endAt = _clock.NowMicros;
        Arm(t);
        return false;
    }

    private void Fail(Transaction t, TransactionError error)
    {
        _user.OnError(t, error);
        Terminate(t);
    }

    private void Terminate(Transaction t)
    {
        if (t.State == TransactionState.Terminated) return;
        t.State = TransactionState.Terminated;
        Remove(t);
        _user.OnTerminated(t);
        _pool[_poolCount++] = t;
    }

    private Transaction? Allocate(TransactionKind kind, SipMethod method)
    {
        // The bound covers the compact Completed entries too: they are transactions (§17.2.2) until Timer J.
        if (_freeCount == 0 || _count >= _slots.Length) return null;
        Transaction t = _poolCount > 0 ? _pool[--_poolCount] : new Transaction();
        t.Reset();
        t.Kind = kind;
        t.Method = method;
        t._slot = _freeSlots[--_freeCount];
        _slots[t._slot] = t;
        _count++;
        return t;
    }

    private void Remove(Transaction t)
    {
        Unlink(t);
        _slots[t._slot] = null;
        _freeSlots[_freeCount++] = t._slot;
        // A transaction handed over to the compact Completed table is counted there until Timer J; its slot waits
        // only for the next timer run, and every such slot has a compact entry, so slots in use never exceed Count.
        if (!t._handedOver) _count--;
    }

    private void Link(Transaction t)
    {
        int b = t._hash & (_buckets.Length - 1);
        t._nextInBucket = _buckets[b];
        _buckets[b] = t._slot;
    }

    private void Unlink(Transaction t)
    {
        int b = t._hash & (_buckets.Length - 1);
        int prev = -1;
        for (int s = _buckets[b]; s >= 0; s = _slots[s]!._nextInBucket)
        {
            if (s == t._slot)
            {
                if (prev < 0) _buckets[b] = t._nextInBucket;
                else _slots[prev]!._nextInBucket = t._nextInBucket;
                t._nextInBucket = -1;
                return;
            }
            prev = s;
        }
    }

    private Transaction? Lookup(ReadOnlySpan<byte> key, int hash)
    {
        for (int s = _buckets[hash & (_buckets.Length - 1)]; s >= 0; s = _slots[s]!._nextInBucket)
        {
            Transaction t = _slots[s]!;
            if (t._hash == hash && t.Key.SequenceEqual(key)) return t;
        }
        return null;
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }

    private static void SetKey(Transaction t, ReadOnlySpan<byte> key, int hash)
    {
        Transaction.Store(ref t._key, ref t._keyLength, key);
        t._hash = hash;
    }
}
