// Session timers (RFC 4028) for the UA core's calls: negotiation, 422/Min-SE, refresh at half the interval, BYE on expiry.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private const int MaxSessionIntervalRetries = 2;

    private void InitSessionTimer(SipCall call)
    {
        call._requestedSessionExpires = (uint)_options!.SessionExpires.TotalSeconds;
        call._requestedMinSE = (uint)_options.MinSessionExpires.TotalSeconds;
    }

    /// <summary>Session-Expires and Min-SE for a request we send (RFC 4028 §7.1, §7.4); empty with session timers off.</summary>
    private string SessionTimerRequestHeaders(SipCall call, bool initial)
    {
        if (_options!.SessionExpires == TimeSpan.Zero) return "";
        uint se = Math.Max(call._requestedSessionExpires, call._requestedMinSE);
        // §7.4: a refresh keeps the refresher; which side it is, relative to this request, is uac (us) or uas (the peer).
        string refresher = initial || call.SessionExpires == TimeSpan.Zero ? "" : call.IsRefresher ? ";refresher=uac" : ";refresher=uas";
        return $"Session-Expires: {se}{refresher}\r\nMin-SE: {call._requestedMinSE}\r\n";
    }

    /// <summary>§8 / §9: a Session-Expires below our Min-SE gets 422 with our Min-SE. Returns true when it answered.</summary>
    private bool RejectSmallSessionExpires(Transaction transaction, SipMessage request, string tag)
    {
        if (_options!.SessionExpires == TimeSpan.Zero) return false; // we do not do session timers: the header means nothing to us (§9)
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(request);
        uint ourMin = (uint)_options.MinSessionExpires.TotalSeconds;
        if (h is null || h.DeltaSeconds >= ourMin) return false;
        RespondWithHeaders(transaction, request, 422, "Session Interval Too Small", tag, $"Min-SE: {ourMin}\r\n");
        return true;
    }

    /// <summary>
    /// UAS of a session-establishing or refreshing request (§9): picks the interval (the request's,
    /// reduced to ours but never below the Min-SE in force) and the refresher (the request's choice;
    /// else the UAC when it supports timer, else us), and returns the header lines for the 2xx.
    /// </summary>
    private string NegotiateSessionTimerAsUas(SipCall call, SipMessage request, out uint se, out bool weRefresh)
    {
        se = 0;
        weRefresh = false;
        if (_options!.SessionExpires == TimeSpan.Zero) return "";
        uint minSe = Math.Max((uint)_options.MinSessionExpires.TotalSeconds, CallHeaders.MinSE(request));
        uint preferred = call.SessionExpires > TimeSpan.Zero ? (uint)call.SessionExpires.TotalSeconds : (uint)_options.SessionExpires.TotalSeconds;
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(request);
        bool peerTimer = CallHeaders.Has(request, SipHeaderKind.Supported, "timer") || CallHeaders.Has(request, SipHeaderKind.Require, "timer");
        // §9: the UAS may lower the interval, never below Min-SE; without Session-Expires in the
        // request it may still ask for one.
        se = Math.Max(h is null ? preferred : Math.Min(h.DeltaSeconds, Math.Max(preferred, minSe)), minSe);
        string? asked = h?.Refresher?.ToLowerInvariant();
        // §9: a UAC that does not support timer cannot refresh: then we do.
        string refresher = !peerTimer ? "uas" : asked is "uac" or "uas" ? asked : "uac";
        weRefresh = refresher == "uas";
        // §9: with the UAC as refresher the 2xx carries Require: timer.
        return $"Session-Expires: {se};refresher={refresher}\r\n" + (weRefresh ? "" : "Require: timer\r\n");
    }

    /// <summary>UAC of a request that got a 2xx (§7.2): the Session-Expires of the response sets the interval and the refresher; none means no session timer.</summary>
    private void ApplySessionTimerAsUac(SipCall call, SipMessage response)
    {
        if (_options!.SessionExpires == TimeSpan.Zero) return;
        SipSessionExpiresHeader? h = CallHeaders.SessionExpires(response);
        if ((h is null || h.DeltaSeconds == 0) && call.IsRefresher && call.SessionExpires > TimeSpan.Zero
            && !CallHeaders.Has(response, SipHeaderKind.Supported, "timer"))
        {
            // §9: we chose to refresh for a peer that does not support session timers; its answers to
            // our refreshes never carry Session-Expires, and the timer stays ours.
            StartSessionTimer(call, (uint)call.SessionExpires.TotalSeconds, weRefresh: true);
            return;
        }
        if (h is null || h.DeltaSeconds == 0)
        {
            // §7.2: a 2xx without Session-Expires: the session does not expire.
            call.SessionExpires = TimeSpan.Zero;
            call.IsRefresher = false;
            call._refreshAt = long.MaxValue;
            call._expireAt = long.MaxValue;
            return;
        }
        // §7.2: refresher=uac means us (the UAC of this transaction); a missing parameter also leaves it to us.
        StartSessionTimer(call, h.DeltaSeconds, !string.Equals(h.Refresher, "uas", StringComparison.OrdinalIgnoreCase));
    }

    private void StartSessionTimer(SipCall call, uint seconds, bool weRefresh)
    {
        long now = _layer.Clock.NowMicros;
        long interval = seconds * 1_000_000L;
        call.SessionExpires = TimeSpan.FromSeconds(seconds);
        call.IsRefresher = weRefresh;
        call._requestedSessionExpires = seconds;
        // §7.4 / §9: the refresher refreshes at half the interval.
        call._refreshAt = weRefresh ? now + interval / 2 : long.MaxValue;
        // §10: without a refresh, BYE at the interval minus min(32 s, a third of it).
        call._expireAt = now + interval - Math.Min(32_000_000L, interval / 3);
    }

    private bool TryRetryAfter422(SipCall call, SipMessage response)
    {
        if (!TryRaiseMinSE(call, response)) return false;
        // §7.1 (and RFC 3261 §8.1.3.5-style retry): the same INVITE with a new CSeq and the larger interval.
        call._inviteCSeq++;
        call._rseqByTag.Clear();
        if (!SendInitialInvite(call)) End(call, 503, "Service Unavailable (INVITE retry after 422 could not be sent)", byLocal: true);
        return true;
    }

    /// <summary>Takes the Min-SE of a 422 (§6) as our new floor; false when there is none, it is absurd, or we already retried enough.</summary>
    private static bool TryRaiseMinSE(SipCall call, SipMessage response)
    {
        uint minSe = CallHeaders.MinSE(response);
        if (minSe == 0 || (minSe <= call._requestedMinSE && minSe <= call._requestedSessionExpires) || minSe > 86400 || call._sessionRetries >= MaxSessionIntervalRetries) return false;
        call._sessionRetries++;
        call._requestedMinSE = Math.Max(call._requestedMinSE, minSe);
        call._requestedSessionExpires = Math.Max(call._requestedSessionExpires, minSe);
        return true;
    }

    private void OnRefreshTimer(SipCall call)
    {
        call._refreshAt = long.MaxValue;
        if (call.State != CallState.Active) return;
        // RFC 4028 §7.4: UPDATE (without SDP) when the peer allows it, else a re-INVITE with the same session.
        CallModifyMethod method = call._peerAllowsUpdate ? CallModifyMethod.Update : CallModifyMethod.ReInvite;
        if (SendModify(call, method, call.Negotiator.LocalDirection, isRefresh: true)) return;
        // Something of ours is in flight: its 2xx refreshes the session; try again shortly if it does not.
        call._refreshAt = _layer.Clock.NowMicros + 1_000_000;
    }

    private void OnSessionExpired(SipCall call)
    {
        call._expireAt = long.MaxValue;
        if (call.State != CallState.Active) return;
        // §10: no refresh arrived in time: end the session with BYE, saying why (RFC 3326 Reason).
        if (call.Dialog is { } d) _dialogs!.SendRequest(d, "BYE", "Reason: SIP;cause=408;text=\"Session timer expired\"\r\n");
        End(call, 408, $"Session expired: no refresh within the {(uint)call.SessionExpires.TotalSeconds} s session interval (RFC 4028 §10)", byLocal: true);
    }
}
