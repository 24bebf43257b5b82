// The event state compositor of the presence agent (RFC 3903 §6, RFC 3856 §6.9): publications by entity-tag, composition, expiry.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Security;

namespace Sipwire.Presence;

/// <summary>
/// Holds every live publication per presentity, generates entity-tags, composes one PIDF document per
/// presentity from all its publications and drops publications that were not refreshed in time.
/// Sans-IO: times are clock microseconds passed in by the caller.
/// </summary>
public sealed class PresenceCompositor
{
    private readonly Dictionary<string, List<EventPublication>> _byPresentity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EventPublication> _byTag = new(StringComparer.Ordinal);
    private readonly List<string> _expired = [];

    /// <summary>Most publications held at once; a new one beyond it is refused (the caller answers 503).</summary>
    public int MaxPublications { get; init; } = 10_000;

    /// <summary>Live publications.</summary>
    public int Count => _byTag.Count;

    /// <summary>The publications of <paramref name="presentity"/> (empty when none).</summary>
    public IReadOnlyList<EventPublication> PublicationsOf(string presentity) =>
        _byPresentity.TryGetValue(presentity, out List<EventPublication>? list) ? list : [];

    /// <summary>Stores a new publication (RFC 3903 §6 step 8: a fresh entity-tag); null when the store is full.</summary>
    public EventPublication? Add(string presentity, PidfDocument document, long expiresAt)
    {
        ArgumentNullException.ThrowIfNull(presentity);
        ArgumentNullException.ThrowIfNull(document);
        if (_byTag.Count >= MaxPublications) return null;
        var p = new EventPublication(presentity, NewTag(), document, expiresAt);
        _byTag.Add(p.EntityTag, p);
        if (!_byPresentity.TryGetValue(presentity, out List<EventPublication>? list)) _byPresentity[presentity] = list = [];
        list.Add(p);
        return p;
    }

    /// <summary>Finds the publication of <paramref name="presentity"/> whose entity-tag is <paramref name="entityTag"/> (RFC 3903 §6 step 4).</summary>
    public EventPublication? Find(string presentity, string entityTag)
    {
        // §6 step 4: the entity-tag must match one of this resource's publications, not any resource's.
        return _byTag.TryGetValue(entityTag, out EventPublication? p) && p.Presentity == presentity ? p : null;
    }

    /// <summary>Refreshes (document null) or modifies <paramref name="publication"/>; it gets a new entity-tag (RFC 3903 §6 step 8).</summary>
    public void Update(EventPublication publication, PidfDocument? document, long expiresAt)
    {
        ArgumentNullException.ThrowIfNull(publication);
        _byTag.Remove(publication.EntityTag);
        publication.EntityTag = NewTag();
        _byTag.Add(publication.EntityTag, publication);
        if (document is not null) publication.Document = document;
        publication.ExpiresAt = expiresAt;
    }

    /// <summary>Removes <paramref name="publication"/> (RFC 3903 §4.5: Expires 0).</summary>
    public bool Remove(EventPublication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        if (!_byTag.Remove(publication.EntityTag)) return false;
        List<EventPublication> list = _byPresentity[publication.Presentity];
        list.Remove(publication);
        if (list.Count == 0) _byPresentity.Remove(publication.Presentity);
        return true;
    }

    /// <summary>Earliest expiry, or long.MaxValue.</summary>
    public long NextDeadline
    {
        get
        {
            long d = long.MaxValue;
            foreach (EventPublication p in _byTag.Values) d = Math.Min(d, p.ExpiresAt);
            return d;
        }
    }

    /// <summary>Drops the publications expired at <paramref name="now"/> (RFC 3903 §6: state not refreshed ends) and lists the presentities whose state changed.</summary>
    public IReadOnlyList<string> Expire(long now)
    {
        _expired.Clear();
        var due = new List<EventPublication>();
        foreach (EventPublication p in _byTag.Values)
        {
            if (p.ExpiresAt <= now) due.Add(p);
        }
        foreach (EventPublication p in due)
        {
            Remove(p);
            if (!_expired.Contains(p.Presentity)) _expired.Add(p.Presentity);
        }
        return _expired;
    }

    /// <summary>
    /// The composed state of <paramref name="presentity"/> (RFC 3856 §6.9, RFC 3903 §2: the compositor
    /// merges all publications): every tuple of every publication, oldest publication first, tuple ids
    /// made unique (RFC 3863 §4.1.4); with nothing published, a neutral document with one tuple whose
    /// status is "closed".
    /// </summary>
    public PidfDocument Compose(string presentity)
    {
        ArgumentNullException.ThrowIfNull(presentity);
        IReadOnlyList<EventPublication> list = PublicationsOf(presentity);
        if (list.Count == 0)
        {
            return new PidfDocument
            {
                Entity = presentity,
                Tuples = [new PidfTuple { Id = "neutral", Basic = PresenceBasic.Closed }],
            };
        }
        var tuples = new List<PidfTuple>();
        var notes = new List<PidfNote>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            foreach (PidfTuple t in list[i].Document.Tuples)
            {
                // RFC 3863 §4.1.4: ids are unique within one document; two publishers may both say "t1".
                string id = t.Id;
                for (int n = 2; !ids.Add(id); n++) id = t.Id + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                tuples.Add(id == t.Id ? t : t with { Id = id });
            }
            notes.AddRange(list[i].Document.Notes);
        }
        return new PidfDocument { Entity = presentity, Tuples = tuples, Notes = notes };
    }

    private static string NewTag()
    {
        // RFC 3903 §6 step 8: entity-tags are unique across the compositor's publications and not guessable.
        return Convert.ToHexStringLower(SecureRandom.GetBytes(12));
    }
}
