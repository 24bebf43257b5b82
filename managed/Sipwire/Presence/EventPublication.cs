// One publication of event state held by the compositor (RFC 3903 §6): its entity-tag, document and expiry.
// SPDX-License-Identifier: MIT

namespace Sipwire.Presence;

/// <summary>A publication of one presentity's state, identified by its current entity-tag.</summary>
public sealed class EventPublication
{
    internal EventPublication(string presentity, string entityTag, PidfDocument document, long expiresAt)
    {
        Presentity = presentity;
        EntityTag = entityTag;
        Document = document;
        ExpiresAt = expiresAt;
    }

    /// <summary>The canonical presentity URI (RFC 3261 §10.3 step 5 form).</summary>
    public string Presentity { get; }

    /// <summary>The entity-tag the publisher must quote in SIP-If-Match; a new one after every successful PUBLISH (RFC 3903 §6 step 8).</summary>
    public string EntityTag { get; internal set; }

    /// <summary>The published PIDF document.</summary>
    public PidfDocument Document { get; internal set; }

    /// <summary>When it expires (clock microseconds).</summary>
    public long ExpiresAt { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Presentity} etag={EntityTag}";
}
