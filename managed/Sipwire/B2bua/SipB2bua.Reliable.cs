// Reliable provisional responses (RFC 3262) across the B2BUA: PRACK on the callee leg, reliable or plain 1xx to the caller.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Security;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.B2bua;

public sealed partial class SipB2bua
{
    // A PRACK's client transaction: its answer ends nothing (RFC 5057 §5.1: PRACK is a transaction-only usage).
    private static readonly object s_prackMarker = new();

    /// <summary>
    /// Callee leg: a 1xx with Require: 100rel and an RSeq is PRACKed once, in order (RFC 3262 §4). Returns false
    /// for a retransmission or a 1xx out of order, which is then not relayed again either.
    /// </summary>
    private bool PrackCallee(B2buaCall call, Dialog d, SipMessage response, out bool reliable)
    {
        reliable = false;
        if (!CallHeaders.Has(response, SipHeaderKind.Require, "100rel")) return true;
        uint rseq = CallHeaders.RSeq(response);
        if (rseq == 0) return true; // §7.1: without a valid RSeq it is an ordinary 1xx
        reliable = true;
        if (call._calleeRSeq.TryGetValue(d.RemoteTag, out uint last) && rseq != last + 1) return false;
        call._calleeRSeq[d.RemoteTag] = rseq;
        // §7.2: RAck = response-num CSeq-num Method of the response acknowledged.
        Transaction? t = _dialogs.SendRequest(d, "PRACK", "RAck: " + rseq.ToString(System.Globalization.CultureInfo.InvariantCulture) + " "
            + response.CSeqNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) + " INVITE\r\n");
        if (t is not null) t.UserData = s_prackMarker;
        return true;
    }

    /// <summary>
    /// Sends a 1xx to the caller: reliably (Require: 100rel, RSeq, retransmitted until its PRACK, RFC 3262 §3)
    /// when the caller requires 100rel, or supports it and the callee's 1xx was reliable; otherwise as a plain 1xx.
    /// A reliable 1xx waits while an earlier one is unacknowledged.
    /// </summary>
    private void SendProvisionalToCaller(B2buaCall call, int code, ReadOnlySpan<byte> reason, ReadOnlyMemory<byte> sdp, bool calleeReliable)
    {
        Transaction t = call._callerInvite!;
        SipMessage callerRequest = CallerRequest(call);
        bool reliable = call._callerRequires100rel || (call._callerSupports100rel && calleeReliable);
        if (!reliable)
        {
            int n = WriteResponse(callerRequest, t.Source, code, reason, call.CallerLocalTag, "", sdp, contact: true);
            if (n > 0) _layer.Respond(t, _buffer.AsSpan(0, n));
            return;
        }
        if (call._reliable is not null)
        {
            // §3: one unacknowledged reliable 1xx at a time; the next goes when the PRACK comes.
            call._reliableQueue.Enqueue((code, reason.ToArray(), sdp));
            return;
        }
        // §3: RSeq starts anywhere in 1..2^31-1 and grows by one per reliable 1xx.
        if (call._nextRSeq == 0)
        {
            Span<byte> r = stackalloc byte[4];
            SecureRandom.Fill(r);
            call._nextRSeq = BinaryPrimitives.ReadUInt32LittleEndian(r) % (1u << 30) + 1;
        }
        uint rseq = call._nextRSeq++;
        int len = WriteResponse(callerRequest, t.Source, code, reason, call.CallerLocalTag,
            "Require: 100rel\r\nRSeq: " + rseq.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n", sdp, contact: true);
        if (len <= 0 || !_layer.Respond(t, _buffer.AsSpan(0, len))) return;
        long now = _layer.Clock.NowMicros;
        call._reliable = _buffer.AsSpan(0, len).ToArray();
        call._reliableRSeq = rseq;
        call._reliableInterval = _layer.T1Micros;
        call._reliableAt = now + _layer.T1Micros;
        call._reliableGiveUpAt = now + 64 * _layer.T1Micros;
    }

    /// <summary>Retransmits the caller's unacknowledged reliable 1xx (T1 doubling) or gives up after 64*T1 (RFC 3262 §3).</summary>
    private void OnReliableTimer(B2buaCall call, long now)
    {
        if (call._callerInvite is not { } t || call.IsEstablished || call.IsEnded)
        {
            StopReliable(call);
            return;
        }
        if (call._reliableGiveUpAt <= now)
        {
            // §3: no PRACK within 64*T1: reject the INVITE with a 5xx; the callee leg is cancelled.
            StopReliable(call);
            if (call._calleeInvite is not null) _layer.Cancel(call._calleeInvite);
            FailSetup(call, 500, "Server Internal Error (no PRACK for the reliable provisional response)", B2buaSide.Caller);
            return;
        }
        call._reliableInterval *= 2;
        call._reliableAt = Math.Min(now + call._reliableInterval, call._reliableGiveUpAt);
        _layer.Respond(t, call._reliable);
    }

    private static void StopReliable(B2buaCall call)
    {
        call._reliable = null;
        call._reliableAt = long.MaxValue;
        call._reliableGiveUpAt = long.MaxValue;
    }

    /// <summary>
    /// The caller's PRACK (in its early or confirmed dialog): answered on this leg, never relayed - the callee
    /// leg's reliable 1xx got our own PRACK (RFC 3262 §4). 481 when it matches no reliable 1xx we sent (§3).
    /// </summary>
    private void OnCallerPrack(B2buaCall call, Dialog d, Transaction transaction, SipMessage request)
    {
        SipRAckHeader? rack = CallHeaders.RAck(request);
        uint inviteCSeq = CallerRequest(call).CSeqNumber;
        if (d != call.CallerDialog || rack is null || call._nextRSeq == 0 || rack.RSeq >= call._nextRSeq || rack.RSeq + 64 < call._nextRSeq
            || rack.CSeq != inviteCSeq || !rack.Method.Equals("INVITE", StringComparison.Ordinal))
        {
            Respond(transaction, request, 481, "Call/Transaction Does Not Exist (no matching reliable provisional response)", "");
            return;
        }
        int status = _dialogs.OnInDialogRequest(d, request);
        if (status != 0)
        {
            Respond(transaction, request, status, "Server Internal Error", "");
            return;
        }
        if (!request.Body.IsEmpty)
        {
            // §5: an offer in a PRACK would need the callee's answer in the PRACK's 2xx; this B2BUA does not bridge that.
            Respond(transaction, request, 488, "Not Acceptable Here", "", "Warning: 399 " + _host + " \"offers in PRACK are not bridged\"\r\n");
            return;
        }
        Respond(transaction, request, 200, "OK", "");
        if (rack.RSeq != call._reliableRSeq || call._reliable is null) return; // a late PRACK for an earlier 1xx
        StopReliable(call);
        if (call._reliableQueue.Count > 0 && !call.IsEstablished && !call.IsEnded)
        {
            (int code, byte[] reason, ReadOnlyMemory<byte> sdp) = call._reliableQueue.Dequeue();
            SendProvisionalToCaller(call, code, reason, sdp, calleeReliable: true);
        }
    }

    /// <summary>The option tags the caller's INVITE names in Require that this B2BUA does not implement (RFC 3261 §8.2.2.3).</summary>
    private static string UnsupportedRequired(SipMessage request)
    {
        var unsupported = new StringBuilder();
        foreach (string tag in CallHeaders.Tokens(request, SipHeaderKind.Require))
        {
            // 100rel: we send reliable 1xx ourselves (RFC 3262 §3); timer: each leg's session timer is ours (RFC 4028).
            if (tag.Equals("100rel", StringComparison.OrdinalIgnoreCase) || tag.Equals("timer", StringComparison.OrdinalIgnoreCase)) continue;
            if (unsupported.Length > 0) unsupported.Append(", ");
            unsupported.Append(tag);
        }
        return unsupported.ToString();
    }
}
