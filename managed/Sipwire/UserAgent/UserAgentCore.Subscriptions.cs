// The UA core's SIP events (RFC 6665): subscriber and notifier dialog usages over the dialog layer.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Events;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    // Refresh rule shared with registrations: over 1200 s refresh 600 s early, else half-way.
    private const int LongSubscriptionSeconds = 1200;
    private readonly List<Subscription> _subscriptions = [];
    private readonly List<NotifierSubscription> _notifierSubscriptions = [];
    private readonly Dictionary<string, IEventPackage> _packages = new(StringComparer.Ordinal);
    private readonly List<Subscription> _dueSubscriptions = [];
    private readonly List<NotifierSubscription> _dueNotifier = [];

    /// <summary>Raised when a forked SUBSCRIBE gets a NOTIFY from one more notifier (RFC 6665 §4.5.2): a new subscription; subscribe to its Changed here.</summary>
    public event Action<Subscription, Subscription>? SubscriptionForked;

    /// <summary>Raised when a new subscription to one of our packages was accepted, after the 200 and the first NOTIFY.</summary>
    public event Action<NotifierSubscription>? SubscriptionAccepted;

    /// <summary>Subscriptions we hold as subscriber (not terminated).</summary>
    public IReadOnlyList<Subscription> Subscriptions => _subscriptions;

    /// <summary>Subscriptions to our event packages (not terminated).</summary>
    public IReadOnlyList<NotifierSubscription> NotifierSubscriptions => _notifierSubscriptions;

    /// <summary>
    /// The Allow-Events header field value: every package we act as notifier for (RFC 6665 §4.4.4: a
    /// comprehensive list), i.e. "refer" when the core handles calls (an accepted REFER makes us the
    /// notifier of its implicit subscription, RFC 3515 §2.4.4) and each package added with
    /// <see cref="AddEventPackage"/> (presence, ua-profile, ... only when served). "" when there is none.
    /// </summary>
    public string AllowEvents
    {
        get
        {
            var names = new List<string>(_packages.Count + 1);
            if (_options is not null) names.Add("refer");
            foreach (string name in _packages.Keys)
            {
                if (!names.Contains(name)) names.Add(name);
            }
            return string.Join(", ", names);
        }
    }

    /// <summary>Serves <paramref name="package"/> as notifier (RFC 6665 §4.2).</summary>
    /// <exception cref="ArgumentException">The name is not an event type or is already served.</exception>
    public void AddEventPackage(IEventPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (!EventHeaderValue.TryParse(package.Name, out EventHeaderValue? ev, out string error) || ev!.Parameters.Count > 0 || ev.Id is not null)
            throw new ArgumentException($"'{package.Name}' is not an event type: {error}", nameof(package));
        if (package.MinExpires < 0 || package.MaxExpires < package.MinExpires || package.DefaultExpires < package.MinExpires || package.DefaultExpires > package.MaxExpires)
            throw new ArgumentException("Expires bounds must satisfy 0 <= Min <= Default <= Max.", nameof(package));
        if (!_packages.TryAdd(package.Name, package)) throw new ArgumentException($"'{package.Name}' is already served.", nameof(package));
    }

    /// <summary>Subscribes (RFC 6665 §4.1.2.1): SUBSCRIBE out of dialog, refreshed before it expires.</summary>
    /// <exception cref="InvalidOperationException">The core was created without <see cref="UserAgentOptions"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public Subscription Subscribe(SubscriptionOptions options)
    {
        _ = _options ?? throw new InvalidOperationException("Subscriptions need UserAgentOptions.");
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckUri(options.TargetUri, nameof(options));
        if (!EventHeaderValue.TryParse(options.Event, out EventHeaderValue? ev, out string error)) throw new ArgumentException(error, nameof(options));
        var s = new Subscription(this, options, ev!, new ClientAuthenticator(options.Credentials));
        _subscriptions.Add(s);
        StartSubscription(s);
        return s;
    }

    private void StartSubscription(Subscription s)
    {
        // A new subscription is a new dialog: new Call-ID and tag (RFC 6665 §4.1.2.1, §4.1.3).
        s.CallId = NewCallId();
        s._localTag = RandomHex(16);
        s._cseq = 0;
        s.Dialog = null;
        s._gotNotify = false;
        s.State = SubscriptionState.Subscribing;
        s._startedAt = _layer.Clock.NowMicros;
        s.Auth.BeginRequest();
        SendSubscribe(s, s.Options.Expires);
    }

    private string SubscribeHeaders(Subscription s, int expires, string method, string requestUri)
    {
        var sb = new StringBuilder();
        sb.Append("Event: ").Append(s.Event).Append("\r\nExpires: ").Append(expires).Append("\r\n");
        if (s.Options.Accept.Count > 0) sb.Append("Accept: ").Append(string.Join(", ", s.Options.Accept)).Append("\r\n");
        sb.Append("Allow: ").Append(Allow).Append("\r\n");
        string allowEvents = AllowEvents;
        if (allowEvents.Length > 0) sb.Append("Allow-Events: ").Append(allowEvents).Append("\r\n");
        sb.Append(s.Auth.Authorization(method, requestUri, default));
        return sb.ToString();
    }

    private void SendSubscribe(Subscription s, int expires)
    {
        s._pendingExpires = expires;
        Transaction? t;
        if (s.Dialog is { } d)
        {
            // §4.1.2.2: a refresh (or Expires: 0) goes inside the dialog and refreshes our Contact.
            string headers = "Contact: <" + _options!.ContactUri + ">\r\n" + SubscribeHeaders(s, expires, "SUBSCRIBE", d.RemoteTarget);
            t = _dialogs!.SendRequest(d, "SUBSCRIBE", headers);
            s._pendingInDialog = true;
        }
        else
        {
            s._cseq++;
            int n = WriteOutOfDialog("SUBSCRIBE", s.Options.TargetUri, s.Options.TargetUri, s.CallId, s._localTag, s._cseq, s.Options.Destination.Protocol,
                withContact: true, SubscribeHeaders(s, expires, "SUBSCRIBE", s.Options.TargetUri), default);
            t = n < 0 ? null : _layer.SendRequest(_layer.MessageBuffer.AsSpan(0, n), s.Options.Destination);
            s._pendingInDialog = false;
        }
        if (t is null)
        {
            TerminateSubscription(s, 503, "Service Unavailable (SUBSCRIBE could not be sent)", -1, allowRetry: false);
            return;
        }
        t.UserData = s;
        s._pending = t;
        s._pendingGeneration = t.Generation;
    }

    internal bool Unsubscribe(Subscription s)
    {
        // Still listed while terminated means a retry is waiting (§4.1.3): unsubscribing cancels it.
        if (s.IsUnsubscribing || !_subscriptions.Contains(s)) return false;
        s.IsUnsubscribing = true;
        s._refreshAt = long.MaxValue;
        s._retryAt = long.MaxValue;
        if (s.Dialog is null)
        {
            // No dialog yet: end here; a late NOTIFY gets 481, which ends it at the notifier (§4.1.3).
            TerminateSubscription(s, 0, "unsubscribed", -1, allowRetry: false);
            return true;
        }
        s.Auth.BeginRequest();
        SendSubscribe(s, 0);
        // §4.1.2.3: the notifier answers with a final NOTIFY; wait for it at most Timer N.
        s._timerNAt = _layer.Clock.NowMicros + 64 * _layer.T1Micros;
        return true;
    }

    private void OnSubscribeResponse(Subscription s, Transaction transaction, SipMessage response)
    {
        if (!ReferenceEquals(s._pending, transaction) || transaction.Generation != s._pendingGeneration) return;
        int code = response.StatusCode;
        if (code < 200) return;
        s._pending = null;
        if (s._pendingInDialog) _dialogs!.OnResponse(transaction, response); // ends the dialog on 481/408 (§12.2.1.2)
        string reason = SipMessage.ToText(response.ReasonPhrase);
        long now = _layer.Clock.NowMicros;
        if (code < 300)
        {
            if (s.Dialog is null && response.To.HasTag)
            {
                // §4.1.2.4: the 2xx creates the dialog unless a NOTIFY did already.
                var routes = new List<string>();
                HeaderValues.Collect(response, SipHeaderKind.RecordRoute, routes);
                routes.Reverse(); // §12.1.2: the UAC's route set is the Record-Route list reversed
                Dialog? d = _dialogs!.CreateUsage(true, s.CallId, s._localTag, SipMessage.ToText(response.To.Tag), $"<{_options!.LocalUri}>;tag={s._localTag}",
                    SipMessage.ToText(response.To.Value), response.Contact.IsPresent ? SipMessage.ToText(response.Contact.Uri) : s.Options.TargetUri, routes, s._cseq, 0);
                if (d is null)
                {
                    TerminateSubscription(s, 503, "Service Unavailable (dialog table full)", -1, allowRetry: false);
                    return;
                }
                d.UserData = s;
                s.Dialog = d;
            }
            // §4.1.2.1: the 2xx's Expires is the duration granted (never longer than asked).
            int granted = response.Expires >= 0 ? Math.Min(response.Expires, s._pendingExpires) : s._pendingExpires;
            if (s.IsUnsubscribing || granted == 0)
            {
                s.Raise(new SubscriptionEvent(SubscriptionEventKind.Accepted, s.State, code, reason, 0, -1, "", default));
                return; // the final NOTIFY (or Timer N) ends it
            }
            ScheduleRefresh(s, granted, now);
            // §4.1.2.4: a NOTIFY must follow within Timer N (64*T1) of the 2xx.
            if (!s._gotNotify) s._timerNAt = now + 64 * _layer.T1Micros;
            s.Raise(new SubscriptionEvent(SubscriptionEventKind.Accepted, s.State, code, reason, granted, -1, "", default));
            return;
        }
        if (code is 401 or 407)
        {
            string? refused = s.Auth.OnChallenge(response);
            if (refused is null)
            {
                SendSubscribe(s, s._pendingExpires);
                return;
            }
            reason += " (" + refused + ")";
        }
        else if (code == 423 && s._pendingExpires > 0 && response.IndexOfHeader(SipHeaderKind.MinExpires) >= 0
            && int.TryParse(SipMessage.ToText(response.GetHeaderValue(response.IndexOfHeader(SipHeaderKind.MinExpires))).Trim(), out int min) && min > s._pendingExpires)
        {
            // §4.1.2.1 / RFC 3261 §21.4.17: Interval Too Brief: ask again for at least Min-Expires.
            SendSubscribe(s, min);
            return;
        }
        if (s.IsUnsubscribing)
        {
            TerminateSubscription(s, code, reason, -1, allowRetry: false);
            return;
        }
        if (s._pendingInDialog && code is not (481 or 408) && s.Dialog is not null && s.Dialog.State != DialogState.Terminated)
        {
            // §4.1.2.2: a refused refresh leaves the subscription running until it expires.
            s.Raise(new SubscriptionEvent(SubscriptionEventKind.RefreshFailed, s.State, code, reason, RemainingSeconds(s, now), -1, "", default));
            return;
        }
        int retryAfter = response.TryGetHeaderValue(SipHeaderKind.RetryAfter, out ReadOnlySpan<byte> ra) && int.TryParse(SipMessage.ToText(ra).Split(';', '(')[0].Trim(), out int r) ? r : -1;
        TerminateSubscription(s, code, reason, retryAfter, allowRetry: false);
    }

    private void OnSubscribeError(Subscription s, Transaction transaction, TransactionError failure)
    {
        if (!ReferenceEquals(s._pending, transaction) || transaction.Generation != s._pendingGeneration) return;
        s._pending = null;
        // A NOTIFY may have made the dialog even though every 2xx was lost: the subscription stands.
        if (!s._pendingInDialog && s._gotNotify && !s.IsUnsubscribing) return;
        (int code, string reason) = failure == TransactionError.TransportError
            ? (503, "Service Unavailable (transport error)")
            : (408, "Request Timeout (no response to SUBSCRIBE)");
        TerminateSubscription(s, code, reason, -1, allowRetry: false);
    }

    private static void ScheduleRefresh(Subscription s, int seconds, long now)
    {
        s.ExpiresAt = now + seconds * 1_000_000L;
        int refreshIn = seconds > LongSubscriptionSeconds ? seconds - 600 : Math.Max(1, seconds / 2);
        s._refreshAt = now + refreshIn * 1_000_000L;
    }

    private static int RemainingSeconds(Subscription s, long now) => s.ExpiresAt == long.MaxValue ? -1 : (int)Math.Max(0, (s.ExpiresAt - now) / 1_000_000);

    private void TerminateSubscription(Subscription s, int code, string reason, int retryAfter, bool allowRetry)
    {
        if (s.Dialog is { } d && d.State != DialogState.Terminated) _dialogs!.End(d);
        s._refreshAt = s._timerNAt = long.MaxValue;
        s.ExpiresAt = long.MaxValue;
        s._pending = null;
        if (allowRetry && s.Options.Resubscribe && !s.IsUnsubscribing)
        {
            // §4.1.3: deactivated / timeout: at once; probation / giveup: after retry-after.
            s.State = SubscriptionState.Terminated;
            s.Raise(new SubscriptionEvent(SubscriptionEventKind.Terminated, SubscriptionState.Terminated, code, reason, 0, retryAfter, "", default));
            long now = _layer.Clock.NowMicros;
            long wait = retryAfter > 0 ? retryAfter * 1_000_000L : 0;
            // A notifier that ends every new subscription at once would turn "at once" into a loop:
            // from the second subscription in a row that lived under 64*T1, wait 64*T1, doubling
            // each time, at most 30 minutes.
            long quick = 64 * _layer.T1Micros;
            s._quickEnds = now - s._startedAt < quick ? s._quickEnds + 1 : 0;
            if (s._quickEnds >= 2) wait = Math.Max(wait, Math.Min(quick << Math.Min(s._quickEnds - 2, 12), 1_800_000_000L));
            if (wait > 0)
            {
                s._retryAt = now + wait;
                return;
            }
            StartSubscription(s);
            return;
        }
        s._retryAt = long.MaxValue;
        if (s.State == SubscriptionState.Terminated && !_subscriptions.Contains(s)) return;
        s.State = SubscriptionState.Terminated;
        _subscriptions.Remove(s);
        s.Raise(new SubscriptionEvent(SubscriptionEventKind.Terminated, SubscriptionState.Terminated, code, reason, 0, retryAfter, "", default));
    }

    private Subscription? FindByDialogIds(string callId, string localTag)
    {
        foreach (Subscription s in _subscriptions)
        {
            if (s.CallId == callId && s._localTag == localTag) return s;
        }
        return null;
    }

    private void OnNotify(Transaction transaction, SipMessage request)
    {
        if (!TryEvent(transaction, request, out EventHeaderValue? ev)) return;
        if (!request.TryGetHeaderValue(SipHeaderKind.SubscriptionState, out ReadOnlySpan<byte> stateText)
            || !SubscriptionStateValue.TryParse(SipMessage.ToText(stateText), out SubscriptionStateValue? state, out _))
        {
            // §8.2.3: NOTIFY carries a Subscription-State; without one it creates nothing.
            _layer.Respond(transaction, 400, "Bad Request (missing or malformed Subscription-State)"u8, []);
            return;
        }
        Dialog? d = _dialogs!.FindForRequest(request);
        Subscription? s = d?.UserData as Subscription;
        if (d is null && request.To.HasTag)
        {
            Subscription? origin = FindByDialogIds(SipMessage.ToText(request.CallId), SipMessage.ToText(request.To.Tag));
            if (origin is not null && !origin.IsUnsubscribing && origin.Event.Matches(ev!))
            {
                // §4.1.2.4: a NOTIFY may arrive before the 2xx and creates the dialog; §4.5.2: a NOTIFY
                // from another notifier (another From tag) after that is a fork: one more subscription.
                s = origin.Dialog is null ? origin : new Subscription(this, origin.Options, origin.Event, origin.Auth) { CallId = origin.CallId, _localTag = origin._localTag, _cseq = origin._cseq };
                var routes = new List<string>();
                HeaderValues.Collect(request, SipHeaderKind.RecordRoute, routes); // §12.1.1: a request's Record-Route in order
                d = _dialogs.CreateUsage(true, s.CallId, s._localTag, SipMessage.ToText(request.From.Tag), SipMessage.ToText(request.To.Value),
                    SipMessage.ToText(request.From.Value), request.Contact.IsPresent ? SipMessage.ToText(request.Contact.Uri) : s.Options.TargetUri, routes, s._cseq, request.CSeqNumber);
                if (d is null)
                {
                    _layer.Respond(transaction, 503, "Service Unavailable (dialog table full)"u8, []);
                    return;
                }
                d.UserData = s;
                s.Dialog = d;
                if (!ReferenceEquals(s, origin))
                {
                    s.ExpiresAt = origin.ExpiresAt;
                    _subscriptions.Add(s);
                    SubscriptionForked?.Invoke(origin, s);
                }
            }
        }
        if (s is null || d is null)
        {
            // RFC 6665 §4.1.3: a NOTIFY for no subscription of ours gets 481.
            _layer.Respond(transaction, 481, "Subscription Does Not Exist"u8, []);
            return;
        }
        if (!s.Event.Matches(ev!))
        {
            _layer.Respond(transaction, 489, "Bad Event"u8, []);
            return;
        }
        if (_dialogs.OnInDialogRequest(d, request) != 0)
        {
            _layer.Respond(transaction, 500, "Server Internal Error - CSeq Out Of Order"u8, []);
            return;
        }
        _layer.Respond(transaction, 200, "OK"u8, []);
        long now = _layer.Clock.NowMicros;
        s._gotNotify = true;
        s._timerNAt = long.MaxValue;
        string contentType = SipMessage.ToText(request.ContentType).Trim();
        ReadOnlyMemory<byte> body = request.Body.ToArray();
        if (!request.Body.IsEmpty) s.LastBody = new EventBody(contentType, body);
        if (state!.State != SubscriptionState.Terminated)
        {
            s.State = state.State;
            // §4.1.3: the expires parameter may shorten the subscription; refresh before it ends.
            if (state.Expires >= 0 && !s.IsUnsubscribing && now + state.Expires * 1_000_000L < s.ExpiresAt) ScheduleRefresh(s, state.Expires, now);
            s.Raise(new SubscriptionEvent(SubscriptionEventKind.Notified, s.State, 0, state.Reason ?? "", RemainingSeconds(s, now), -1, contentType, body));
            return;
        }
        s.Raise(new SubscriptionEvent(SubscriptionEventKind.Notified, SubscriptionState.Terminated, 0, state.Reason ?? "", 0, state.RetryAfter, contentType, body));
        if (s.IsUnsubscribing)
        {
            TerminateSubscription(s, 200, "unsubscribed", -1, allowRetry: false);
            return;
        }
        // §4.1.3: which reasons invite a new subscription, and when.
        bool retry = state.Reason switch
        {
            "deactivated" or "timeout" => true,
            "probation" or "giveup" => state.RetryAfter > 0,
            _ => false,
        };
        TerminateSubscription(s, 0, state.Reason ?? "terminated", state.RetryAfter, retry);
    }

    private bool TryEvent(Transaction transaction, SipMessage request, out EventHeaderValue? ev)
    {
        ev = null;
        if (!request.TryGetHeaderValue(SipHeaderKind.Event, out ReadOnlySpan<byte> text))
        {
            _layer.Respond(transaction, 400, "Bad Request (missing Event)"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            return false;
        }
        if (!EventHeaderValue.TryParse(SipMessage.ToText(text), out ev, out _))
        {
            _layer.Respond(transaction, 400, "Bad Request (malformed Event)"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            return false;
        }
        return true;
    }

    // ---- notifier ----

    private void OnSubscribe(Transaction transaction, SipMessage request)
    {
        if (!TryEvent(transaction, request, out EventHeaderValue? ev)) return;
        if (request.To.HasTag)
        {
            Dialog? d = _dialogs!.FindForRequest(request);
            if (d?.UserData is not NotifierSubscription ns || ns.State == SubscriptionState.Terminated)
            {
                _layer.Respond(transaction, 481, "Subscription Does Not Exist"u8, []);
                return;
            }
            if (!ns.Event.Matches(ev!))
            {
                _layer.Respond(transaction, 489, "Bad Event"u8, []);
                return;
            }
            if (_dialogs.OnInDialogRequest(d, request) != 0)
            {
                _layer.Respond(transaction, 500, "Server Internal Error - CSeq Out Of Order"u8, []);
                return;
            }
            if (!TryGrant(transaction, request, ns.Package, out int granted)) return;
            RespondSubscribe(transaction, request, d, granted);
            if (granted == 0)
            {
                // §4.2.1.2 / §4.1.2.3: unsubscribe: 200 then a final NOTIFY.
                TerminateNotifier(ns, null, -1);
                return;
            }
            ns.ExpiresAt = _layer.Clock.NowMicros + granted * 1_000_000L;
            SendNotify(ns); // §4.2.1.2: every accepted SUBSCRIBE is followed by a NOTIFY
            return;
        }
        if (!_packages.TryGetValue(ev!.Package, out IEventPackage? package))
        {
            // §7.2.2 / §8.3.2: 489 Bad Event lists what we serve in Allow-Events.
            var w = new SipMessageWriter(_layer.MessageBuffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, 489, "Bad Event"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            w.Append("Allow-Events: "u8);
            w.AppendText(AllowEvents);
            w.Append("\r\n"u8);
            w.End();
            if (!w.Overflowed) _layer.Respond(transaction, w.Written);
            return;
        }
        if (!TryGrant(transaction, request, package, out int expires)) return;
        string accept = request.TryGetHeaderValue(SipHeaderKind.Accept, out ReadOnlySpan<byte> a) ? SipMessage.ToText(a) : "";
        var sub = new NotifierSubscription(this, package, ev, SipMessage.ToText(request.RequestUri), SipMessage.ToText(request.From.Uri), accept);
        SubscriptionDecision decision = package.Authorize(sub);
        if (decision == SubscriptionDecision.Forbidden)
        {
            _layer.Respond(transaction, 403, "Forbidden"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            return;
        }
        Dialog? dialog = _dialogs!.CreateUas(transaction, request, RandomHex(16));
        if (dialog is null)
        {
            _layer.Respond(transaction, 503, "Service Unavailable (dialog table full)"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            return;
        }
        dialog.UserData = sub;
        sub.Dialog = dialog;
        sub.State = decision == SubscriptionDecision.Active ? SubscriptionState.Active : SubscriptionState.Pending;
        sub.ExpiresAt = _layer.Clock.NowMicros + expires * 1_000_000L;
        RespondSubscribe(transaction, request, dialog, expires);
        _notifierSubscriptions.Add(sub);
        // §4.2.1.2: the NOTIFY follows at once; Expires: 0 is a fetch: one final NOTIFY with the state.
        if (expires == 0) TerminateNotifier(sub, "timeout", -1);
        else SendNotify(sub);
        SubscriptionAccepted?.Invoke(sub);
    }

    private bool TryGrant(Transaction transaction, SipMessage request, IEventPackage package, out int granted)
    {
        granted = request.Expires >= 0 ? request.Expires : package.DefaultExpires;
        if (granted > 0 && granted < package.MinExpires)
        {
            // §4.2.1.1: too short: 423 Interval Too Brief with Min-Expires.
            var w = new SipMessageWriter(_layer.MessageBuffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, 423, "Interval Too Brief"u8, Encoding.ASCII.GetBytes(RandomHex(16)));
            w.Header("Min-Expires"u8, package.MinExpires);
            w.End();
            if (!w.Overflowed) _layer.Respond(transaction, w.Written);
            return false;
        }
        granted = Math.Min(granted, package.MaxExpires);
        return true;
    }

    private void RespondSubscribe(Transaction transaction, SipMessage request, Dialog d, int expires)
    {
        // §4.2.1.1: 200 (never 202 any more) with the Expires granted and our Contact.
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, Encoding.ASCII.GetBytes(d.LocalTag));
        w.Header("Expires"u8, expires);
        w.Append("Contact: <"u8);
        w.AppendText(_options!.ContactUri);
        w.Append(">\r\n"u8);
        w.End();
        if (!w.Overflowed) _dialogs!.SendSuccess(transaction, d, w.Written);
    }

    internal bool SendNotify(NotifierSubscription ns)
    {
        if (ns.State == SubscriptionState.Terminated || ns._finalSent || ns.Dialog is null) return false;
        if (ns._notifyInFlight is not null)
        {
            // One NOTIFY at a time per subscription; the latest state goes after the response.
            ns._notifyQueued = true;
            return true;
        }
        long now = _layer.Clock.NowMicros;
        bool final = ns._terminateReason is not null;
        var state = new SubscriptionStateValue
        {
            State = final ? SubscriptionState.Terminated : ns.State,
            Expires = final ? -1 : (int)Math.Max(0, (ns.ExpiresAt - now + 999_999) / 1_000_000),
            Reason = final && ns._terminateReason!.Length > 0 ? ns._terminateReason : null,
            RetryAfter = final ? ns._terminateRetryAfter : -1,
        };
        EventBody? body = ns.Package.GetState(ns);
        var sb = new StringBuilder();
        sb.Append("Event: ").Append(ns.Event).Append("\r\nSubscription-State: ").Append(state).Append("\r\nContact: <").Append(_options!.ContactUri).Append(">\r\n");
        if (body is not null) sb.Append("Content-Type: ").Append(body.ContentType).Append("\r\n");
        Transaction? t = _dialogs!.SendRequest(ns.Dialog, "NOTIFY", sb.ToString(), body is null ? default : body.Content.Span);
        ns._notifyQueued = false;
        if (final) ns._finalSent = true;
        if (t is null)
        {
            RemoveNotifier(ns, 503, "Service Unavailable (NOTIFY could not be sent)");
            return false;
        }
        t.UserData = ns;
        ns._notifyInFlight = t;
        ns._notifyGeneration = t.Generation;
        return true;
    }

    internal bool TerminateNotifier(NotifierSubscription ns, string? reason, int retryAfter)
    {
        if (ns.State == SubscriptionState.Terminated || ns._finalSent) return false;
        ns._terminateReason = reason ?? "";
        ns._terminateRetryAfter = retryAfter;
        ns._notifyQueued = true;
        if (ns._notifyInFlight is null) SendNotify(ns);
        return true;
    }

    private void OnNotifyResponse(NotifierSubscription ns, Transaction transaction, SipMessage response)
    {
        if (!ReferenceEquals(ns._notifyInFlight, transaction) || transaction.Generation != ns._notifyGeneration) return;
        int code = response.StatusCode;
        if (code < 200) return;
        ns._notifyInFlight = null;
        if (code >= 300)
        {
            // §4.2.2: a NOTIFY refused (481 above all) or timed out removes the subscription.
            RemoveNotifier(ns, code, SipMessage.ToText(response.ReasonPhrase));
            return;
        }
        if (ns._finalSent)
        {
            RemoveNotifier(ns, 0, ns._terminateReason is { Length: > 0 } r ? r : "unsubscribed");
            return;
        }
        if (ns._notifyQueued) SendNotify(ns);
    }

    private void RemoveNotifier(NotifierSubscription ns, int code, string reason)
    {
        if (ns.State == SubscriptionState.Terminated) return;
        ns.State = SubscriptionState.Terminated;
        ns._notifyInFlight = null;
        if (ns.Dialog is { } d && d.State != DialogState.Terminated) _dialogs!.End(d);
        _notifierSubscriptions.Remove(ns);
        ns.Raise(new SubscriptionEvent(SubscriptionEventKind.Terminated, SubscriptionState.Terminated, code, reason, 0, -1, "", default));
    }

    /// <summary>Sends a NOTIFY with the current state to every subscription of <paramref name="package"/> (optionally one resource).</summary>
    /// <returns>How many NOTIFYs were sent or queued.</returns>
    public int NotifyAll(string package, string? resource = null)
    {
        int n = 0;
        foreach (NotifierSubscription ns in _notifierSubscriptions.ToArray())
        {
            if (ns.Package.Name != package || (resource is not null && ns.Resource != resource)) continue;
            if (SendNotify(ns)) n++;
        }
        return n;
    }

    // ---- dispatch and timers ----

    private bool OnSubscriptionRequest(Transaction transaction, SipMessage request)
    {
        if (_dialogs is null) return false;
        switch (request.Method)
        {
            case SipMethod.Notify:
                OnNotify(transaction, request);
                return true;
            case SipMethod.Subscribe:
                OnSubscribe(transaction, request);
                return true;
            default:
                return false;
        }
    }

    private bool OnSubscriptionResponse(Transaction transaction, SipMessage response)
    {
        switch (transaction.UserData)
        {
            case Subscription s:
                OnSubscribeResponse(s, transaction, response);
                return true;
            case NotifierSubscription ns:
                OnNotifyResponse(ns, transaction, response);
                return true;
            default:
                return OnPublicationResponse(transaction, response);
        }
    }

    private bool OnSubscriptionError(Transaction transaction, TransactionError failure)
    {
        switch (transaction.UserData)
        {
            case Subscription s:
                OnSubscribeError(s, transaction, failure);
                return true;
            case NotifierSubscription ns:
                if (ReferenceEquals(ns._notifyInFlight, transaction) && transaction.Generation == ns._notifyGeneration)
                    RemoveNotifier(ns, failure == TransactionError.TransportError ? 503 : 408, "no response to NOTIFY");
                return true;
            default:
                return OnPublicationError(transaction, failure);
        }
    }

    private long EventsNextDeadline
    {
        get
        {
            long d = PublicationsNextDeadline;
            foreach (Subscription s in _subscriptions) d = Math.Min(d, s.NextDeadline);
            foreach (NotifierSubscription ns in _notifierSubscriptions)
            {
                if (!ns._finalSent) d = Math.Min(d, ns.ExpiresAt);
            }
            return d;
        }
    }

    private void ProcessEventTimers()
    {
        long now = _layer.Clock.NowMicros;
        _dueSubscriptions.Clear();
        foreach (Subscription s in _subscriptions)
        {
            if (s.NextDeadline <= now) _dueSubscriptions.Add(s);
        }
        foreach (Subscription s in _dueSubscriptions)
        {
            if (s._retryAt <= now)
            {
                s._retryAt = long.MaxValue;
                StartSubscription(s);
            }
            else if (s._timerNAt <= now)
            {
                // §4.1.2.4: no NOTIFY within Timer N: the subscription failed (or an unsubscribe ended anyway).
                if (s.IsUnsubscribing) TerminateSubscription(s, 200, "unsubscribed (no final NOTIFY within 64*T1)", -1, allowRetry: false);
                else TerminateSubscription(s, 408, "Request Timeout (no NOTIFY within 64*T1, Timer N)", -1, allowRetry: false);
            }
            else if (s.ExpiresAt <= now)
            {
                TerminateSubscription(s, 408, "expired without a successful refresh", -1, allowRetry: false);
            }
            else if (s._refreshAt <= now)
            {
                s._refreshAt = long.MaxValue;
                if (s._pending is null && s.Dialog is not null)
                {
                    s.Auth.BeginRequest();
                    SendSubscribe(s, s.Options.Expires);
                }
            }
        }
        _dueNotifier.Clear();
        foreach (NotifierSubscription ns in _notifierSubscriptions)
        {
            if (!ns._finalSent && ns.ExpiresAt <= now) _dueNotifier.Add(ns);
        }
        // §4.2.2: at expiry the notifier ends the subscription with reason=timeout.
        foreach (NotifierSubscription ns in _dueNotifier) TerminateNotifier(ns, "timeout", -1);
        ProcessPublicationTimers();
    }
}
