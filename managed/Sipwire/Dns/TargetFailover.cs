// RFC 3263 §4.3: sends one request to the located targets in turn, moving on after a timeout, a transport error or a 503.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Dns;

/// <summary>
/// Drives one request through the ordered target list of <see cref="SipServerLocator.Locate"/>. Each
/// attempt is a new client transaction with a new Via branch (RFC 3263 §4.3). A transaction that
/// times out (Timer B/F), fails in the transport, or is answered 503 moves the request to the next
/// target (RFC 3261 §8.1.3.1 maps the first two to 408 and 503); any other final response, or the
/// failure of the last target, is the outcome. Sans-IO: it reacts to the transaction layer's upcalls,
/// routed to <see cref="HandleResponse"/>, <see cref="HandleError"/> and <see cref="HandleTerminated"/>
/// (or through a <see cref="FailoverTransactionUser"/>), on the endpoint's thread.
/// </summary>
/// <remarks>
/// The failover object is stored in <see cref="Transaction.UserData"/> of each attempt; keep your own
/// state in <see cref="UserState"/>. Provisional responses of an abandoned attempt reach the
/// transaction user like any other (an early dialog from it ends with that attempt's 503).
/// A 503's Retry-After (§21.5.4) is honoured only as "try the next target" and recorded in
/// <see cref="LastRetryAfterSeconds"/> so the caller can avoid that server for that long.
/// </remarks>
public sealed class TargetFailover
{
    private const int MaxRequestSize = 65_536;

    private readonly TransactionLayer _layer;
    private readonly PeerAddress[] _targets;
    private readonly FailoverRequestWriter _writer;
    private byte[] _buffer = new byte[4096];
    private Transaction? _current;
    private int _currentGeneration;
    private int _index = -1;
    private bool _cancelled;

    /// <summary>Creates a failover over <paramref name="targets"/> (tried in order) for the request <paramref name="writer"/> writes.</summary>
    public TargetFailover(TransactionLayer layer, IReadOnlyList<PeerAddress> targets, FailoverRequestWriter writer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(writer);
        _layer = layer;
        _targets = new PeerAddress[targets.Count];
        for (int i = 0; i < _targets.Length; i++) _targets[i] = targets[i];
        _writer = writer;
    }

    /// <summary>The targets in the order they are tried.</summary>
    public IReadOnlyList<PeerAddress> Targets => _targets;

    /// <summary>Index in <see cref="Targets"/> of the target of the latest attempt (-1 before <see cref="Start"/>).</summary>
    public int TargetIndex => _index;

    /// <summary>Attempts made so far (targets a request was handed to the transaction layer for).</summary>
    public int Attempts { get; private set; }

    /// <summary>The client transaction of the running attempt; null before the first and after the last ended.</summary>
    public Transaction? Current => _current is { } t && t.Generation == _currentGeneration && t.State != TransactionState.Terminated ? t : null;

    /// <summary>True once the outcome is known: a final response passed up, or the last failure.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Status code of the final response passed up (0 when the outcome is an error).</summary>
    public int FinalStatusCode { get; private set; }

    /// <summary>The error of the last attempt when the outcome is a failure (<see cref="TransactionError.None"/> otherwise).</summary>
    public TransactionError FinalError { get; private set; }

    /// <summary>Retry-After seconds of the latest 503 (−1 when it had none or no 503 came).</summary>
    public int LastRetryAfterSeconds { get; private set; } = -1;

    /// <summary>Free slot for the caller (the transactions' <see cref="Transaction.UserData"/> holds this object).</summary>
    public object? UserState { get; set; }

    /// <summary>The failover that owns <paramref name="transaction"/>, or null.</summary>
    public static TargetFailover? Of(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.UserData as TargetFailover;
    }

    /// <summary>
    /// Sends the request to the first target. False when the list is empty or the transaction table is
    /// full; the outcome is then <see cref="TransactionError.TransportError"/> (503, §8.1.3.1) and no
    /// upcall follows. A send that fails in the transport is reported later through the upcalls and
    /// fails over like any other transport error.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ArgumentException">The writer produced no valid request (see <see cref="TransactionLayer.SendRequest"/>).</exception>
    public bool Start()
    {
        if (_index >= 0 || IsFinished) throw new InvalidOperationException("The failover has already started.");
        if (_targets.Length == 0)
        {
            Finish(0, TransactionError.TransportError);
            return false;
        }
        _index = 0;
        if (Send(_targets[0])) return true;
        Finish(0, TransactionError.TransportError);
        return false;
    }

    /// <summary>
    /// Stops failing over; an INVITE in progress is cancelled (§9.1). The running attempt ends on its
    /// own and its outcome is the final one.
    /// </summary>
    /// <returns>True when a CANCEL was sent or is pending on the first provisional response.</returns>
    public bool Cancel()
    {
        _cancelled = true;
        return Current is { Kind: TransactionKind.InviteClient } t && _layer.Cancel(t);
    }

    /// <summary>
    /// Routes a response of a client transaction. True when it was consumed: a 503 from a target with
    /// another one after it, to which the request has now gone. False: pass it to the transaction user.
    /// </summary>
    public bool HandleResponse(Transaction transaction, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        if (!IsCurrent(transaction) || IsFinished) return false;
        int code = response.StatusCode;
        if (code < 200) return false;
        if (code == 503)
        {
            LastRetryAfterSeconds = RetryAfter(response);
            // RFC 3263 §4.3: a 503 is a failure of this server - try the next element of the list.
            if (TryNext()) return true;
        }
        Finish(code, TransactionError.None);
        return false;
    }

    /// <summary>
    /// Routes a transaction error. True when it was consumed: a timeout or transport error with another
    /// target after it, to which the request has now gone. False: pass it to the transaction user.
    /// </summary>
    public bool HandleError(Transaction transaction, TransactionError failure)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!IsCurrent(transaction) || IsFinished) return false;
        // RFC 3263 §4.3 with RFC 3261 §8.1.3.1: Timer B/F (408) and transport failures (503) move on;
        // a CANCEL that got no final response (§9.1) was the caller's choice and ends the request.
        if (failure is TransactionError.Timeout or TransactionError.TransportError && TryNext()) return true;
        Finish(0, failure);
        return false;
    }

    /// <summary>Forgets <paramref name="transaction"/> when it is the running attempt (call from OnTerminated).</summary>
    public void HandleTerminated(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (IsCurrent(transaction)) _current = null;
    }

    private bool IsCurrent(Transaction t) => ReferenceEquals(t, _current) && t.Generation == _currentGeneration;

    private bool TryNext()
    {
        if (_cancelled || _index + 1 >= _targets.Length) return false;
        _index++;
        try
        {
            // False: the table is full, and would be for every later target too.
            return Send(_targets[_index]);
        }
        catch (ArgumentException)
        {
            // The layer refused the writer's request; it would refuse it for every target, and this
            // runs inside an upcall: the failure that brought us here is the outcome.
            return false;
        }
    }

    private bool Send(in PeerAddress target)
    {
        Span<byte> branch = stackalloc byte[BranchId.Length];
        BranchId.Write(branch);
        int n;
        while ((n = _writer(target, branch, _buffer)) < 0)
        {
            if (_buffer.Length >= MaxRequestSize) throw new ArgumentException($"The request does not fit in {MaxRequestSize} bytes.");
            _buffer = new byte[_buffer.Length * 2];
        }
        if (n == 0 || n > _buffer.Length) throw new ArgumentException($"The request writer returned {n} for a {_buffer.Length}-byte buffer.");
        Transaction? t = _layer.SendRequest(_buffer.AsSpan(0, n), target);
        Attempts++;
        if (t is null) return false;
        t.UserData = this;
        _current = t;
        _currentGeneration = t.Generation;
        return true;
    }

    private void Finish(int statusCode, TransactionError error)
    {
        IsFinished = true;
        FinalStatusCode = statusCode;
        FinalError = error;
    }

    private static int RetryAfter(SipMessage response)
    {
        // §20.33: Retry-After = delta-seconds [comment] *(;param).
        if (!response.TryGetHeaderValue(SipHeaderKind.RetryAfter, out ReadOnlySpan<byte> v)) return -1;
        int seconds = 0;
        int digits = 0;
        foreach (byte b in v.TrimStart((byte)' '))
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            if (++digits > 9) return -1;
            seconds = seconds * 10 + (b - '0');
        }
        return digits > 0 ? seconds : -1;
    }
}
