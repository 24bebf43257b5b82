// The B2BUA's in-dialog side: BYE, re-INVITE, UPDATE and other requests mapped from one leg to the other.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.B2bua;

public sealed partial class SipB2bua
{
    private void OnInDialogRequest(Transaction transaction, SipMessage request)
    {
        // §12.2.2: Call-ID, To tag and From tag must name a dialog of ours, else 481. A forged BYE (or
        // re-INVITE) with identifiers that do not match gets exactly that and the call goes on.
        Dialog? d = _dialogs.FindForRequest(request);
        if (d?.UserData is not B2buaCall call || call.IsEnded)
        {
            Respond(transaction, request, 481, "Call/Transaction Does Not Exist", "");
            return;
        }
        B2buaSide side = d == call.CallerDialog ? B2buaSide.Caller : B2buaSide.Callee;
        Dialog? other = side == B2buaSide.Caller ? call.CalleeDialog : call.CallerDialog;
        if (request.Method == SipMethod.Bye)
        {
            // §15.1.2: the BYE ends this leg (the dialog layer ends the dialog; OnDialogTerminated
            // sends BYE on the other leg), and is answered here with 200.
            call._endedBy = side;
            int s = _dialogs.OnInDialogRequest(d, request);
            if (s != 0)
            {
                Respond(transaction, request, s, "Server Internal Error", "");
                return;
            }
            Respond(transaction, request, 200, "OK", "");
            return;
        }
        if (request.Method == SipMethod.Prack)
        {
            OnCallerPrack(call, d, transaction, request);
            return;
        }
        if (other is null || other.State == DialogState.Terminated)
        {
            Respond(transaction, request, 481, "Call/Transaction Does Not Exist", "");
            return;
        }
        int status = _dialogs.OnInDialogRequest(d, request);
        if (status != 0)
        {
            // §12.2.2: a CSeq lower than the last one gets 500.
            Respond(transaction, request, status, "Server Internal Error", "");
            return;
        }
        if (request.Method == SipMethod.Update && request.Body.IsEmpty)
        {
            // RFC 4028 §7.4 / RFC 3311: an UPDATE without SDP refreshes this leg's session (and maybe its target);
            // it is this leg's business - answered here, never turned into a request on the other leg.
            AnswerRefresh(call, side, transaction, request);
            return;
        }
        string method = SipMessage.ToText(request.MethodName);
        bool refresh = request.Method is SipMethod.Invite or SipMethod.Update;
        if (refresh && RejectSmallSessionExpires(transaction, request, "")) return;
        uint timerSeconds = 0;
        bool timerWeRefresh = false;
        string timerLines = refresh ? NegotiateAsUas(call, side, request, out timerSeconds, out timerWeRefresh) : "";
        ReadOnlyMemory<byte> body = default;
        string extra = refresh ? _contactLine : "";
        if (request.Method == SipMethod.Invite) extra += AllowLine;
        // RFC 4028 §10: a re-INVITE/UPDATE refreshes the other leg's session too; it keeps that leg's refresher.
        if (refresh) extra += RequestTimerLines(call, side == B2buaSide.Caller ? B2buaSide.Callee : B2buaSide.Caller, initial: false);
        if (!request.Body.IsEmpty)
        {
            bool sdp = IsSdp(request.ContentType);
            body = sdp ? Rewrite(call, side, request.Body.ToArray()) : request.Body.ToArray();
            extra += "Content-Type: " + (sdp ? "application/sdp" : SipMessage.ToText(request.ContentType)) + "\r\n";
            // RFC 6086 §5.2.2: an INFO names its package; that header goes along with the body.
            if (request.Method == SipMethod.Info) extra += InfoPackageLine(request);
        }
        Transaction? t = _dialogs.SendRequest(other, method, extra, body.Span);
        if (t is null)
        {
            Respond(transaction, request, 500, "Server Internal Error", "");
            return;
        }
        t.UserData = new B2buaRelay(call, side, transaction, d, request.Span.ToArray())
        {
            CSeq = request.CSeqNumber,
            TimerLines = timerLines,
            TimerSeconds = timerSeconds,
            TimerWeRefresh = timerWeRefresh,
            Offerless = request.Method == SipMethod.Invite && request.Body.IsEmpty,
        };
    }

    private static string InfoPackageLine(SipMessage request)
    {
        for (int i = 0; i < request.HeaderCount; i++)
        {
            if (Ascii.EqualsIgnoreCase(request.GetHeaderName(i), "Info-Package"u8))
            {
                return "Info-Package: " + SipMessage.ToText(request.GetHeaderValue(i)) + "\r\n";
            }
        }
        return "";
    }

    private void OnRelayResponse(Transaction transaction, B2buaRelay relay, SipMessage response)
    {
        // The dialog layer ACKs a 2xx to the re-INVITE (§13.2.2.4) and ends the leg on 481/408 (§12.2.1.2) -
        // except the 2xx to an offerless re-INVITE, which carries the offer: its ACK waits for the answer (§14.2).
        int code = response.StatusCode;
        bool holdAck = relay.Offerless && code is >= 200 and < 300 && !relay.Answered && !relay.Call.IsEnded;
        Dialog? answeringDialog = _dialogs.OnResponse(transaction, response, holdAck);
        if (code < 200 || relay.Answered) return; // provisional responses stay on their hop; a 2xx retransmission was re-ACKed above
        relay.Answered = true;
        B2buaSide answering = relay.From == B2buaSide.Caller ? B2buaSide.Callee : B2buaSide.Caller;
        if (holdAck && answeringDialog is not null)
        {
            if (response.Body.IsEmpty || !IsSdp(response.ContentType))
            {
                // No offer in the 2xx (the peer broke §14.2): nothing to wait for; ACK now and pass the 2xx on.
                _dialogs.SendAck(answeringDialog);
            }
            else
            {
                relay.Call._ackFrom = relay.Dialog;
                relay.Call._ackTo = answeringDialog;
                relay.Call._ackFromSeq = relay.CSeq;
                relay.Call._offerMedia = MediaCount(response.Body);
            }
        }
        ReadOnlyMemory<byte> body = default;
        ReadOnlySpan<byte> otherType = default;
        if (!response.Body.IsEmpty)
        {
            bool sdp = IsSdp(response.ContentType);
            body = sdp ? Rewrite(relay.Call, answering, response.Body.ToArray()) : response.Body.ToArray();
            if (!sdp) otherType = response.ContentType;
        }
        (int status, string reason) = code < 300 ? (code, SipMessage.ToText(response.ReasonPhrase)) : MapFailure(code, SipMessage.ToText(response.ReasonPhrase));
        string extra = code < 300 && relay.Server.Method is SipMethod.Invite or SipMethod.Update ? _contactLine : "";
        if (code < 300 && relay.Server.Method is SipMethod.Invite or SipMethod.Update)
        {
            // RFC 4028 §10: the 2xx refreshed the answering leg (its Session-Expires sets it, §7.2) and, going back, the asking one (§9).
            ApplyAsUac(relay.Call, answering, response);
            extra += relay.TimerLines;
            B2buaLegTimer asking = LegTimer(relay.Call, relay.From);
            if (relay.TimerSeconds > 0) asking.Start(_layer.Clock.NowMicros, relay.TimerSeconds, relay.TimerWeRefresh);
            else if (asking.IsOn) asking.Start(_layer.Clock.NowMicros, asking.Seconds, asking.WeRefresh);
        }
        if (code is 491 or 500 or 503 && CallHeaders.RetryAfter(response) is uint after)
        {
            extra += "Retry-After: " + after.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n";
        }
        RespondRelay(relay, status, reason, extra, body, otherType);
        if (relay.Server.Method is SipMethod.Invite or SipMethod.Update)
        {
            Raise(B2buaEventKind.Modified, relay.Call, status, reason, relay.From);
        }
    }

    private void RespondRelay(B2buaRelay relay, int status, string reason, string extra, ReadOnlyMemory<byte> body, ReadOnlySpan<byte> otherType)
    {
        relay.Answered = true;
        SipParser.Parse(relay.Request.AsMemory(), SipFraming.Datagram, _scratch);
        int n = WriteResponse(_scratch, relay.Server.Source, status, Encoding.UTF8.GetBytes(reason), "", extra, body, contact: false, otherType);
        if (n <= 0) return;
        if (status is >= 200 and < 300 && relay.Server.Method == SipMethod.Invite && relay.Dialog.State != DialogState.Terminated)
        {
            // §13.3.1.4: a 2xx to a re-INVITE is retransmitted until the ACK, like the first one.
            _dialogs.SendSuccess(relay.Server, relay.Dialog, _buffer.AsSpan(0, n));
        }
        else
        {
            _layer.Respond(relay.Server, _buffer.AsSpan(0, n));
        }
    }

    private void OnDialogTerminated(Dialog d)
    {
        if (d.UserData is not B2buaCall call || !call.IsEstablished || call.IsEnded) return;
        B2buaSide side = d == call.CallerDialog ? B2buaSide.Caller : B2buaSide.Callee;
        EndEstablished(call, d, 0, call._endedBy == side ? "BYE" : "dialog ended");
    }

    /// <summary>Ends an established call: BYE on every leg still alive (§15.1.1).</summary>
    private void EndEstablished(B2buaCall call, Dialog? ended, int status, string reason, string byeHeaders = "")
    {
        if (call.IsEnded) return;
        call.IsEnded = true;
        _calls.Remove(call);
        B2buaSide from = ended is null ? B2buaSide.Callee : ended == call.CallerDialog ? B2buaSide.Caller : B2buaSide.Callee;
        if (call._ackTo is { } held)
        {
            // §13.2.2.4: a 2xx whose ACK waited for the other side's answer is ACKed before its BYE.
            call._ackTo = null;
            call._ackFrom = null;
            _dialogs.SendAck(held);
        }
        foreach (Dialog? leg in (Dialog?[])[call.CallerDialog, call.CalleeDialog])
        {
            if (leg is not null && leg != ended && leg.State != DialogState.Terminated) _dialogs.SendRequest(leg, "BYE", byeHeaders);
        }
        Raise(B2buaEventKind.Ended, call, status, reason, from);
    }
}
