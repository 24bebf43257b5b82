// Reliable provisional responses and PRACK (RFC 3262) for the UA core's calls, both as UAC and UAS.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sdp;
using Sipwire.Session;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    // ---- UAC: PRACK each reliable 1xx once, in order (RFC 3262 §4) ----

    /// <summary>Sends the PRACK for a new reliable 1xx; false for a retransmission or one out of order (no event then).</summary>
    private bool OnReliableProvisional(SipCall call, Dialog d, SipMessage response)
    {
        uint rseq = CallHeaders.RSeq(response);
        if (rseq == 0) return true; // §7.1: without a valid RSeq it is not a reliable response; take it as an ordinary 1xx
        if (call._rseqByTag.TryGetValue(d.RemoteTag, out uint last))
        {
            // §4: a retransmission (our PRACK's transaction retransmits by itself if it was lost), or
            // a response out of order, which is not acknowledged until the missing one arrives.
            if (rseq <= last || rseq != last + 1) return false;
        }
        call._rseqByTag[d.RemoteTag] = rseq;
        // §7.2: RAck = response-num CSeq-num Method of the response being acknowledged.
        Transaction? t = _dialogs!.SendRequest(d, "PRACK", $"RAck: {rseq} {response.CSeqNumber} INVITE\r\n");
        if (t is not null) t.UserData = call;
        return true;
    }

    // ---- UAS: send 1xx reliably, retransmit until PRACK, give up after 64*T1 (RFC 3262 §3) ----

    private bool UseReliable(SipCall call, bool withSdp)
    {
        ReliableProvisionalMode mode = _options!.ReliableProvisional;
        if (mode == ReliableProvisionalMode.Off || !call._peerSupports100rel) return false;
        // §3: when the UAC requires it; our own policy otherwise (always when required, for SDP when supported, §5).
        return call._peerRequires100rel || mode == ReliableProvisionalMode.Required || withSdp;
    }

    /// <summary>Sends a 1xx to the call's INVITE with our Contact, reliably when 100rel is in use; an SDP 1xx carries the answer.</summary>
    private bool SendProvisional(SipCall call, int code, string reason, bool withSdp)
    {
        if (call._invite is not { } t || t.Generation != call._inviteGeneration) return false;
        bool reliable = UseReliable(call, withSdp);
        if (reliable && call._reliable is not null)
        {
            // §3: one unacknowledged reliable 1xx at a time; an SDP one waits for the PRACK, a later 180 is dropped.
            if (withSdp) call._progressQueued = true;
            return true;
        }
        if (call._inviteRequest is null || !SipParser.Parse(call._inviteRequest, SipFraming.Datagram, Reparsed).IsDone) return false;
        uint rseq = 0;
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, Reparsed, t.Source, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(call._localTag));
        if (reliable)
        {
            // §3: RSeq starts at a random value in 1..2^31-1 and grows by one per reliable 1xx.
            if (call._nextRSeq == 0) call._nextRSeq = (uint)RandomInt(1, 1 << 30);
            rseq = call._nextRSeq++;
            w.Append("Require: 100rel\r\nRSeq: "u8);
            w.AppendInt(rseq);
            w.Append("\r\n"u8);
        }
        WriteCommon(ref w, hasBody: withSdp);
        EndWithSdp(ref w, call, withSdp ? call._pendingAnswer ?? "" : null);
        if (w.Overflowed || !_layer.Respond(t, w.Written)) return false;
        if (withSdp && reliable) call._earlyAnswerSent = true;
        if (!reliable) return true;
        long now = _layer.Clock.NowMicros;
        call._reliable = w.Written.ToArray();
        call._reliableRSeq = rseq;
        call._reliableHasSdp = withSdp;
        call._reliableInterval = _layer.T1Micros;
        call._reliableAt = now + _layer.T1Micros;
        call._reliableGiveUpAt = now + 64 * _layer.T1Micros;
        return true;
    }

    internal bool SendProgress(SipCall call)
    {
        // Early media needs the caller's offer: our answer goes in the 183 (RFC 3262 §5, RFC 3261 §13.3.1.1).
        if (call.IsOutgoing || call.State != CallState.Incoming || call._offerInAck || call._pendingAnswer is null) return false;
        return SendProvisional(call, 183, "Session Progress", withSdp: true);
    }

    private static void StopReliable(SipCall call)
    {
        call._reliable = null;
        call._reliableAt = long.MaxValue;
        call._reliableGiveUpAt = long.MaxValue;
        call._progressQueued = false;
    }

    private void OnReliableTimer(SipCall call, long now)
    {
        if (call._invite is not { } t || t.Generation != call._inviteGeneration || call.State != CallState.Incoming)
        {
            StopReliable(call);
            return;
        }
        if (call._reliableGiveUpAt <= now)
        {
            // §3: no PRACK for 64*T1: reject the INVITE with a 5xx and end the call.
            StopReliable(call);
            RespondWithHeaders(t, null, 500, "Server Internal Error - No PRACK", call._localTag, "");
            if (call.Dialog is { } d) _dialogs!.End(d);
            End(call, 500, "Server Internal Error (no PRACK for the reliable provisional response within 64*T1, RFC 3262 §3)", byLocal: true);
            return;
        }
        // §3: retransmit with an interval that starts at T1 and doubles each time.
        call._reliableInterval *= 2;
        call._reliableAt = Math.Min(now + call._reliableInterval, call._reliableGiveUpAt);
        _layer.Respond(t, call._reliable);
    }

    private void OnPrack(SipCall call, Transaction transaction, SipMessage request)
    {
        SipRAckHeader? rack = CallHeaders.RAck(request);
        // A PRACK for our last reliable 1xx that arrives after the final response stopped its
        // retransmissions still matches it (the UAS may answer before the PRACK, §3).
        if (call._reliableRSeq == 0 || rack is null || rack.RSeq != call._reliableRSeq || rack.CSeq != call._inviteCSeq
            || !rack.Method.Equals("INVITE", StringComparison.Ordinal))
        {
            // §3: a PRACK that matches no unacknowledged reliable 1xx gets 481.
            _layer.Respond(transaction, 481, "Call/Transaction Does Not Exist - No Matching Reliable Response"u8, []);
            return;
        }
        bool progressQueued = call._progressQueued; // StopReliable forgets it; the queued 183 goes after this PRACK (§3)
        StopReliable(call);
        string? answer = null;
        if (!request.Body.IsEmpty)
        {
            // §5: with the initial offer/answer complete, a PRACK may carry a new offer; answer it in the 2xx.
            SdpError e = SdpSessionDescription.TryParse(request.Body, out SdpSessionDescription? offer, out int line);
            OfferAnswerResult? r = e == SdpError.None ? call.Negotiator.Answer(offer!) : null;
            if (r is null || !r.Succeeded)
            {
                RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", r?.Failure ?? $"offer SDP {e} at line {line}");
                return;
            }
            answer = r.Answer!.ToString();
            call.Audio = r.Audio;
            call._pendingAnswer = answer;
        }
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, []);
        if (answer is not null && !ProtectsSdp) w.Append("Content-Type: application/sdp\r\n"u8);
        EndWithSdp(ref w, call, answer);
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        if (answer is not null) call.Raise(new CallEvent(CallEventKind.MediaUpdated, 200, "offer in PRACK from the peer", false, call.Audio));
        if (progressQueued) SendProvisional(call, 183, "Session Progress", withSdp: true);
        if (call._answerQueued && (call._reliable is null || !call._reliableHasSdp))
        {
            call._answerQueued = false;
            AnswerCall(call);
        }
    }
}
