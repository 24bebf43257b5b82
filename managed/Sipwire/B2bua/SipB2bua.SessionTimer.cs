// Session timers (RFC 4028) per leg of a bridged call: negotiation, 422, local answers to refreshes, our refreshes, expiry.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.B2bua;

public sealed partial class SipB2bua
{
    private const int MaxSessionRetries = 2;

    private bool TimersOn => _options.SessionExpires > TimeSpan.Zero;

    private uint OurMinSE => (uint)_options.MinSessionExpires.TotalSeconds;

    private static B2buaLegTimer LegTimer(B2buaCall call, B2buaSide side) => side == B2buaSide.Caller ? call._callerTimer : call._calleeTimer;

    /// <summary>RFC 4028 §8 / §9: a Session-Expires below our Min-SE gets 422 with our Min-SE. True when it answered.</summary>
    private bool RejectSmallSessionExpires(Transaction transaction, SipMessage request, string toTag)
    {
        if (!TimersOn) return false; // §9: without session timers the header means nothing to us
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(request);
        if (h is null || h.DeltaSeconds >= OurMinSE) return false;
        Respond(transaction, request, 422, "Session Interval Too Small", toTag, "Min-SE: " + OurMinSE.ToString(CultureInfo.InvariantCulture) + "\r\n");
        return true;
    }

    /// <summary>
    /// As UAS of a session-establishing or refreshing request on <paramref name="side"/>'s leg (§9): the interval
    /// (the request's, lowered to what the leg uses, never below either Min-SE) and the refresher (the request's
    /// choice; else the UAC when it supports timer, else us). Returns the lines for the 2xx ("" for no timer).
    /// </summary>
    private string NegotiateAsUas(B2buaCall call, B2buaSide side, SipMessage request, out uint se, out bool weRefresh)
    {
        se = 0;
        weRefresh = false;
        if (!TimersOn) return "";
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(request);
        B2buaLegTimer leg = LegTimer(call, side);
        // §9: with no Session-Expires in the request and no timer on the leg yet we ask for none.
        if ((h is null || h.DeltaSeconds == 0) && !leg.IsOn) return "";
        bool peerTimer = CallHeaders.Has(request, SipHeaderKind.Supported, "timer") || CallHeaders.Has(request, SipHeaderKind.Require, "timer");
        uint minSe = Math.Max(OurMinSE, CallHeaders.MinSE(request));
        uint preferred = leg.IsOn ? leg.Seconds : (uint)_options.SessionExpires.TotalSeconds;
        se = Math.Max(h is null || h.DeltaSeconds == 0 ? preferred : Math.Min(h.DeltaSeconds, Math.Max(preferred, minSe)), minSe);
        string? asked = h?.Refresher?.ToLowerInvariant();
        string refresher = !peerTimer ? "uas" : asked is "uac" or "uas" ? asked : "uac";
        weRefresh = refresher == "uas";
        // §9: with the UAC as refresher the 2xx carries Require: timer.
        return "Session-Expires: " + se.ToString(CultureInfo.InvariantCulture) + ";refresher=" + refresher + "\r\n" + (weRefresh ? "" : "Require: timer\r\n");
    }

    /// <summary>
    /// The Session-Expires/Min-SE lines of a request we send on <paramref name="side"/>'s leg (§7.1, §7.4): the
    /// callee leg's INVITE asks the callee to refresh (refresher=uas), so the B2BUA refreshes no leg it need not;
    /// a later request keeps the leg's refresher ("uac" = us).
    /// </summary>
    private string RequestTimerLines(B2buaCall call, B2buaSide side, bool initial)
    {
        if (!TimersOn) return "";
        B2buaLegTimer leg = LegTimer(call, side);
        if (!initial && !leg.IsOn) return "";
        uint se = initial ? Math.Max(call._calleeSessionExpires, call._calleeMinSE) : leg.Seconds;
        string refresher = initial ? "uas" : leg.WeRefresh ? "uac" : "uas";
        return "Session-Expires: " + se.ToString(CultureInfo.InvariantCulture) + ";refresher=" + refresher + "\r\nMin-SE: "
            + (initial ? call._calleeMinSE : OurMinSE).ToString(CultureInfo.InvariantCulture) + "\r\n";
    }

    /// <summary>As UAC of a request on <paramref name="side"/>'s leg that got a 2xx (§7.2): its Session-Expires sets the leg's timer.</summary>
    private void ApplyAsUac(B2buaCall call, B2buaSide side, SipMessage response)
    {
        if (!TimersOn) return;
        B2buaLegTimer leg = LegTimer(call, side);
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(response);
        long now = _layer.Clock.NowMicros;
        if (h is null || h.DeltaSeconds == 0)
        {
            // §7.2: a 2xx without Session-Expires: no session timer on this leg - unless we refresh it for a peer
            // that does not support timers, whose answers never carry one (§9).
            if (leg.IsOn && leg.WeRefresh && !CallHeaders.Has(response, SipHeaderKind.Supported, "timer")) leg.Start(now, leg.Seconds, weRefresh: true);
            else leg.Stop();
            return;
        }
        // §7.2: refresher=uac is us (the UAC of this transaction); a missing parameter also leaves it to us.
        leg.Start(now, h.DeltaSeconds, !string.Equals(h.Refresher, "uas", StringComparison.OrdinalIgnoreCase));
        leg.Retries = 0;
    }

    /// <summary>
    /// RFC 4028 §7.1 / §6: the callee answered the INVITE with 422: send it again with a new CSeq and the interval
    /// raised to its Min-SE. The caller's leg keeps its own interval (each leg is its own session). False when
    /// the 422 cannot be followed (no or absurd Min-SE, retries spent, the INVITE could not be re-sent).
    /// </summary>
    private bool TryRetryAfter422(B2buaCall call, SipMessage response)
    {
        uint minSe = CallHeaders.MinSE(response);
        if (!TimersOn || minSe == 0 || minSe <= call._calleeSessionExpires || minSe > 86400 || call._calleeRetries >= MaxSessionRetries) return false;
        call._calleeRetries++;
        call._calleeMinSE = Math.Max(call._calleeMinSE, minSe);
        call._calleeSessionExpires = minSe;
        call._calleeCSeq++;
        SipMessage callerRequest = CallerRequest(call);
        ReadOnlyMemory<byte> offer = call._delayedOffer ? default : call._calleeOffer;
        int n = WriteInvite(call, callerRequest, call._route, offer.Span);
        Transaction? t = n > 0 ? _layer.SendRequest(_buffer.AsSpan(0, n), call._route.Destination) : null;
        if (t is null) return false;
        t.UserData = call;
        call._calleeInvite = t;
        return true;
    }

    /// <summary>A request without body that only refreshes the session (UPDATE, RFC 4028 §7.4): answered on its own leg, never relayed.</summary>
    private void AnswerRefresh(B2buaCall call, B2buaSide side, Transaction transaction, SipMessage request)
    {
        if (RejectSmallSessionExpires(transaction, request, "")) return;
        string lines = NegotiateAsUas(call, side, request, out uint se, out bool weRefresh);
        Respond(transaction, request, 200, "OK", "", _contactLine + lines);
        B2buaLegTimer leg = LegTimer(call, side);
        if (se > 0) leg.Start(_layer.Clock.NowMicros, se, weRefresh);
        else if (leg.IsOn) leg.Start(_layer.Clock.NowMicros, leg.Seconds, leg.WeRefresh); // §10: any 2xx to UPDATE refreshes
    }

    /// <summary>Our refresh of a leg where we are the refresher (§7.4): UPDATE without SDP.</summary>
    private void SendRefresh(B2buaCall call, B2buaSide side)
    {
        B2buaLegTimer leg = LegTimer(call, side);
        leg.RefreshAt = long.MaxValue;
        Dialog? d = side == B2buaSide.Caller ? call.CallerDialog : call.CalleeDialog;
        if (d is null || d.State == DialogState.Terminated) return;
        Transaction? t = _dialogs.SendRequest(d, "UPDATE", _contactLine + RequestTimerLines(call, side, initial: false));
        if (t is null)
        {
            leg.RefreshAt = _layer.Clock.NowMicros + 1_000_000; // the transaction table is full: try again shortly
            return;
        }
        t.UserData = new B2buaRefresh(call, side);
    }

    private void OnRefreshResponse(Transaction transaction, B2buaRefresh refresh, SipMessage response)
    {
        _dialogs.OnResponse(transaction, response); // 481/408 end the leg (§12.2.1.2), and with it the call
        B2buaCall call = refresh.Call;
        int code = response.StatusCode;
        if (code < 200 || call.IsEnded) return;
        B2buaLegTimer leg = LegTimer(call, refresh.Side);
        if (code < 300)
        {
            ApplyAsUac(call, refresh.Side, response);
            return;
        }
        uint minSe = CallHeaders.MinSE(response);
        if (code == 422 && minSe > leg.Seconds && minSe <= 86400 && leg.Retries < MaxSessionRetries)
        {
            // §7.4 / §6: refresh again at once with the interval the peer asks for.
            leg.Retries++;
            leg.Start(_layer.Clock.NowMicros, minSe, weRefresh: true);
            SendRefresh(call, refresh.Side);
        }
        // Any other failure: the session was not refreshed; it ends at its expiry unless a refresh gets through.
    }

    /// <summary>Runs the refresh and expiry deadlines of an established call's legs (§10).</summary>
    private void ProcessSessionTimers(B2buaCall call, long now)
    {
        if (!call.IsEstablished || call.IsEnded) return;
        foreach (B2buaSide side in (B2buaSide[])[B2buaSide.Caller, B2buaSide.Callee])
        {
            B2buaLegTimer leg = LegTimer(call, side);
            if (leg.ExpireAt <= now)
            {
                // §10: no refresh in time: the session of this leg is over, and with it the call; the BYEs say why (RFC 3326).
                leg.Stop();
                string why = $"session timer of the {(side == B2buaSide.Caller ? "caller" : "callee")} leg expired ({leg.Seconds} s, RFC 4028 §10)";
                EndEstablished(call, null, 408, why, ReasonLine(408, "Session timer expired"));
                return;
            }
            if (leg.RefreshAt <= now) SendRefresh(call, side);
        }
    }

    private static long TimerDeadline(B2buaCall call) =>
        Math.Min(Math.Min(call._callerTimer.RefreshAt, call._callerTimer.ExpireAt), Math.Min(call._calleeTimer.RefreshAt, call._calleeTimer.ExpireAt));
}
