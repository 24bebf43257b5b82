// What to subscribe to (RFC 6665 §4.1.2.1): target, event package, duration, accepted bodies, credentials.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>Options of one subscription made with <see cref="UserAgentCore.Subscribe"/>.</summary>
public sealed record SubscriptionOptions
{
    /// <summary>The resource: Request-URI and To of the SUBSCRIBE ("sip:bob@example.test").</summary>
    public required string TargetUri { get; init; }

    /// <summary>Where the initial SUBSCRIBE goes (the notifier or the outbound proxy); refreshes follow the dialog.</summary>
    public required PeerAddress Destination { get; init; }

    /// <summary>The Event header field value: package and parameters ("presence", "ua-profile;profile-type=device").</summary>
    public required string Event { get; init; }

    /// <summary>Requested duration in seconds (RFC 6665 §4.1.2.1; the notifier may shorten it).</summary>
    public int Expires { get; init; } = 3600;

    /// <summary>Body types we accept in NOTIFY (the Accept header field); empty leaves the package default.</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>Digest credentials for 401/407 (RFC 3261 §22).</summary>
    public IReadOnlyList<SipCredentials> Credentials { get; init; } = [];

    /// <summary>
    /// Subscribe again by itself after a termination whose reason invites it (RFC 6665 §4.1.3:
    /// deactivated and timeout at once; probation and giveup after retry-after).
    /// </summary>
    public bool Resubscribe { get; init; } = true;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TargetUri);
        if (!EventHeaderValue.TryParse(Event, out _, out string error)) throw new ArgumentException($"Event '{Event}': {error}.", nameof(Event));
        if (Expires is < 0 or > 0x7fffffff) throw new ArgumentException("Expires must be 0 or more.", nameof(Expires));
        ArgumentNullException.ThrowIfNull(Accept);
        ArgumentNullException.ThrowIfNull(Credentials);
        foreach (string a in Accept)
        {
            if (a is null || !a.Contains('/', StringComparison.Ordinal) || a.AsSpan().IndexOfAny("\r\n,") >= 0) throw new ArgumentException($"'{a}' is not a media type.", nameof(Accept));
        }
    }
}
