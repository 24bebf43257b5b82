// One RFC 3261 §17 transaction: its state, timers, key and the bytes it retransmits.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Transactions;

/// <summary>
/// A client or server transaction owned by a <see cref="TransactionLayer"/>. Objects are pooled:
/// after <see cref="ITransactionUser.OnTerminated"/> the same object serves a later transaction
/// (its <see cref="Generation"/> changes), so a user must drop references on termination.
/// </summary>
public sealed class Transaction
{
    internal const long NoTimer = long.MaxValue;

    internal byte[] _key = new byte[128];
    internal int _keyLength;
    internal int _hash;
    internal int _nextInBucket = -1;
    internal int _slot;
    internal bool _rfc2543;

    internal byte[] _request = new byte[1024];
    internal int _requestLength;
    internal byte[] _response = new byte[512];
    internal int _responseLength;
    internal byte[] _requestToTag = new byte[32];
    internal int _requestToTagLength;
    internal byte[] _responseToTag = new byte[32];
    internal int _responseToTagLength;

    // Timers (absolute microseconds, NoTimer when not running).
    internal long _retransmitAt = NoTimer;   // A, E, G
    internal long _retransmitInterval;
    internal long _timeoutAt = NoTimer;      // B, F, H
    internal long _endAt = NoTimer;          // D, K, I, J, L, M
    internal long _tryingAt = NoTimer;       // INVITE server: 100 Trying after 200 ms (§17.2.1)
    internal long _cancelGuardAt = NoTimer;  // §9.1: 64*T1 after CANCEL without a final response
    internal bool _cancelPending;
    internal bool _sendFailed;
    internal bool _handedOver;                // its Completed state lives on in the compact table (§17.2.2)

    internal Transaction()
    {
    }

    /// <summary>Which state machine runs.</summary>
    public TransactionKind Kind { get; internal set; }

    /// <summary>The current state.</summary>
    public TransactionState State { get; internal set; }

    /// <summary>The request method (CSeq method).</summary>
    public SipMethod Method { get; internal set; }

    /// <summary>Client: where the request goes. Server: where responses go (§18.2.2, RFC 3581).</summary>
    public PeerAddress Remote { get; internal set; }

    /// <summary>Server: the address the request came from.</summary>
    public PeerAddress Source { get; internal set; }

    /// <summary>True over TCP/TLS: no retransmissions, zero-length wait timers (§17.1.1.2).</summary>
    public bool IsReliable => Remote.IsReliable;

    /// <summary>True for a client transaction.</summary>
    public bool IsClient => Kind is TransactionKind.InviteClient or TransactionKind.NonInviteClient;

    /// <summary>Status code of the last response sent or received (0 when none).</summary>
    public int LastStatusCode { get; internal set; }

    /// <summary>Changes each time the pooled object starts a new transaction.</summary>
    public int Generation { get; internal set; }

    /// <summary>Free slot for the transaction user (cleared when the object is reused).</summary>
    public object? UserData { get; set; }

    /// <summary>The request that created the transaction (valid until termination).</summary>
    public ReadOnlySpan<byte> Request => _request.AsSpan(0, _requestLength);

    /// <summary>Server: the last response sent; client INVITE: the ACK sent for a non-2xx final response.</summary>
    public ReadOnlySpan<byte> LastSent => _response.AsSpan(0, _responseLength);

    /// <summary>True when the transaction was matched with the RFC 2543 rules (no magic cookie in its branch).</summary>
    public bool IsRfc2543 => _rfc2543;

    internal ReadOnlySpan<byte> Key => _key.AsSpan(0, _keyLength);

    internal long NextDeadline
    {
        get
        {
            long d = Math.Min(_retransmitAt, _timeoutAt);
            d = Math.Min(d, _endAt);
            d = Math.Min(d, _tryingAt);
            return Math.Min(d, _cancelGuardAt);
        }
    }

    internal static void Store(ref byte[] buffer, ref int length, ReadOnlySpan<byte> data)
    {
        if (buffer.Length < data.Length) buffer = new byte[Math.Max(data.Length, buffer.Length * 2)];
        data.CopyTo(buffer);
        length = data.Length;
    }

    internal void Reset()
    {
        _keyLength = 0;
        _hash = 0;
        _nextInBucket = -1;
        _rfc2543 = false;
        _requestLength = 0;
        _responseLength = 0;
        _requestToTagLength = 0;
        _responseToTagLength = 0;
        _retransmitAt = NoTimer;
        _retransmitInterval = 0;
        _timeoutAt = NoTimer;
        _endAt = NoTimer;
        _tryingAt = NoTimer;
        _cancelGuardAt = NoTimer;
        _cancelPending = false;
        _sendFailed = false;
        _handedOver = false;
        LastStatusCode = 0;
        UserData = null;
        Remote = default;
        Source = default;
        Generation++;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Method} {State}";
}
