// Client transactions: INVITE (§17.1.1, RFC 6026 §7.2), non-INVITE (§17.1.2) and CANCEL (§9.1).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Transactions;

public sealed partial class TransactionLayer
{
    /// <summary>
    /// Starts a client transaction for <paramref name="request"/> (a complete request whose top Via
    /// has an RFC 3261 branch, §8.1.1.7) and sends it to <paramref name="destination"/>.
    /// </summary>
    /// <returns>The transaction, or null when the table is full (the TU reports 503 locally).</returns>
    /// <exception cref="ArgumentException">The bytes are not a valid request, the method is ACK, the branch lacks the magic cookie or is already in use.</exception>
    public Transaction? SendRequest(ReadOnlySpan<byte> request, in PeerAddress destination)
    {
        SipParseResult r = SipParser.Parse(request, SipFraming.Datagram, _scratch);
        if (!r.IsDone || !_scratch.IsRequest)
            throw new ArgumentException($"Not a valid SIP request: {r.Error} at byte {r.Position}.", nameof(request));
        // §17.1.1.3: ACK for a non-2xx is sent by the INVITE transaction; ACK for a 2xx goes
        // outside any transaction (SendStateless).
        if (_scratch.Method == SipMethod.Ack) throw new ArgumentException("ACK does not start a client transaction; use SendStateless.", nameof(request));
        SipVia via = _scratch.TopVia;
        if (!HasRfc3261Branch(via)) throw new ArgumentException("The top Via branch must start with z9hG4bK and be unique (RFC 3261 §8.1.1.7).", nameof(request));
        int keyLength = ClientKey(via, _scratch.CSeqMethod, _scratch.CSeqMethodName);
        if (keyLength < 0) throw new ArgumentException("The Via branch is too long.", nameof(request));
        ReadOnlySpan<byte> key = _keyScratch.AsSpan(0, keyLength);
        int hash = Hash(key);
        if (Lookup(key, hash) is not null) throw new ArgumentException("A client transaction with this branch exists.", nameof(request));

        bool invite = _scratch.Method == SipMethod.Invite;
        Transaction? t = Allocate(invite ? TransactionKind.InviteClient : TransactionKind.NonInviteClient, _scratch.Method);
        if (t is null) return null;
        SetKey(t, key, hash);
        Link(t);
        Transaction.Store(ref t._request, ref t._requestLength, request);
        t.Remote = destination;
        long now = _clock.NowMicros;
        t.State = invite ? TransactionState.Calling : TransactionState.Trying;
        if (!destination.IsReliable)
        {
            // Timer A / E start at T1 (§17.1.1.2, §17.1.2.2).
            t._retransmitInterval = _t1;
            t._retransmitAt = now + _t1;
        }
        // Timer B / F: 64*T1.
        t._timeoutAt = now + 64 * _t1;
        Arm(t);
        Transmit(t, request);
        return t;
    }

    /// <summary>
    /// Cancels the INVITE of client transaction <paramref name="invite"/> (§9.1): sends a CANCEL
    /// once a provisional response has arrived (at once if one has), never after a final response.
    /// </summary>
    /// <returns>True when the CANCEL was sent or will be sent on the first provisional response.</returns>
    /// <exception cref="ArgumentException">The transaction is not an INVITE client transaction.</exception>
    public bool Cancel(Transaction invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.Kind != TransactionKind.InviteClient) throw new ArgumentException("Only an INVITE client transaction can be cancelled.", nameof(invite));
        switch (invite.State)
        {
            case TransactionState.Calling:
                // §9.1: no provisional yet - the CANCEL MUST wait for one.
                invite._cancelPending = true;
                return true;
            case TransactionState.Proceeding:
                return SendCancel(invite);
            default:
                return false;
        }
    }

    private bool SendCancel(Transaction invite)
    {
        invite._cancelPending = false;
        SipMessage req = _scratch2;
        if (!SipParser.Parse(invite.Request, SipFraming.Datagram, req).IsDone) return false;
        // §9.1: same Request-URI, Call-ID, To, From, CSeq number, a single Via equal to the top
        // Via of the INVITE, and its Route header fields.
        var w = new SipMessageWriter(_sendScratch);
        w.RequestLine("CANCEL"u8, req.RequestUri);
        w.Header("Via"u8, req.TopVia.Value);
        WriteCopied(ref w, req, SipHeaderKind.Route, "Route"u8);
        w.Header("Max-Forwards"u8, 70);
        w.Header("From"u8, req.From.Value);
        w.Header("To"u8, req.To.Value);
        w.Header("Call-ID"u8, req.CallId);
        w.Append("CSeq: "u8);
        w.AppendInt(req.CSeqNumber);
        w.Append(" CANCEL\r\n"u8);
        w.End();
        if (w.Overflowed) return false;
        // The CANCEL is its own non-INVITE client transaction with the INVITE's branch (§9.1).
        Transaction? c = SendRequest(w.Written, invite.Remote);
        if (c is null) return false;
        // §9.1: without a final response 64*T1 after the CANCEL the INVITE is given up.
        invite._cancelGuardAt = _clock.NowMicros + 64 * _t1;
        Arm(invite);
        return true;
    }

    private static void WriteCopied(ref SipMessageWriter w, SipMessage m, SipHeaderKind kind, ReadOnlySpan<byte> name)
    {
        for (int i = m.IndexOfHeader(kind); i >= 0; i = m.IndexOfHeader(kind, i + 1))
        {
            w.Header(name, m.GetHeaderValue(i));
        }
    }

    private void ReceiveResponse(SipMessage response, in PeerAddress source)
    {
        int keyLength = ClientKey(response.TopVia, response.CSeqMethod, response.CSeqMethodName);
        Transaction? t = null;
        if (keyLength >= 0)
        {
            ReadOnlySpan<byte> key = _keyScratch.AsSpan(0, keyLength);
            t = Lookup(key, Hash(key));
        }
        if (t is null)
        {
            _user.OnStrayResponse(response, source);
            return;
        }
        int code = response.StatusCode;
        if (t.Kind == TransactionKind.InviteClient) InviteClientResponse(t, response, code);
        else NonInviteClientResponse(t, response, code);
    }

    private void InviteClientResponse(Transaction t, SipMessage response, int code)
    {
        switch (t.State)
        {
            case TransactionState.Calling:
            case TransactionState.Proceeding:
                t.LastStatusCode = code;
                if (code < 200)
                {
                    // §17.1.1.2: a provisional response stops Timer A (and Timer B, which only runs in Calling).
                    t.State = TransactionState.Proceeding;
                    t._retransmitAt = Transaction.NoTimer;
                    t._timeoutAt = Transaction.NoTimer;
                    _user.OnResponse(t, response);
                    if (t._cancelPending && t.State == TransactionState.Proceeding) SendCancel(t);
                    return;
                }
                t._retransmitAt = Transaction.NoTimer;
                t._timeoutAt = Transaction.NoTimer;
                t._cancelGuardAt = Transaction.NoTimer;
                t._cancelPending = false;
                if (code < 300)
                {
                    // RFC 6026 §7.2: a 2xx moves to Accepted (Timer M = 64*T1) and goes up; the
                    // TU sends the ACK itself (§13.2.2.4).
                    t.State = TransactionState.Accepted;
                    t._endAt = _clock.NowMicros + 64 * _t1;
                    Arm(t);
                    _user.OnResponse(t, response);
                    return;
                }
                // §17.1.1.3: ACK the 300-699 inside the transaction, then Completed with Timer D.
                t.State = TransactionState.Completed;
                if (BuildAck(t, response)) _sender.Send(t.LastSent, t.Remote);
                _user.OnResponse(t, response);
                if (t.State != TransactionState.Completed) return;
                if (t.IsReliable)
                {
                    Terminate(t);
                    return;
                }
                t._endAt = _clock.NowMicros + TimerDMicros;
                Arm(t);
                return;
            case TransactionState.Accepted:
                // RFC 6026 §7.2 / §8.4: further 2xx (retransmissions or other forks) go to the TU.
                if (code >= 200 && code < 300) _user.OnResponse(t, response);
                return;
            case TransactionState.Completed:
                // §17.1.1.2: a retransmitted final response gets the ACK again and is absorbed.
                if (code >= 300) _sender.Send(t.LastSent, t.Remote);
                return;
        }
    }

    private void NonInviteClientResponse(Transaction t, SipMessage response, int code)
    {
        if (t.State is not (TransactionState.Trying or TransactionState.Proceeding)) return; // Completed absorbs (§17.1.2.2).
        t.LastStatusCode = code;
        if (code < 200)
        {
            // §17.1.2.2: in Proceeding Timer E fires every T2.
            t.State = TransactionState.Proceeding;
            if (!t.IsReliable) t._retransmitInterval = _t2;
            _user.OnResponse(t, response);
            return;
        }
        t.State = TransactionState.Completed;
        t._retransmitAt = Transaction.NoTimer;
        t._timeoutAt = Transaction.NoTimer;
        _user.OnResponse(t, response);
        if (t.State != TransactionState.Completed) return;
        // Timer K: T4 over UDP, zero over reliable transports.
        if (t.IsReliable)
        {
            Terminate(t);
            return;
        }
        t._endAt = _clock.NowMicros + _t4;
        Arm(t);
    }

    private bool BuildAck(Transaction t, SipMessage response)
    {
        SipMessage req = _scratch2;
        if (!SipParser.Parse(t.Request, SipFraming.Datagram, req).IsDone) return false;
        // §17.1.1.3: Request-URI, Call-ID, From, CSeq number and the single top Via of the request,
        // To of the response, Route header fields of the request.
        var w = new SipMessageWriter(_sendScratch);
        w.RequestLine("ACK"u8, req.RequestUri);
        w.Header("Via"u8, req.TopVia.Value);
        WriteCopied(ref w, req, SipHeaderKind.Route, "Route"u8);
        w.Header("Max-Forwards"u8, 70);
        w.Header("From"u8, req.From.Value);
        w.Header("To"u8, response.To.Value);
        w.Header("Call-ID"u8, req.CallId);
        w.Append("CSeq: "u8);
        w.AppendInt(req.CSeqNumber);
        w.Append(" ACK\r\n"u8);
        w.End();
        if (w.Overflowed) return false;
        Transaction.Store(ref t._response, ref t._responseLength, w.Written);
        return true;
    }

    private void FireInviteClient(Transaction t, long now)
    {
        if (t._endAt <= now)
        {
            Terminate(t); // Timer D (Completed) or Timer M (Accepted).
            return;
        }
        if (t._cancelGuardAt <= now)
        {
            Fail(t, TransactionError.CancelTimeout);
            return;
        }
        if (t._timeoutAt <= now)
        {
            Fail(t, TransactionError.Timeout); // Timer B.
            return;
        }
        if (t._retransmitAt <= now)
        {
            // Timer A doubles without a cap (§17.1.1.2).
            t._retransmitInterval *= 2;
            t._retransmitAt = now + t._retransmitInterval;
            Transmit(t, t.Request);
        }
    }

    private void FireNonInviteClient(Transaction t, long now)
    {
        if (t._endAt <= now)
        {
            Terminate(t); // Timer K.
            return;
        }
        if (t._timeoutAt <= now)
        {
            Fail(t, TransactionError.Timeout); // Timer F.
            return;
        }
        if (t._retransmitAt <= now)
        {
            // Timer E: min(2*interval, T2) in Trying, T2 in Proceeding (§17.1.2.2).
            t._retransmitInterval = t.State == TransactionState.Proceeding ? _t2 : Math.Min(2 * t._retransmitInterval, _t2);
            t._retransmitAt = now + t._retransmitInterval;
            Transmit(t, t.Request);
        }
    }
}
