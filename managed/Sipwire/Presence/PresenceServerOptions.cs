// Options of the presence server role: domains, expiry bounds, watcher policy, digest users.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Auth;
using Sipwire.UserAgent;

namespace Sipwire.Presence;

/// <summary>Options of a <see cref="PresenceServer"/>.</summary>
public sealed record PresenceServerOptions
{
    /// <summary>The server's own identity and Contact (its NOTIFYs come from this UA).</summary>
    public required UserAgentOptions UserAgent { get; init; }

    /// <summary>The domains whose presentities and devices it serves (the first is the realm).</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>Digest server; with <see cref="PasswordOf"/> set, PUBLISH, SUBSCRIBE presence and user profiles need credentials.</summary>
    public DigestServer? Digest { get; init; }

    /// <summary>Password of a user, or null for unknown users.</summary>
    public Func<string, string?>? PasswordOf { get; init; }

    /// <summary>Watchers not on a presentity's list: pending (default) or refused with 403.</summary>
    public UnknownWatcherPolicy UnknownWatchers { get; init; } = UnknownWatcherPolicy.Pending;

    /// <summary>Shortest presence subscription (423 below).</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longest presence subscription granted.</summary>
    public int MaxExpires { get; init; } = 86400;

    /// <summary>Shortest publication (RFC 3903 §6 step 5: 423 with Min-Expires below).</summary>
    public int PublishMinExpires { get; init; } = 60;

    /// <summary>Longest publication granted.</summary>
    public int PublishMaxExpires { get; init; } = 86400;

    /// <summary>Publication duration without Expires (RFC 3903 §5: the package default; RFC 3856 §6.4 one hour).</summary>
    public int PublishDefaultExpires { get; init; } = 3600;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(UserAgent);
        if (Domains is null || Domains.Count == 0) throw new ArgumentException("At least one domain is needed.", nameof(Domains));
        if ((Digest is null) != (PasswordOf is null)) throw new ArgumentException("Digest and PasswordOf go together.", nameof(Digest));
        if (MinExpires < 1 || MinExpires > 3600 || MaxExpires < 3600) throw new ArgumentException("Subscription bounds must satisfy 1 <= Min <= 3600 <= Max (RFC 3856 §6.4 default).", nameof(MinExpires));
        if (PublishMinExpires < 1 || PublishMaxExpires < PublishMinExpires || PublishDefaultExpires < PublishMinExpires || PublishDefaultExpires > PublishMaxExpires)
            throw new ArgumentException("Publication bounds must satisfy 1 <= Min <= Default <= Max.", nameof(PublishMinExpires));
    }
}
