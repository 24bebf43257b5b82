// The UA core's transfer side: REFER with its implicit subscription (RFC 3515, RFC 4488), Replaces (RFC 3891), blind and attended transfer (RFC 5589).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    // RFC 3515 §2.4.4 lets the notifier choose the duration of the implicit subscription; three
    // minutes covers ringing up to the usual proxy Timer C.
    private const int ReferSubscriptionSeconds = 180;
    private static readonly System.Buffers.SearchValues<char> s_notInReferTo = System.Buffers.SearchValues.Create("\r\n<>\" ");
    private readonly List<TransferOutgoing> _transfersOut = [];
    private readonly List<TransferIncoming> _transfersIn = [];
    private string _nextInviteHeaders = ""; // written by WriteCommon into the INVITE InviteWith sends

    /// <summary>Places a call like <see cref="Invite"/> with extra header lines (Replaces, Referred-By) in its INVITE.</summary>
    private SipCall InviteWith(string targetUri, PeerAddress destination, string extraHeaders)
    {
        _nextInviteHeaders = extraHeaders;
        try
        {
            return Invite(targetUri, destination);
        }
        finally
        {
            _nextInviteHeaders = "";
        }
    }

    // ---- transferor ----

    internal bool TransferCall(SipCall call, string targetUri, bool reportProgress)
    {
        ArgumentNullException.ThrowIfNull(targetUri);
        if (!SipUri.TryParse(targetUri, out SipUri? uri) || uri!.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips) || targetUri.AsSpan().ContainsAny(s_notInReferTo)) return false;
        return SendRefer(call, targetUri, reportProgress);
    }

    internal bool TransferCallTo(SipCall call, SipCall consultation, bool reportProgress)
    {
        ArgumentNullException.ThrowIfNull(consultation);
        if (ReferenceEquals(call, consultation) || consultation.State != CallState.Active || consultation.Dialog is not { } cd || cd.State != DialogState.Confirmed || cd.RemoteTarget.Length == 0) return false;
        // RFC 3891 §5 / RFC 5589 §7: the Refer-To is the target's remote target with a Replaces
        // header naming the consultation dialog from the target's point of view: to-tag is the
        // target's tag (our remote tag), from-tag ours. The header part is escaped (§19.1.1).
        var replaces = new TransferReplaces(cd.CallId, cd.RemoteTag, cd.LocalTag, EarlyOnly: false);
        string target = cd.RemoteTarget;
        int q = target.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) target = target[..q]; // the contact's own header part would not apply to our INVITE
        return SendRefer(call, TransferSyntax.WithHeader(target, "Replaces", replaces.ToString()), reportProgress);
    }

    private bool SendRefer(SipCall call, string referTo, bool subscribe)
    {
        if (_options is null || _dialogs is null || call.State != CallState.Active || call.Dialog is not { } d || d.State != DialogState.Confirmed || call._transferOut is not null) return false;
        // RFC 3515 §2.1 Refer-To, RFC 3892 Referred-By (who asks), RFC 4488 §4 Refer-Sub: false to
        // suppress the implicit subscription (with Supported: norefersub so the peer may honour it).
        string headers = $"Refer-To: <{referTo}>\r\nReferred-By: <{_options.LocalUri}>\r\nContact: <{_options.ContactUri}>\r\n" +
            (subscribe ? "" : "Refer-Sub: false\r\nSupported: norefersub\r\n");
        Transaction? t = _dialogs.SendRequest(d, "REFER", headers);
        if (t is null) return false;
        var to = new TransferOutgoing(call, subscribe) { Refer = t, ReferGeneration = t.Generation, ReferSeq = d.LocalSeq };
        t.UserData = to;
        call._transferOut = to;
        _transfersOut.Add(to);
        return true;
    }

    private void OnReferResponse(TransferOutgoing to, Transaction transaction, SipMessage response)
    {
        int code = response.StatusCode;
        _dialogs!.OnResponse(transaction, response); // §12.2.1.2: 481/408 end the dialog
        if (code < 200 || !ReferenceEquals(to.Call._transferOut, to)) return;
        to.Refer = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        SipCall call = to.Call;
        if (code >= 300)
        {
            // RFC 3515 §2.4.2: the REFER was refused; the call stays as it was.
            FinishTransfer(to, new TransferEvent(TransferEventKind.Failed, code, reason, null));
            if (code is 481 or 408) End(call, code, reason + " (to REFER)", byLocal: false);
            return;
        }
        bool noSubscription = !to.Subscribe && response.TryGetHeaderValue(SipHeaderKind.ReferSub, out ReadOnlySpan<byte> rs) && Ascii.EqualsIgnoreCase(rs.Trim(" \t"u8), "false"u8);
        if (noSubscription)
        {
            // RFC 4488 §4: the 2xx carries Refer-Sub: false, so no subscription and no reports
            // follow. We asked for that, so the transfer is handed over: hang up as RFC 5589 §6 does.
            FinishTransfer(to, new TransferEvent(TransferEventKind.Accepted, code, reason + " (no reports: Refer-Sub: false)", null));
            HangupCall(call);
            return;
        }
        RaiseAccepted(to, code, reason);
        // RFC 6665 §4.1.2.4 (applied to the implicit subscription, RFC 3515 §2.4.4): without a
        // NOTIFY within 64*T1 of the 2xx the subscription has failed.
        if (to.LastStatus == 0) to.Deadline = _layer.Clock.NowMicros + 64 * _layer.T1Micros;
    }

    private static void RaiseAccepted(TransferOutgoing to, int code, string reason)
    {
        if (to.Accepted) return;
        to.Accepted = true;
        to.Call.RaiseTransfer(new TransferEvent(TransferEventKind.Accepted, code, reason, null));
    }

    private void OnReferNotify(SipCall call, Transaction transaction, SipMessage request, long id)
    {
        TransferOutgoing? to = call._transferOut;
        // RFC 3515 §2.4.6: the id is the CSeq of the REFER; RFC 6665 §4.1.3: a NOTIFY for no
        // subscription of ours gets 481.
        if (to is null || (id >= 0 && id != to.ReferSeq) || id == -2)
        {
            RespondTransfer(transaction, request, 481, "Subscription Does Not Exist", "");
            return;
        }
        // RFC 6665 §8.2.3: Subscription-State is mandatory in NOTIFY.
        if (!request.TryGetHeaderValue(SipHeaderKind.SubscriptionState, out ReadOnlySpan<byte> ssv) ||
            !TransferSyntax.TryParseSubscriptionState(ssv, out string state, out int expires, out string? termination))
        {
            RespondTransfer(transaction, request, 400, "Bad Request (missing or malformed Subscription-State)", "");
            return;
        }
        int code = 0;
        string reason = "";
        if (!request.Body.IsEmpty)
        {
            // RFC 3515 §2.4.5: the body is message/sipfrag and holds at least the status line.
            ReadOnlySpan<byte> type = request.ContentType;
            int semi = type.IndexOf((byte)';');
            if (semi >= 0) type = type[..semi];
            if (!Ascii.EqualsIgnoreCase(type.Trim(" \t"u8), "message/sipfrag"u8))
            {
                RespondTransfer(transaction, request, 415, "Unsupported Media Type", "Accept: message/sipfrag\r\n");
                return;
            }
            if (!TransferSyntax.TryParseSipfragStatus(request.Body, out code, out reason))
            {
                RespondTransfer(transaction, request, 400, "Bad Request (message/sipfrag without a status line)", "");
                return;
            }
        }
        _layer.Respond(transaction, 200, "OK"u8, []);
        if (!ReferenceEquals(call._transferOut, to)) return;
        RaiseAccepted(to, 202, "Accepted (NOTIFY received)");
        if (code >= 200)
        {
            to.LastStatus = code;
            if (code < 300)
            {
                // RFC 5589 §6.1: the transferee reached the target; the transferor ends the original call.
                FinishTransfer(to, new TransferEvent(TransferEventKind.Succeeded, code, reason, null));
                HangupCall(call);
            }
            else
            {
                // RFC 5589 §6.2: the transfer failed; the original call is still ours.
                FinishTransfer(to, new TransferEvent(TransferEventKind.Failed, code, reason, null));
            }
            return;
        }
        if (code >= 100)
        {
            to.LastStatus = code;
            call.RaiseTransfer(new TransferEvent(TransferEventKind.Progress, code, reason, null));
        }
        if (state == "terminated")
        {
            // RFC 6665 §4.1.3: the subscription ended without a final status of the new call.
            FinishTransfer(to, new TransferEvent(TransferEventKind.Failed, to.LastStatus >= 300 ? to.LastStatus : 0,
                $"Subscription terminated (reason={termination ?? "none"}) without a final status", null));
            return;
        }
        if (expires >= 0) to.Deadline = _layer.Clock.NowMicros + expires * 1_000_000L + 64 * _layer.T1Micros;
    }

    private void FinishTransfer(TransferOutgoing to, TransferEvent e)
    {
        if (ReferenceEquals(to.Call._transferOut, to)) to.Call._transferOut = null;
        _transfersOut.Remove(to);
        to.Deadline = long.MaxValue;
        to.Call.RaiseTransfer(e);
    }

    // ---- transferee ----

    private void OnRefer(SipCall call, Transaction transaction, SipMessage request)
    {
        // RFC 3261 §8.2.2.3: an extension we do not support in Require gets 420.
        for (int i = request.IndexOfHeader(SipHeaderKind.Require); i >= 0; i = request.IndexOfHeader(SipHeaderKind.Require, i + 1))
        {
            foreach (string tag in SipMessage.ToText(request.GetHeaderValue(i)).Split(','))
            {
                string tg = tag.Trim();
                if (tg.Length == 0 || tg.Equals("norefersub", StringComparison.OrdinalIgnoreCase)) continue;
                RespondTransfer(transaction, request, 420, "Bad Extension", $"Unsupported: {TransferSyntax.Clean(tg)}\r\n");
                return;
            }
        }
        // RFC 3515 §2.4.1: exactly one Refer-To, else 400.
        int referTos = request.CountHeaders(SipHeaderKind.ReferTo);
        if (referTos != 1)
        {
            RespondTransfer(transaction, request, 400, referTos == 0 ? "Bad Request (no Refer-To)" : "Bad Request (more than one Refer-To)", "");
            return;
        }
        request.TryGetHeaderValue(SipHeaderKind.ReferTo, out ReadOnlySpan<byte> referToValue);
        // The header part is read on its own (below): RFC 3515 §2.1's own example carries a header
        // without '=', which the URI grammar rejects but which we never copy anyway (§19.1.5).
        bool wellFormed = TransferSyntax.TryGetUri(referToValue, out string referTo);
        int q = referTo.IndexOf('?', StringComparison.Ordinal);
        SipUri? uri = null;
        if (!wellFormed || !SipUri.TryParse(q < 0 ? referTo : referTo[..q], out uri))
        {
            RespondTransfer(transaction, request, 400, "Bad Request (malformed Refer-To)", "");
            return;
        }
        if (uri!.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips))
        {
            // RFC 3515 §2.4.2: a URI we cannot act on is refused; we only place SIP calls.
            RespondTransfer(transaction, request, 416, $"Unsupported URI Scheme ({TransferSyntax.Clean(uri.SchemeText)} in Refer-To)", "");
            return;
        }
        // RFC 3261 §19.1.1: a method parameter names the request to send; we only place INVITEs.
        string? method = uri.GetParameter("method");
        if (method is not null && !method.Equals("INVITE", StringComparison.OrdinalIgnoreCase))
        {
            RespondTransfer(transaction, request, 501, $"Not Implemented (Refer-To method {TransferSyntax.Clean(method)})", "");
            return;
        }
        string? replaces = null;
        foreach (string h in q < 0 ? [] : referTo[(q + 1)..].Split('&'))
        {
            int eq = h.IndexOf('=', StringComparison.Ordinal);
            string name = SipUri.Unescape(eq < 0 ? h : h[..eq]) ?? "";
            if (!name.Equals("Replaces", StringComparison.OrdinalIgnoreCase)) continue; // §19.1.5: other headers are not copied
            string value = eq < 0 ? "" : SipUri.Unescape(h[(eq + 1)..]) ?? "";
            if (replaces is not null || !TransferReplaces.TryParse(value, out TransferReplaces parsed))
            {
                RespondTransfer(transaction, request, 400, "Bad Request (malformed Replaces in Refer-To)", "");
                return;
            }
            replaces = parsed.ToString(); // re-written from its parts: nothing else of the URI reaches our INVITE
        }
        // RFC 4488 §4: Refer-Sub is "true" or "false".
        bool notify = true;
        if (request.TryGetHeaderValue(SipHeaderKind.ReferSub, out ReadOnlySpan<byte> rs))
        {
            ReadOnlySpan<byte> v = rs.Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(v, "false"u8)) notify = false;
            else if (!Ascii.EqualsIgnoreCase(v, "true"u8))
            {
                RespondTransfer(transaction, request, 400, "Bad Request (Refer-Sub is neither true nor false)", "");
                return;
            }
        }
        if (call.State != CallState.Active || call.Dialog is not { } d || d.State != DialogState.Confirmed)
        {
            RespondTransfer(transaction, request, 403, "Forbidden (the call is not established)", "");
            return;
        }
        if (call._transferIn is { Final: false })
        {
            RespondTransfer(transaction, request, 491, "Request Pending (a transfer of this call is running)", "");
            return;
        }
        string targetUri = q < 0 ? referTo : referTo[..q];
        // RFC 3892: the Referred-By of the REFER goes into the INVITE (unfolded: one line), else the referrer's URI.
        string referredBy = request.TryGetHeaderValue(SipHeaderKind.ReferredBy, out ReadOnlySpan<byte> rb)
            ? TransferSyntax.Unfold(SipMessage.ToText(rb))
            : "<" + SipMessage.ToText(request.From.Uri) + ">";
        if (!SipUriTarget.TryResolveLiteral(targetUri, out PeerAddress destination))
        {
            // A name we cannot resolve here: the first hop of the call's route set (the proxy).
            if (d.RouteSet.Count == 0 || !SipUriTarget.TryResolveLiteral(HeaderValues.UriOf(d.RouteSet[0]), out destination)) destination = default;
        }
        var offer = new TransferRequest(referTo, targetUri, replaces, referredBy, notify, destination);
        call.RaiseTransferRequested(offer);
        if (offer.DeclineStatus != 0)
        {
            RespondTransfer(transaction, request, offer.DeclineStatus, offer.DeclineReason, "");
            return;
        }
        if (offer.Destination.IsEmpty)
        {
            RespondTransfer(transaction, request, 503, "Service Unavailable (no route to the Refer-To target)", "");
            return;
        }
        // RFC 3515 §2.4.2: 202 Accepted; RFC 4488 §4: echo Refer-Sub: false when we honour it.
        RespondTransfer(transaction, request, 202, "Accepted", notify ? "" : "Refer-Sub: false\r\n");
        var ti = new TransferIncoming(call, request.CSeqNumber, notify);
        call._transferIn = ti;
        _transfersIn.Add(ti);
        if (notify)
        {
            // RFC 3515 §2.4.4: the first NOTIFY goes out at once.
            ti.ExpiresAt = _layer.Clock.NowMicros + ReferSubscriptionSeconds * 1_000_000L;
            QueueNotify(ti, "SIP/2.0 100 Trying", final: false);
        }
        // RFC 3891 §4 / RFC 3892: the new INVITE carries the Replaces of the Refer-To and Referred-By.
        string extra = $"Referred-By: {referredBy}\r\n" + (replaces is null ? "" : $"Replaces: {replaces}\r\n");
        SipCall nc = InviteWith(targetUri, offer.Destination, extra);
        nc.ReferredFrom = call;
        ti.NewCall = nc;
        nc.Changed += e => OnReferredCallChanged(ti, e);
        call.RaiseTransfer(new TransferEvent(TransferEventKind.Referred, 202, "Accepted", nc));
        if (nc.State == CallState.Terminated) OnReferredCallChanged(ti, new CallEvent(CallEventKind.Ended, nc.EndStatus, "INVITE could not be sent", true, null));
    }

    private void OnReferredCallChanged(TransferIncoming ti, CallEvent e)
    {
        if (ti.Final) return;
        string reason = TransferSyntax.Clean(e.Reason);
        switch (e.Kind)
        {
            case CallEventKind.Ringing when e.StatusCode is > 100 and < 200:
                QueueNotify(ti, $"SIP/2.0 {e.StatusCode} {reason}", final: false);
                break;
            case CallEventKind.Established:
                QueueNotify(ti, "SIP/2.0 200 OK", final: true);
                Forget(ti);
                break;
            case CallEventKind.Ended:
                // RFC 3515 §2.4.5: the final status of the new call; 0 (ended locally without a
                // response) is reported as 487.
                int code = e.StatusCode is >= 300 and <= 699 ? e.StatusCode : 487;
                QueueNotify(ti, $"SIP/2.0 {code.ToString(CultureInfo.InvariantCulture)} {(reason.Length > 0 ? reason : "Request Terminated")}", final: true);
                Forget(ti);
                break;
        }
    }

    private void Forget(TransferIncoming ti)
    {
        ti.Final = true;
        if (ReferenceEquals(ti.Original._transferIn, ti)) ti.Original._transferIn = null;
        if (ti.InFlight is null && ti.Queued is null) _transfersIn.Remove(ti);
    }

    private void QueueNotify(TransferIncoming ti, string frag, bool final)
    {
        if (!ti.Notify) return;
        // One NOTIFY in flight at a time: a later report replaces a queued earlier one, so under
        // loss the states still arrive in CSeq order (a lower CSeq after a higher one would get
        // 500, RFC 3261 §12.2.2) and the final one is never lost behind an older one.
        ti.Queued = frag;
        ti.QueuedFinal = final;
        ti.LastFrag = frag;
        PumpNotify(ti);
    }

    private void PumpNotify(TransferIncoming ti)
    {
        if (ti.InFlight is not null || ti.Queued is null) return;
        string frag = ti.Queued;
        bool final = ti.QueuedFinal;
        ti.Queued = null;
        if (!ti.Notify || ti.Original.Dialog is not { } d || d.State == DialogState.Terminated)
        {
            ti.Notify = false;
            _transfersIn.Remove(ti);
            return;
        }
        long left = Math.Max(0, (ti.ExpiresAt - _layer.Clock.NowMicros) / 1_000_000);
        // RFC 3515 §2.4.7 / RFC 6665 §8.2.3: terminated;reason=noresource once the outcome is
        // known, reason=timeout when the subscription ran out first.
        string state = final ? (ti.TimedOut ? "terminated;reason=timeout" : "terminated;reason=noresource") : $"active;expires={left.ToString(CultureInfo.InvariantCulture)}";
        string headers = $"Event: refer;id={ti.ReferSeq.ToString(CultureInfo.InvariantCulture)}\r\nSubscription-State: {state}\r\nContact: <{_options!.ContactUri}>\r\nContent-Type: message/sipfrag;version=2.0\r\n";
        Transaction? t = _dialogs!.SendRequest(d, "NOTIFY", headers, Encoding.UTF8.GetBytes(frag + "\r\n"));
        if (final) ti.Notify = false;
        if (t is null)
        {
            ti.Notify = false;
            _transfersIn.Remove(ti);
            return;
        }
        t.UserData = ti;
        ti.InFlight = t;
        ti.InFlightGeneration = t.Generation;
    }

    private void OnNotifyDone(TransferIncoming ti, Transaction transaction, int code)
    {
        if (!ReferenceEquals(ti.InFlight, transaction) || transaction.Generation != ti.InFlightGeneration) return;
        ti.InFlight = null;
        // RFC 6665 §4.2.2: 481 (or no answer at all) means the subscriber is gone; stop notifying.
        // That ends the subscription usage only, not the call that shares the dialog (RFC 5057 §5).
        if (code is 481 or 408) ti.Notify = false;
        if (ti.Notify && ti.Queued is not null) PumpNotify(ti);
        else if (ti.Final || !ti.Notify) _transfersIn.Remove(ti);
    }

    // ---- transfer target ----

    private bool OnReplacingInvite(Transaction transaction, SipMessage request)
    {
        if (request.IndexOfHeader(SipHeaderKind.Replaces) < 0) return false;
        string tag = RandomHex(16);
        // RFC 3891 §3: more than one Replaces, or one we cannot parse, gets 400.
        request.TryGetHeaderValue(SipHeaderKind.Replaces, out ReadOnlySpan<byte> value);
        if (request.CountHeaders(SipHeaderKind.Replaces) != 1 || !TransferReplaces.TryParse(value, out TransferReplaces rep))
        {
            RespondTransfer(transaction, request, 400, "Bad Request (malformed Replaces)", "", tag);
            return true;
        }
        // RFC 3891 §3: to-tag is our tag, from-tag the peer's. The tags are random, so knowing
        // them is the proof of being part of that call that §3 asks us to check.
        Dialog? d = _dialogs!.Find(rep.CallId, rep.ToTag, rep.FromTag);
        SipCall? old = d?.UserData as SipCall;
        if (d is not null && old is null && d.IsUac && d.State == DialogState.Early)
        {
            // Our own outgoing call still ringing: its early dialog carries no call yet.
            foreach (SipCall c in _calls)
            {
                if (c.IsOutgoing && c.CallId == rep.CallId && c._localTag == rep.ToTag && c.State is CallState.Calling or CallState.Ringing) old = c;
            }
        }
        if (d is null || old is null || old.State == CallState.Terminated)
        {
            // RFC 3891 §3: no dialog matches (or it is not an INVITE dialog): 481.
            RespondTransfer(transaction, request, 481, "Call/Transaction Does Not Exist (no dialog matches Replaces)", "", tag);
            return true;
        }
        bool confirmed = d.State == DialogState.Confirmed;
        if (confirmed && rep.EarlyOnly)
        {
            // RFC 3891 §3: early-only and the dialog is confirmed: 486.
            RespondTransfer(transaction, request, 486, "Busy Here (early-only, the dialog is confirmed)", "", tag);
            return true;
        }
        if (!confirmed && !d.IsUac)
        {
            // RFC 3891 §3: an early dialog this UA did not initiate is left alone: 481.
            RespondTransfer(transaction, request, 481, "Call/Transaction Does Not Exist (the early dialog was not initiated here)", "", tag);
            return true;
        }
        OnNewInvite(transaction, request);
        if (transaction.UserData is not SipCall nc || ReferenceEquals(nc, old) || nc.State == CallState.Terminated) return true; // refused (bad offer, full table)
        nc.ReplacedCall = old;
        // RFC 3891 §3: accept the new INVITE with a 2xx, then end the replaced dialog: BYE when it
        // is confirmed, CANCEL when it is our early dialog.
        if (nc.State == CallState.Incoming) AnswerCall(nc);
        old.RaiseTransfer(new TransferEvent(TransferEventKind.Replaced, 200, "Replaced (RFC 3891)", nc));
        if (confirmed && old.Dialog is { } od)
        {
            // RFC 3326: say why in a Reason header field.
            _dialogs.SendRequest(od, "BYE", "Reason: SIP;cause=200;text=\"Replaced\"\r\n");
            End(old, 0, "Replaced by call " + nc.CallId, byLocal: true);
        }
        else
        {
            HangupCall(old);
        }
        return true;
    }

    // ---- dispatch (hooks in UserAgentCore.cs and UserAgentCore.Calls.cs) ----

    /// <summary>REFER, and NOTIFY of the refer package, inside a call's dialog (after its CSeq check).</summary>
    private bool OnTransferInDialogRequest(SipCall call, Transaction transaction, SipMessage request)
    {
        if (request.Method == SipMethod.Refer)
        {
            OnRefer(call, transaction, request);
            return true;
        }
        if (request.Method != SipMethod.Notify || !request.TryGetHeaderValue(SipHeaderKind.Event, out ReadOnlySpan<byte> ev) || !TransferSyntax.IsReferEvent(ev, out long id)) return false;
        OnReferNotify(call, transaction, request, id);
        return true;
    }

    /// <summary>Responses to our REFER and NOTIFY requests.</summary>
    private bool OnTransferResponse(Transaction transaction, SipMessage response)
    {
        switch (transaction.UserData)
        {
            case TransferOutgoing to:
                if (ReferenceEquals(to.Refer, transaction) && transaction.Generation == to.ReferGeneration) OnReferResponse(to, transaction, response);
                return true;
            case TransferIncoming ti:
                if (response.StatusCode >= 200) OnNotifyDone(ti, transaction, response.StatusCode);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Timeouts and transport errors of our REFER and NOTIFY requests.</summary>
    private bool OnTransferError(Transaction transaction, TransactionError failure)
    {
        switch (transaction.UserData)
        {
            case TransferOutgoing to:
                if (!ReferenceEquals(to.Refer, transaction) || transaction.Generation != to.ReferGeneration || !ReferenceEquals(to.Call._transferOut, to)) return true;
                to.Refer = null;
                // A REFER timeout ends the transfer attempt only; the call stays (RFC 5057 §5: the
                // invite usage of the dialog is not the one that failed).
                FinishTransfer(to, failure == TransactionError.TransportError
                    ? new TransferEvent(TransferEventKind.Failed, 503, "Service Unavailable (transport error sending REFER)", null)
                    : new TransferEvent(TransferEventKind.Failed, 408, "Request Timeout (no response to REFER)", null));
                return true;
            case TransferIncoming ti:
                OnNotifyDone(ti, transaction, 408);
                return true;
            default:
                return false;
        }
    }

    private long TransferNextDeadline
    {
        get
        {
            long d = long.MaxValue;
            foreach (TransferOutgoing to in _transfersOut) d = Math.Min(d, to.Deadline);
            foreach (TransferIncoming ti in _transfersIn)
            {
                if (!ti.Final && ti.Notify) d = Math.Min(d, ti.ExpiresAt);
            }
            return d;
        }
    }

    private void ProcessTransferTimers()
    {
        long now = _layer.Clock.NowMicros;
        foreach (TransferOutgoing to in _transfersOut.ToArray())
        {
            if (to.Deadline > now) continue;
            // No NOTIFY in time (or the subscription ran out without a final one): give up; the call stays.
            FinishTransfer(to, new TransferEvent(TransferEventKind.Failed, 408, to.Call.State == CallState.Terminated
                ? "Request Timeout (the call ended before the transfer outcome)"
                : "Request Timeout (no final NOTIFY for the REFER)", null));
        }
        foreach (TransferIncoming ti in _transfersIn.ToArray())
        {
            if (ti.Final || !ti.Notify || ti.ExpiresAt > now) continue;
            // RFC 6665 §4.2.2: the subscription expires: a last NOTIFY, terminated;reason=timeout.
            string last = ti.LastFrag;
            ti.Final = true;
            ti.TimedOut = true;
            if (ReferenceEquals(ti.Original._transferIn, ti)) ti.Original._transferIn = null;
            QueueNotify(ti, last, final: true);
        }
    }

    private void RespondTransfer(Transaction transaction, SipMessage request, int code, string reason, string extraHeaders, string toTag = "")
    {
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(toTag));
        w.AppendText(extraHeaders);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        else _layer.Respond(transaction, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(toTag));
    }
}
