// One <tuple> of a PIDF document (RFC 3863 §4.1.2): status, contact, notes and timestamp.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Presence;

/// <summary>A presence tuple: one communication means and its status.</summary>
public sealed record PidfTuple
{
    /// <summary>The id attribute: an XML ID, unique in the document (RFC 3863 §4.1.2).</summary>
    public required string Id { get; init; }

    /// <summary>The basic status, or null when the status carries none (§4.1.4: basic is optional).</summary>
    public PresenceBasic? Basic { get; init; }

    /// <summary>The contact URI, or null (§4.1.5).</summary>
    public string? Contact { get; init; }

    /// <summary>The contact's priority 0..1, or null (§4.1.5).</summary>
    public decimal? ContactPriority { get; init; }

    /// <summary>Notes of this tuple (§4.1.6).</summary>
    public IReadOnlyList<PidfNote> Notes { get; init; } = [];

    /// <summary>When the status was last changed (§4.1.7), or null.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
