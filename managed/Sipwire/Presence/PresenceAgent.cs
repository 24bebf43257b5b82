// The presence agent (RFC 3856, RFC 3903): PUBLISH into the compositor, SUBSCRIBE presence from authorized watchers, PIDF NOTIFYs.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Events;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.Presence;

/// <summary>
/// Serves Event: presence for the presentities of its domains as the notifier of a UA core (the core
/// does RFC 6665: dialogs, Expires, immediate/final NOTIFYs, expiry) and accepts PUBLISH as the event
/// state compositor (RFC 3903 §6). Watchers on a presentity's authorization list (and the presentity
/// itself) are active; others pending or refused by <see cref="PresenceServerOptions.UnknownWatchers"/>.
/// </summary>
public sealed class PresenceAgent : IEventPackage
{
    private readonly UserAgentCore _core;
    private readonly TransactionLayer _layer;
    private readonly PresenceServerOptions _options;
    private readonly Dictionary<string, HashSet<string>> _allowed = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[8192];

    internal PresenceAgent(UserAgentCore core, TransactionLayer layer, PresenceServerOptions options)
    {
        _core = core;
        _layer = layer;
        _options = options;
        core.AddEventPackage(this);
    }

    /// <summary>The event state compositor.</summary>
    public PresenceCompositor Compositor { get; } = new();

    /// <inheritdoc />
    public string Name => "presence";

    /// <inheritdoc />
    public int MinExpires => _options.MinExpires;

    /// <inheritdoc />
    public int MaxExpires => _options.MaxExpires;

    /// <inheritdoc />
    public int DefaultExpires => 3600; // RFC 3856 §6.4: one hour

    /// <summary>Puts <paramref name="watcher"/> on the authorization list of <paramref name="presentity"/> and activates its pending subscriptions.</summary>
    /// <returns>How many pending subscriptions became active.</returns>
    /// <exception cref="ArgumentException">A URI is not a SIP URI.</exception>
    public int AllowWatcher(string presentity, string watcher)
    {
        string p = CanonicalOrThrow(presentity, nameof(presentity));
        string w = CanonicalOrThrow(watcher, nameof(watcher));
        if (!_allowed.TryGetValue(p, out HashSet<string>? set)) _allowed[p] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(w);
        int n = 0;
        foreach (NotifierSubscription ns in Subscriptions(p))
        {
            // RFC 6665 §4.2.1.1: a pending subscription becomes active once authorized, with a NOTIFY of the state.
            if (ns.State == SubscriptionState.Pending && Canonical(ns.Subscriber) == w && ns.Activate()) n++;
        }
        return n;
    }

    /// <summary>Takes <paramref name="watcher"/> off the list; its subscriptions to <paramref name="presentity"/> end with reason=rejected (RFC 6665 §4.1.3).</summary>
    /// <returns>How many subscriptions were ended.</returns>
    /// <exception cref="ArgumentException">A URI is not a SIP URI.</exception>
    public int RemoveWatcher(string presentity, string watcher)
    {
        string p = CanonicalOrThrow(presentity, nameof(presentity));
        string w = CanonicalOrThrow(watcher, nameof(watcher));
        if (_allowed.TryGetValue(p, out HashSet<string>? set)) set.Remove(w);
        int n = 0;
        foreach (NotifierSubscription ns in Subscriptions(p))
        {
            if (Canonical(ns.Subscriber) == w && ns.Terminate("rejected")) n++;
        }
        return n;
    }

    /// <summary>Whether <paramref name="watcher"/> may see <paramref name="presentity"/> (both canonical).</summary>
    public bool IsAllowed(string presentity, string watcher) =>
        presentity == watcher || (_allowed.TryGetValue(presentity, out HashSet<string>? set) && set.Contains(watcher));

    /// <summary>The composed state of <paramref name="presentity"/> (a neutral closed document when nothing is published).</summary>
    public PidfDocument StateOf(string presentity) => Compositor.Compose(CanonicalOrThrow(presentity, nameof(presentity)));

    /// <inheritdoc />
    public SubscriptionDecision Authorize(NotifierSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        string? p = Canonical(subscription.Resource);
        string? w = Canonical(subscription.Subscriber);
        if (p is null || w is null) return SubscriptionDecision.Forbidden;
        subscription.UserData = p;
        if (IsAllowed(p, w)) return SubscriptionDecision.Active;
        return _options.UnknownWatchers == UnknownWatcherPolicy.Pending ? SubscriptionDecision.Pending : SubscriptionDecision.Forbidden;
    }

    /// <inheritdoc />
    public EventBody? GetState(NotifierSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        // RFC 6665 §4.2.1.2 / RFC 3856 §6.6.2: a pending watcher learns nothing of the presentity.
        if (subscription.State != SubscriptionState.Active || subscription.UserData is not string p) return null;
        return new EventBody(PidfDocument.ContentType, Compositor.Compose(p).ToXml());
    }

    /// <summary>Drops expired publications and notifies the watchers of every presentity whose state changed.</summary>
    public void ProcessTimers(long now)
    {
        IReadOnlyList<string> changed = Compositor.Expire(now);
        foreach (string p in changed.Count == 0 ? [] : new List<string>(changed)) NotifyWatchers(p);
    }

    /// <summary>Earliest publication expiry.</summary>
    public long NextDeadline => Compositor.NextDeadline;

    /// <summary>
    /// Processes a PUBLISH (RFC 3903 §6) whose sender was authenticated as <paramref name="user"/> (null when
    /// authentication is off) and answers it.
    /// </summary>
    /// <returns>The status code answered and a short note for the log.</returns>
    public (int Status, string Note) OnPublish(Transaction transaction, SipMessage request, string? user)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        // §6 step 1: the Request-URI names the presentity; we compose state only for our domains.
        if (!SipUri.TryParse(request.RequestUri, out SipUri? uri) || uri!.User is null || !ServesDomain(uri.Host))
            return Respond(transaction, request, 404, "Not Found (no presentity of ours)", null);
        string presentity = SipRegistrar.Canonical(uri);
        // RFC 3856 §6.9: only the presentity itself publishes its state.
        if (user is not null && !string.Equals(SipUri.Unescape(uri.User), user, StringComparison.Ordinal))
            return Respond(transaction, request, 403, $"Forbidden ({user} may not publish for {presentity})", null);
        // §6 step 2: the event package must be one we compose.
        if (!request.TryGetHeaderValue(SipHeaderKind.Event, out ReadOnlySpan<byte> evText))
            return Respond(transaction, request, 400, "Bad Request (missing Event)", null);
        if (!EventHeaderValue.TryParse(SipMessage.ToText(evText), out EventHeaderValue? ev, out _) || ev!.Package != Name)
            return Respond(transaction, request, 489, "Bad Event", (ref SipMessageWriter w) => w.Header("Allow-Events"u8, "presence"u8));
        // §6 step 3: SIP-If-Match names the publication refreshed, modified or removed; unknown -> 412.
        EventPublication? existing = null;
        if (request.TryGetHeaderValue(SipHeaderKind.SipIfMatch, out ReadOnlySpan<byte> ifMatch))
        {
            existing = Compositor.Find(presentity, SipMessage.ToText(ifMatch).Trim());
            if (existing is null) return Respond(transaction, request, 412, "Conditional Request Failed", null);
        }
        // §6 step 5: Expires: absent -> the package default; shorter than our minimum -> 423; longer -> shortened.
        int expires = request.Expires >= 0 ? request.Expires : _options.PublishDefaultExpires;
        if (expires > 0 && expires < _options.PublishMinExpires)
            return Respond(transaction, request, 423, "Interval Too Brief", (ref SipMessageWriter w) => w.Header("Min-Expires"u8, _options.PublishMinExpires));
        expires = Math.Min(expires, _options.PublishMaxExpires);
        // §6 step 4/6: a body must be PIDF (RFC 3856 §6.9: the presence package's format) and parse.
        PidfDocument? document = null;
        if (!request.Body.IsEmpty)
        {
            string type = SipMessage.ToText(request.ContentType).Split(';')[0].Trim();
            if (!type.Equals(PidfDocument.ContentType, StringComparison.OrdinalIgnoreCase))
                return Respond(transaction, request, 415, "Unsupported Media Type", (ref SipMessageWriter w) => w.Header("Accept"u8, "application/pidf+xml"u8));
            if (!PidfDocument.TryParse(request.Body, out document, out string error))
                return Respond(transaction, request, 400, "Bad Request (PIDF: " + error + ")", null);
        }
        long now = _layer.Clock.NowMicros;
        if (existing is null)
        {
            // §6 step 4: without SIP-If-Match a PUBLISH is an initial publication and needs a body.
            if (document is null) return Respond(transaction, request, 400, "Bad Request (initial PUBLISH without a body)", null);
            if (expires == 0) return Respond(transaction, request, 200, "OK", (ref SipMessageWriter w) => w.Header("Expires"u8, 0));
            EventPublication? added = Compositor.Add(presentity, document, now + expires * 1_000_000L);
            if (added is null)
                return Respond(transaction, request, 503, "Service Unavailable (publication table full)", (ref SipMessageWriter w) => w.Header("Retry-After"u8, 60));
            (int s, string n) = RespondOk(transaction, request, added.EntityTag, expires);
            NotifyWatchers(presentity);
            return (s, n + " initial");
        }
        if (expires == 0)
        {
            // §4.5 / §6 step 7: Expires 0 removes the publication; the composed state changes.
            Compositor.Remove(existing);
            (int s, string n) = Respond(transaction, request, 200, "OK", (ref SipMessageWriter w) => w.Header("Expires"u8, 0));
            NotifyWatchers(presentity);
            return (s, n + " removed");
        }
        Compositor.Update(existing, document, now + expires * 1_000_000L);
        (int status, string note) = RespondOk(transaction, request, existing.EntityTag, expires);
        if (document is null) return (status, note + " refresh");
        NotifyWatchers(presentity);
        return (status, note + " modify");
    }

    private (int, string) RespondOk(Transaction transaction, SipMessage request, string entityTag, int expires) =>
        (200, Respond(transaction, request, 200, "OK", (ref SipMessageWriter w) =>
        {
            // §6 step 8 / §11.3: the new entity-tag in SIP-ETag, the granted duration in Expires.
            w.Header("SIP-ETag"u8, Encoding.ASCII.GetBytes(entityTag));
            w.Header("Expires"u8, expires);
        }).Note + " etag=" + entityTag);

    private delegate void HeaderWriterAction(ref SipMessageWriter w);

    private (int Status, string Note) Respond(Transaction transaction, SipMessage request, int status, string reason, HeaderWriterAction? headers)
    {
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, status, Encoding.UTF8.GetBytes(reason), "pa"u8);
        headers?.Invoke(ref w);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        return (status, reason);
    }

    /// <summary>Sends the composed state to every active watcher of <paramref name="presentity"/> (RFC 3856 §6.7: on each change).</summary>
    public int NotifyWatchers(string presentity)
    {
        int n = 0;
        foreach (NotifierSubscription ns in Subscriptions(presentity))
        {
            if (ns.State == SubscriptionState.Active && ns.Notify()) n++;
        }
        return n;
    }

    private List<NotifierSubscription> Subscriptions(string presentity)
    {
        var list = new List<NotifierSubscription>();
        foreach (NotifierSubscription ns in _core.NotifierSubscriptions)
        {
            if (ReferenceEquals(ns.Package, this) && ns.UserData is string p && p == presentity) list.Add(ns);
        }
        return list;
    }

    private bool ServesDomain(string host)
    {
        foreach (string d in _options.Domains)
        {
            if (string.Equals(d, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    internal static string? Canonical(string uri) => SipUri.TryParse(uri, out SipUri? u) ? SipRegistrar.Canonical(u!) : null;

    private static string CanonicalOrThrow(string uri, string name)
    {
        ArgumentNullException.ThrowIfNull(uri, name);
        return Canonical(uri) ?? throw new ArgumentException($"'{uri}' is not a SIP URI.", name);
    }
}
