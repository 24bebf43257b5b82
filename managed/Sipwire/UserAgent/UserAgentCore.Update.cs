// Session changes of the UA core's calls: re-INVITE and UPDATE (RFC 3261 §14, RFC 3311) with the §14.1 glare retry.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sdp;
using Sipwire.Session;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private const int MaxGlareRetries = 3;

    internal bool Reoffer(SipCall call, SdpDirection direction, CallModifyMethod method)
    {
        // A new request from the application replaces a 491 retry that has not gone out yet.
        call._glareRetryAt = long.MaxValue;
        call._glareRetries = 0;
        return SendModify(call, method, direction, isRefresh: false);
    }

    /// <summary>The dialog a session change goes in: the confirmed one, or the early one an UPDATE may use (RFC 3311 §5.1).</summary>
    private Dialog? ModifiableDialog(SipCall call, CallModifyMethod method)
    {
        if (call.State == CallState.Active) return call.Dialog;
        if (method != CallModifyMethod.Update) return null;
        // RFC 3311 §5.1: in an early dialog only once the initial offer/answer is complete -
        // UAC: the answer came in a reliable 1xx; UAS: our answer went in a reliable 1xx that was PRACKed.
        if (call.IsOutgoing && call.State == CallState.Ringing && call._answerReceived)
        {
            foreach (Dialog d in _dialogs!.Dialogs)
            {
                if (ReferenceEquals(d.UserData, call) && d.State == DialogState.Early) return d;
            }
            return null;
        }
        if (!call.IsOutgoing && call.State == CallState.Incoming && call._earlyAnswerSent && call._reliable is null) return call.Dialog;
        return null;
    }

    /// <summary>Sends a re-INVITE (always with an offer) or an UPDATE (with an offer, or none for a pure session refresh, RFC 4028 §7.4).</summary>
    private bool SendModify(SipCall call, CallModifyMethod method, SdpDirection direction, bool isRefresh)
    {
        if (call._update is not null || _dialogs is null) return false;
        if (method == CallModifyMethod.Update && !call._peerAllowsUpdate) return false; // RFC 3311 §5.1: the peer's Allow must list UPDATE
        Dialog? d = ModifiableDialog(call, method);
        if (d is null) return false;
        bool withOffer = method == CallModifyMethod.ReInvite || !isRefresh;
        call._directionBeforeUpdate = call.Negotiator.LocalDirection;
        byte[] body = [];
        string sdpHeaders = "";
        if (withOffer)
        {
            call.Negotiator.LocalDirection = direction;
            string offer = call.Negotiator.CreateOffer().ToString();
            body = Encoding.UTF8.GetBytes(offer);
            // RFC 3261 §23: an S/MIME-protected offer when configured; never in the clear instead.
            if (ProtectsSdp && !TryProtectSdp(call, offer, out sdpHeaders, out body))
            {
                call.Negotiator.LocalDirection = call._directionBeforeUpdate;
                return false;
            }
        }
        string headers = ContactAndType(withOffer) + sdpHeaders + SessionTimerRequestHeaders(call, initial: false);
        Transaction? t = _dialogs.SendRequest(d, method == CallModifyMethod.ReInvite ? "INVITE" : "UPDATE", headers, body);
        if (t is null)
        {
            call.Negotiator.LocalDirection = call._directionBeforeUpdate;
            return false;
        }
        t.UserData = call;
        call._update = t;
        call._updateGeneration = t.Generation;
        call._updateMethod = method;
        call._updateIsRefresh = isRefresh;
        call._updateDirection = direction;
        if (call.IsRefresher) call._refreshAt = long.MaxValue; // this request refreshes the session (RFC 4028 §10)
        return true;
    }

    private void OnModifyResponse(SipCall call, Transaction transaction, SipMessage response)
    {
        int code = response.StatusCode;
        _dialogs!.OnResponse(transaction, response); // ACKs a 2xx to a re-INVITE; ends the dialog on 481/408
        if (code < 200) return;
        call._update = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        bool withOffer = call._updateMethod == CallModifyMethod.ReInvite || !call._updateIsRefresh;
        if (response.IndexOfHeader(SipHeaderKind.Allow) >= 0) call._peerAllowsUpdate = CallHeaders.Has(response, SipHeaderKind.Allow, "UPDATE");
        if (code < 300)
        {
            call._glareRetries = 0;
            if (withOffer)
            {
                if (!TryApplyAnswer(call, response.Body, out NegotiatedAudio? audio, out string failure))
                {
                    // RFC 3261 §14.2 leaves the session as it was; we cannot run media we do not understand.
                    Dialog? bd = call.Dialog ?? ModifiableDialog(call, CallModifyMethod.Update);
                    if (bd is not null) _dialogs.SendRequest(bd, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(failure)}\"\r\n");
                    if (call.State is CallState.Incoming) RejectCall(call, 488, "Not Acceptable Here");
                    End(call, 488, "Not Acceptable Here (" + (call._updateMethod == CallModifyMethod.Update ? "UPDATE" : "re-INVITE") + " answer SDP: " + failure + ")", byLocal: true);
                    return;
                }
                call.Audio = audio;
            }
            // RFC 4028 §7.2 / §10: a 2xx to a re-INVITE or UPDATE refreshes the session.
            if (call.State == CallState.Active) ApplySessionTimerAsUac(call, response);
            if (call._updateIsRefresh) call.Raise(new CallEvent(CallEventKind.Refreshed, code, reason, true, call.Audio));
            else call.Raise(new CallEvent(CallEventKind.MediaUpdated, code, reason, true, call.Audio));
            return;
        }
        // §14.1 / RFC 3311 §5.1: a non-2xx leaves the session unchanged.
        if (withOffer) call.Negotiator.LocalDirection = call._directionBeforeUpdate;
        if (code is 481 or 408)
        {
            End(call, code, reason, byLocal: false);
            return;
        }
        if (code == 491 && call._glareRetries < MaxGlareRetries)
        {
            // §14.1: glare. Retry after T: 2.1-4 s (10 ms steps) when we own the Call-ID (we sent the
            // initial INVITE), 0-2 s otherwise; the random source is injectable for tests.
            long delayMs = call.IsOutgoing ? 2100 + 10 * RandomInt(0, 191) : 10 * RandomInt(0, 201);
            call._glareRetries++;
            call._glareMethod = call._updateMethod;
            call._glareDirection = call._updateDirection;
            call._glareIsRefresh = call._updateIsRefresh;
            call._glareRetryAt = _layer.Clock.NowMicros + delayMs * 1000;
            return;
        }
        if (code == 422 && TryRaiseMinSE(call, response))
        {
            // RFC 4028 §7.4 / §6: retry the request with a Session-Expires of at least the peer's Min-SE.
            if (SendModify(call, call._updateMethod, call._updateDirection, call._updateIsRefresh)) return;
        }
        call.Raise(new CallEvent(CallEventKind.UpdateFailed, code, FailureReason(response, code, reason), true, call.Audio));
        // A refresh that was folded into this request is still due.
        if (call.IsRefresher && call._refreshAt == long.MaxValue && call.State == CallState.Active && !call._updateIsRefresh) call._refreshAt = _layer.Clock.NowMicros;
    }

    private void OnGlareTimer(SipCall call)
    {
        call._glareRetryAt = long.MaxValue;
        if (SendModify(call, call._glareMethod, call._glareDirection, call._glareIsRefresh)) return;
        if (call._update is not null) return; // something else is in flight; it carries the change or fails on its own
        call.Raise(new CallEvent(CallEventKind.UpdateFailed, 491, "Request Pending (the retry after the RFC 3261 §14.1 timer could not be sent)", true, call.Audio));
    }

    private void OnUpdateRequest(SipCall call, Transaction transaction, SipMessage request)
    {
        if (RejectSmallSessionExpires(transaction, request, "")) return;
        bool hasOffer = !request.Body.IsEmpty;
        string? answer = null;
        NegotiatedAudio? audio = call.Audio;
        if (hasOffer)
        {
            // RFC 3311 §5.2: an offer of ours still unanswered (our re-INVITE/UPDATE, or our initial
            // INVITE before its answer) makes this glare: 491.
            bool ourOfferPending = (call._update is not null && (call._updateMethod == CallModifyMethod.ReInvite || !call._updateIsRefresh))
                || (call.IsOutgoing && !call._answerReceived);
            if (ourOfferPending)
            {
                _layer.Respond(transaction, 491, "Request Pending"u8, []);
                return;
            }
            // §5.2: an offer we received and have not answered yet (the initial INVITE's, before our
            // answer went out reliably, or an offerless re-INVITE awaiting its ACK): 500 with Retry-After 0-10 s.
            bool theirOfferUnanswered = (!call.IsOutgoing && call.State == CallState.Incoming && !call._earlyAnswerSent) || call._reinviteOfferInAck
                || (!call.IsOutgoing && call.State == CallState.Answered);
            if (theirOfferUnanswered)
            {
                RespondWithHeaders(transaction, request, 500, "Server Internal Error", "", $"Retry-After: {RandomInt(0, 11)}\r\n");
                return;
            }
            SdpError e = SdpSessionDescription.TryParse(request.Body, out SdpSessionDescription? offer, out int line);
            OfferAnswerResult? r = e == SdpError.None ? call.Negotiator.Answer(offer!) : null;
            if (r is null || !r.Succeeded)
            {
                // RFC 3311 §5.2: an offer we cannot accept: 488, the session stays as it was.
                RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", r?.Failure ?? $"offer SDP {e} at line {line}");
                return;
            }
            answer = r.Answer!.ToString();
            audio = r.Audio;
            if (call.State == CallState.Incoming) call._pendingAnswer = answer; // the 2xx to the INVITE repeats the session now agreed
        }
        uint se = 0;
        bool weRefresh = false;
        string timer = call.State == CallState.Active ? NegotiateSessionTimerAsUas(call, request, out se, out weRefresh) : "";
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, []);
        WriteCommon(ref w, hasBody: answer is not null);
        w.AppendText(timer);
        EndWithSdp(ref w, call, answer);
        if (w.Overflowed || !_layer.Respond(transaction, w.Written)) return;
        if (se > 0) StartSessionTimer(call, se, weRefresh);
        if (hasOffer)
        {
            call.Audio = audio;
            call.Raise(new CallEvent(CallEventKind.MediaUpdated, 200, "UPDATE from the peer", false, audio));
        }
        else if (se > 0)
        {
            call.Raise(new CallEvent(CallEventKind.Refreshed, 200, "UPDATE (session refresh) from the peer", false, call.Audio));
        }
    }
}
