// What to publish to (RFC 3903 §4): the presentity, the event package, duration and credentials.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>Options of one publication made with <see cref="UserAgentCore.Publish"/>.</summary>
public sealed record PublicationOptions
{
    /// <summary>The resource whose state is published: Request-URI and To ("sip:alice@example.test").</summary>
    public required string TargetUri { get; init; }

    /// <summary>Where PUBLISH goes: the event state compositor or the outbound proxy.</summary>
    public required PeerAddress Destination { get; init; }

    /// <summary>The event package ("presence").</summary>
    public string Event { get; init; } = "presence";

    /// <summary>Requested duration in seconds (RFC 3903 §4.1); refreshed before it ends.</summary>
    public int Expires { get; init; } = 3600;

    /// <summary>Digest credentials for 401/407.</summary>
    public IReadOnlyList<SipCredentials> Credentials { get; init; } = [];

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TargetUri);
        if (!EventHeaderValue.TryParse(Event, out _, out string error)) throw new ArgumentException($"Event '{Event}': {error}.", nameof(Event));
        if (Expires <= 0) throw new ArgumentException("Expires must be positive; remove a publication with Publication.Remove.", nameof(Expires));
        ArgumentNullException.ThrowIfNull(Credentials);
    }
}
