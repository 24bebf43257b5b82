// The UA core's event state publication client (RFC 3903): PUBLISH with SIP-ETag / SIP-If-Match.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Events;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private readonly List<Publication> _publications = [];

    /// <summary>Publications not yet removed.</summary>
    public IReadOnlyList<Publication> Publications => _publications;

    /// <summary>
    /// Publishes event state (RFC 3903 §4.2): an initial PUBLISH with <paramref name="body"/>, then
    /// refreshes before it expires. Outcomes arrive on <see cref="Publication.Changed"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The core was created without <see cref="UserAgentOptions"/>.</exception>
    /// <exception cref="ArgumentException">An option or the body is invalid.</exception>
    public Publication Publish(PublicationOptions options, EventBody body)
    {
        _ = _options ?? throw new InvalidOperationException("PUBLISH needs UserAgentOptions.");
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckUri(options.TargetUri, nameof(options));
        CheckBody(body);
        var p = new Publication(this, options, body, NewCallId(), RandomHex(16), new ClientAuthenticator(options.Credentials));
        _publications.Add(p);
        SendPublish(p, Publication.PublishKind.Initial, options.Expires);
        return p;
    }

    private static void CheckBody(EventBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body.ContentType) || !body.ContentType.Contains('/', StringComparison.Ordinal) || body.ContentType.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException($"'{body.ContentType}' is not a media type.", nameof(body));
    }

    internal bool ModifyPublication(Publication p, EventBody body)
    {
        CheckBody(body);
        if (p.IsClosed || p._removeRequested) return false;
        p.Body = body;
        if (p._pending is not null)
        {
            p._bodyDirty = true; // sent when the PUBLISH in flight is answered
            return true;
        }
        SendPublish(p, p.ETag is null ? Publication.PublishKind.Initial : Publication.PublishKind.Modify, p.Options.Expires);
        return true;
    }

    internal bool RemovePublication(Publication p)
    {
        if (p.IsClosed || p._removeRequested) return false;
        p._removeRequested = true;
        p._refreshAt = long.MaxValue;
        if (p._pending is not null) return true; // removed when the PUBLISH in flight is answered
        if (p.ETag is null)
        {
            ClosePublication(p, PublicationEventKind.Removed, 200, "not published", "");
            return true;
        }
        SendPublish(p, Publication.PublishKind.Remove, 0);
        return true;
    }

    private void SendPublish(Publication p, Publication.PublishKind kind, int expires)
    {
        p._cseq++;
        p._pendingKind = kind;
        p._pendingExpires = expires;
        // RFC 3903 §4.1-4.5: initial and modify carry the body; refresh and remove carry none; all but
        // the initial one name the state with SIP-If-Match.
        bool withBody = kind is Publication.PublishKind.Initial or Publication.PublishKind.Modify;
        if (withBody) p._bodyDirty = false;
        ReadOnlySpan<byte> body = withBody ? p.Body.Content.Span : default;
        var sb = new StringBuilder();
        sb.Append("Event: ").Append(p.Options.Event).Append("\r\nExpires: ").Append(expires).Append("\r\n");
        if (kind != Publication.PublishKind.Initial) sb.Append("SIP-If-Match: ").Append(p.ETag).Append("\r\n");
        if (withBody) sb.Append("Content-Type: ").Append(p.Body.ContentType).Append("\r\n");
        sb.Append(p.Auth.Authorization("PUBLISH", p.Options.TargetUri, body));
        int n = WriteOutOfDialog("PUBLISH", p.Options.TargetUri, p.Options.TargetUri, p._callId, p._fromTag, p._cseq, p.Options.Destination.Protocol, withContact: false, sb.ToString(), body);
        Transaction? t = n < 0 ? null : _layer.SendRequest(_layer.MessageBuffer.AsSpan(0, n), p.Options.Destination);
        if (t is null)
        {
            ClosePublication(p, PublicationEventKind.Failed, n < 0 ? 513 : 503, n < 0 ? "Message Too Large (PUBLISH does not fit the send buffer)" : "Service Unavailable (transaction table full)", "");
            return;
        }
        t.UserData = p;
        p._pending = t;
        p._pendingGeneration = t.Generation;
    }

    private void OnPublishResponse(Publication p, Transaction transaction, SipMessage response)
    {
        if (!ReferenceEquals(p._pending, transaction) || transaction.Generation != p._pendingGeneration) return;
        int code = response.StatusCode;
        if (code < 200) return;
        p._pending = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 300)
        {
            p.Auth.BeginRequest();
            if (p._pendingKind == Publication.PublishKind.Remove)
            {
                ClosePublication(p, PublicationEventKind.Removed, code, reason, "");
                return;
            }
            // RFC 3903 §11.3.1: the 2xx carries the SIP-ETag of the state; §4.1: and the Expires granted.
            if (!response.TryGetHeaderValue(SipHeaderKind.SipETag, out ReadOnlySpan<byte> etag) || etag.Trim((byte)' ').IsEmpty)
            {
                ClosePublication(p, PublicationEventKind.Failed, code, reason + " (no SIP-ETag in the 2xx)", "");
                return;
            }
            p.ETag = SipMessage.ToText(etag).Trim();
            p._retriedAfter412 = false;
            int granted = response.Expires >= 0 ? Math.Min(response.Expires, p._pendingExpires) : p._pendingExpires;
            long now = _layer.Clock.NowMicros;
            int refreshIn = granted > LongSubscriptionSeconds ? granted - 600 : Math.Max(1, granted / 2);
            p._refreshAt = now + refreshIn * 1_000_000L;
            p.Raise(new PublicationEvent(PublicationEventKind.Published, code, reason, p.ETag, granted));
            if (p._removeRequested) SendPublish(p, Publication.PublishKind.Remove, 0);
            else if (p._bodyDirty) SendPublish(p, Publication.PublishKind.Modify, p.Options.Expires);
            return;
        }
        if (code is 401 or 407)
        {
            string? refused = p.Auth.OnChallenge(response);
            if (refused is null)
            {
                SendPublish(p, p._pendingKind, p._pendingExpires);
                return;
            }
            reason += " (" + refused + ")";
        }
        else if (code == 412 && !p._retriedAfter412)
        {
            // RFC 3903 §6: the ESC lost our entity-tag: publish the whole state again as an initial PUBLISH.
            p._retriedAfter412 = true;
            p.ETag = null;
            if (p._removeRequested || p._pendingKind == Publication.PublishKind.Remove)
            {
                ClosePublication(p, PublicationEventKind.Removed, code, reason + " (state already gone)", "");
                return;
            }
            SendPublish(p, Publication.PublishKind.Initial, p.Options.Expires);
            return;
        }
        else if (code == 423 && response.TryGetHeaderValue(SipHeaderKind.MinExpires, out ReadOnlySpan<byte> me)
            && int.TryParse(SipMessage.ToText(me).Trim(), out int min) && min > p._pendingExpires && p._pendingExpires > 0)
        {
            // RFC 3903 §4.1 / RFC 3261 §21.4.17: ask again with at least Min-Expires.
            SendPublish(p, p._pendingKind, min);
            return;
        }
        ClosePublication(p, PublicationEventKind.Failed, code, reason, "");
    }

    private void OnPublishError(Publication p, Transaction transaction, TransactionError failure)
    {
        if (!ReferenceEquals(p._pending, transaction) || transaction.Generation != p._pendingGeneration) return;
        p._pending = null;
        ClosePublication(p, PublicationEventKind.Failed, failure == TransactionError.TransportError ? 503 : 408,
            failure == TransactionError.TransportError ? "Service Unavailable (transport error)" : "Request Timeout (no response to PUBLISH)", "");
    }

    private void ClosePublication(Publication p, PublicationEventKind kind, int code, string reason, string etag)
    {
        p.IsClosed = true;
        p.ETag = null;
        p._refreshAt = long.MaxValue;
        p._pending = null;
        _publications.Remove(p);
        p.Raise(new PublicationEvent(kind, code, reason, etag, 0));
    }

    private long PublicationsNextDeadline
    {
        get
        {
            long d = long.MaxValue;
            foreach (Publication p in _publications) d = Math.Min(d, p._refreshAt);
            return d;
        }
    }

    private void ProcessPublicationTimers()
    {
        long now = _layer.Clock.NowMicros;
        foreach (Publication p in _publications.ToArray())
        {
            if (p._refreshAt > now) continue;
            p._refreshAt = long.MaxValue;
            // RFC 3903 §4.3: a refresh names the state with SIP-If-Match and carries no body.
            if (p._pending is null && p.ETag is not null && !p._removeRequested)
            {
                p.Auth.BeginRequest();
                SendPublish(p, Publication.PublishKind.Refresh, p.Options.Expires);
            }
        }
    }

    private bool OnPublicationResponse(Transaction transaction, SipMessage response)
    {
        if (transaction.UserData is not Publication p) return false;
        OnPublishResponse(p, transaction, response);
        return true;
    }

    private bool OnPublicationError(Transaction transaction, TransactionError failure)
    {
        if (transaction.UserData is not Publication p) return false;
        OnPublishError(p, transaction, failure);
        return true;
    }
}
