// Server transactions: INVITE (§17.2.1, RFC 6026 §7.1), non-INVITE (§17.2.2), CANCEL (§9.2), response routing (§18.2.2).
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Transactions;

public sealed partial class TransactionLayer
{
    private void ReceiveRequest(SipMessage request, in PeerAddress source)
    {
        SipMethod method = request.Method;
        // §17.2.3: an ACK matches the INVITE server transaction it acknowledges.
        SipMethod keyMethod = method == SipMethod.Ack ? SipMethod.Invite : method;
        ReadOnlySpan<byte> keyName = method == SipMethod.Ack ? "INVITE"u8 : request.MethodName;
        int keyLength = ServerKey(request, keyMethod, keyName, out bool rfc2543);
        if (keyLength < 0)
        {
            if (method != SipMethod.Ack) RespondStateless(request, source, 400, "Bad Request - Transaction Key Too Long"u8);
            return;
        }
        ReadOnlySpan<byte> key = _keyScratch.AsSpan(0, keyLength);
        int hash = Hash(key);
        Transaction? t = Lookup(key, hash);
        if (t is not null && rfc2543 && !ToTagMatches(t, request, method == SipMethod.Ack)) t = null;

        if (method == SipMethod.Ack)
        {
            if (t is null)
            {
                // The ACK for a 2xx is its own transaction and goes to the UA core (§17.2.3 note, §13.3.1.4).
                _user.OnAck(null, request, source);
                return;
            }
            switch (t.State)
            {
                case TransactionState.Completed:
                    // §17.2.1: ACK for the non-2xx final response: Confirmed, Timer I = T4 (0 reliable).
                    t.State = TransactionState.Confirmed;
                    t._retransmitAt = Transaction.NoTimer;
                    t._timeoutAt = Transaction.NoTimer;
                    if (t.IsReliable)
                    {
                        Terminate(t);
                        return;
                    }
                    t._endAt = _clock.NowMicros + _t4;
                    Arm(t);
                    return;
                case TransactionState.Accepted:
                    // RFC 6026 §7.1: an ACK matching an Accepted transaction is passed to the TU.
                    _user.OnAck(t, request, source);
                    return;
                default:
                    return; // Confirmed absorbs ACK retransmissions; Proceeding has nothing to acknowledge.
            }
        }

        if (t is not null)
        {
            Retransmitted(t);
            return;
        }
        if (_completed.Count > 0 && _completed.TryFind(key, hash, request.To.Tag, out ReadOnlySpan<byte> last, out PeerAddress to))
        {
            // §17.2.2: a retransmitted request in Completed gets the final response again.
            _sender.Send(last, to);
            return;
        }

        bool invite = method == SipMethod.Invite;
        Transaction? n = Allocate(invite ? TransactionKind.InviteServer : TransactionKind.NonInviteServer, method);
        if (n is null)
        {
            // Bounded table (DESIGN.md principle 3): answer 503 statelessly (§21.5.4) and keep nothing, with
            // Retry-After (§20.33) saying when a slot is expected to free, so a well-behaved client backs off.
            RespondStateless(request, source, 503, "Service Unavailable - Transaction Table Full"u8, RetryAfterSeconds());
            return;
        }
        SetKey(n, key, hash);
        Link(n);
        n._rfc2543 = rfc2543;
        Transaction.Store(ref n._request, ref n._requestLength, request.Span);
        Transaction.Store(ref n._requestToTag, ref n._requestToTagLength, request.To.Tag);
        n.Source = source;
        n.Remote = ResponseDestination(request, source);
        n.State = invite ? TransactionState.Proceeding : TransactionState.Trying;
        if (invite)
        {
            n._tryingAt = _clock.NowMicros + TryingDelayMicros;
            Arm(n);
        }

        if (method == SipMethod.Cancel)
        {
            ReceiveCancel(n, request);
            return;
        }
        _user.OnRequest(n, request);
    }

    /// <summary>
    /// Sends <paramref name="response"/> (a complete response to the transaction's request) through
    /// server transaction <paramref name="transaction"/>, moving its state (§17.2.1, §17.2.2).
    /// </summary>
    /// <returns>False when the state does not take this response (e.g. a second final response).</returns>
    /// <exception cref="ArgumentException">Not a server transaction or not a SIP response.</exception>
    public bool Respond(Transaction transaction, ReadOnlySpan<byte> response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.IsClient) throw new ArgumentException("Only a server transaction sends responses.", nameof(transaction));
        int code = StatusCodeOf(response);
        if (code < 0) throw new ArgumentException("Not a SIP response (expected 'SIP/2.0 NNN ').", nameof(response));
        Transaction t = transaction;
        if (t.Kind == TransactionKind.InviteServer)
        {
            switch (t.State)
            {
                case TransactionState.Proceeding:
                    t._tryingAt = Transaction.NoTimer;
                    t.LastStatusCode = code;
                    Transaction.Store(ref t._response, ref t._responseLength, response);
                    if (code < 200)
                    {
                        Transmit(t, response);
                        return true;
                    }
                    if (code < 300)
                    {
                        // RFC 6026 §7.1: Accepted with Timer L = 64*T1; the TU retransmits the 2xx (§13.3.1.4).
                        t.State = TransactionState.Accepted;
                        t._endAt = _clock.NowMicros + 64 * _t1;
                        Arm(t);
                        Transmit(t, response);
                        return true;
                    }
                    RememberResponseToTag(t, response);
                    // §17.2.1: Completed, Timer G = T1 (unreliable only), Timer H = 64*T1.
                    t.State = TransactionState.Completed;
                    long now = _clock.NowMicros;
                    if (!t.IsReliable)
                    {
                        t._retransmitInterval = _t1;
                        t._retransmitAt = now + _t1;
                    }
                    t._timeoutAt = now + 64 * _t1;
                    Arm(t);
                    Transmit(t, response);
                    return true;
                case TransactionState.Accepted when code >= 200 && code < 300:
                    // RFC 6026 §7.1: 2xx retransmissions from the TU pass through the Accepted state.
                    Transmit(t, response);
                    return true;
                default:
                    return false;
            }
        }
        if (t.State is not (TransactionState.Trying or TransactionState.Proceeding)) return false;
        t.LastStatusCode = code;
        Transaction.Store(ref t._response, ref t._responseLength, response);
        if (code < 200)
        {
            t.State = TransactionState.Proceeding;
            Transmit(t, response);
            return true;
        }
        // §17.2.2: Completed with Timer J = 64*T1 for unreliable transports, zero for reliable.
        t.State = TransactionState.Completed;
        bool sent = Transmit(t, response);
        if (t.IsReliable && sent)
        {
            Terminate(t);
            return true;
        }
        if (sent)
        {
            long now = _clock.NowMicros;
            long endAt = now + 64 * _t1;
            // §17.2.2: from here the transaction only answers retransmissions with this response until Timer J;
            // the TU hears nothing more from it (as over TCP, where it ends at once). So the layer keeps key +
            // response only, and the full transaction ends at the next timer run (not inside this call: users
            // are never called back from inside a send) so its pooled object and buffers serve the next request.
            if (CompactCompleted && _completed.TryAdd(t.Key, t._hash, t._rfc2543, t._requestToTag.AsSpan(0, t._requestToTagLength),
                t.LastSent, t.Remote, endAt))
            {
                t._handedOver = true; // its place in Count is the compact entry's from now on
                Unlink(t); // retransmissions now match the compact entry
                t._endAt = now;
                Arm(t);
                return true;
            }
            t._endAt = endAt;
            Arm(t);
        }
        return true;
    }

    /// <summary>
    /// Writes a response without body to the transaction's request and sends it through the
    /// transaction (the common case: 100, 180, 481, 487, 200 without body).
    /// </summary>
    /// <returns>False when the state does not take this response or the response does not fit.</returns>
    public bool Respond(Transaction transaction, int statusCode, ReadOnlySpan<byte> reason, ReadOnlySpan<byte> toTag)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!SipParser.Parse(transaction.Request, SipFraming.Datagram, _scratch2).IsDone) return false;
        int n = SipResponses.Write(_scratch2, transaction.Source, statusCode, reason, toTag, _sendScratch);
        return n >= 0 && Respond(transaction, _sendScratch.AsSpan(0, n));
    }

    private void ReceiveCancel(Transaction cancel, SipMessage request)
    {
        // §9.2: the CANCEL matches the INVITE by the §17.2.3 rules with the method INVITE.
        int keyLength = ServerKey(request, SipMethod.Invite, "INVITE"u8, out bool rfc2543);
        Transaction? invite = null;
        if (keyLength >= 0)
        {
            ReadOnlySpan<byte> key = _keyScratch.AsSpan(0, keyLength);
            invite = Lookup(key, Hash(key));
            if (invite is not null && rfc2543 && !ToTagMatches(invite, request, ack: false)) invite = null;
        }
        if (invite is null || invite.Kind != TransactionKind.InviteServer)
        {
            Respond(cancel, 481, "Call/Transaction Does Not Exist"u8, []);
            return;
        }
        // §9.2: 200 to the CANCEL whatever the INVITE's state; the TU answers the INVITE 487 if it
        // has not sent a final response yet.
        Respond(cancel, 200, "OK"u8, invite._responseToTagLength > 0 ? invite._responseToTag.AsSpan(0, invite._responseToTagLength) : []);
        if (invite.State == TransactionState.Proceeding) _user.OnCancel(invite, request);
    }

    private void Retransmitted(Transaction t)
    {
        switch (t.State)
        {
            case TransactionState.Proceeding:
            case TransactionState.Completed:
                // §17.2.1 / §17.2.2: a retransmitted request gets the last response again.
                if (t._responseLength > 0) _sender.Send(t.LastSent, t.Remote);
                return;
            default:
                return; // Trying, Confirmed and Accepted absorb it (RFC 6026 §7.1 for Accepted).
        }
    }

    private void FireInviteServer(Transaction t, long now)
    {
        if (t._endAt <= now)
        {
            Terminate(t); // Timer I (Confirmed) or Timer L (Accepted).
            return;
        }
        if (t._timeoutAt <= now)
        {
            Fail(t, TransactionError.AckTimeout); // Timer H.
            return;
        }
        if (t._tryingAt <= now)
        {
            // §17.2.1: the TU did not answer within 200 ms, so the transaction sends 100 Trying.
            t._tryingAt = Transaction.NoTimer;
            Respond(t, 100, "Trying"u8, []);
        }
        if (t._retransmitAt <= now)
        {
            // Timer G: doubling, capped at T2 (§17.2.1).
            t._retransmitInterval = Math.Min(2 * t._retransmitInterval, _t2);
            t._retransmitAt = now + t._retransmitInterval;
            Transmit(t, t.LastSent);
        }
    }

    private void FireNonInviteServer(Transaction t, long now)
    {
        if (t._endAt <= now) Terminate(t); // Timer J.
    }

    private void RespondStateless(SipMessage request, in PeerAddress source, int code, ReadOnlySpan<byte> reason, int retryAfterSeconds = -1)
    {
        var w = new SipMessageWriter(_sendScratch);
        SipResponses.WriteHead(ref w, request, source, code, reason, []);
        if (retryAfterSeconds >= 0) w.Header("Retry-After"u8, retryAfterSeconds);
        w.End();
        if (!w.Overflowed) _sender.Send(_sendScratch.AsSpan(0, w.Length), ResponseDestination(request, source));
    }

    /// <summary>
    /// Retry-After for the table-full 503 (§20.33, delta-seconds): until the oldest compact Completed entry's
    /// Timer J frees its slot, or else until the table's earliest timer; rounded up, at least 1 s and at most
    /// 64*T1 (the longest any transaction waits for a timer here).
    /// </summary>
    private int RetryAfterSeconds()
    {
        long now = _clock.NowMicros;
        long at = _completed.OldestEndAt;
        if (at == Transaction.NoTimer) at = NextDeadline;
        long max = Math.Max(1, (64 * _t1 + 999_999) / 1_000_000);
        if (at == Transaction.NoTimer) return (int)Math.Min(max, 1);
        long seconds = (Math.Max(0, at - now) + 999_999) / 1_000_000;
        return (int)Math.Clamp(seconds, 1, max);
    }

    private static bool ToTagMatches(Transaction t, SipMessage request, bool ack)
    {
        ReadOnlySpan<byte> tag = request.To.Tag;
        // §17.2.3 (RFC 2543 rules): an ACK's To tag equals the tag of the response sent; other
        // requests match the To tag of the request that created the transaction.
        return ack
            ? tag.SequenceEqual(t._responseToTag.AsSpan(0, t._responseToTagLength))
            : tag.SequenceEqual(t._requestToTag.AsSpan(0, t._requestToTagLength));
    }

    private void RememberResponseToTag(Transaction t, ReadOnlySpan<byte> response)
    {
        if (!t._rfc2543) return;
        if (SipParser.Parse(response, SipFraming.Datagram, _scratch2).IsDone)
            Transaction.Store(ref t._responseToTag, ref t._responseToTagLength, _scratch2.To.Tag);
    }

    private static int StatusCodeOf(ReadOnlySpan<byte> response)
    {
        if (response.Length < 12 || !response.StartsWith("SIP/2.0 "u8)) return -1;
        int code = 0;
        for (int i = 8; i < 11; i++)
        {
            byte c = response[i];
            if (c is < (byte)'0' or > (byte)'9') return -1;
            code = code * 10 + (c - '0');
        }
        return code is >= 100 and <= 699 ? code : -1;
    }

    /// <summary>
    /// §18.2.2 with RFC 3581 §4: where responses to <paramref name="request"/> go. Over a stream,
    /// back on the connection it came on. Over UDP: to maddr when it is an IP literal, else to the
    /// source address with the rport port when rport was asked for, else the sent-by port (5060
    /// by default, §19.1.2).
    /// </summary>
    public static PeerAddress ResponseDestination(SipMessage request, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (source.IsReliable) return source;
        SipVia via = request.TopVia;
        int sentByPort = via.Port > 0 ? via.Port : 5060;
        ReadOnlySpan<byte> maddr = via.Maddr;
        if (!maddr.IsEmpty)
        {
            Span<char> text = stackalloc char[64];
            if (maddr.Length <= text.Length)
            {
                int n = Encoding.ASCII.GetChars(maddr, text);
                ReadOnlySpan<char> h = text[..n];
                if (h.Length > 2 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
                if (IPAddress.TryParse(h, out IPAddress? ip))
                    return PeerAddress.FromEndPoint(source.Protocol, new IPEndPoint(ip, sentByPort));
            }
        }
        if (via.HasRPort) return source;
        return source.WithPort(sentByPort);
    }
}
