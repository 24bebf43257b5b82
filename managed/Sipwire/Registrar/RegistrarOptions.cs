// Configuration of the registrar: served domains, authentication, expiry bounds.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Registrar;

/// <summary>What a <see cref="SipRegistrar"/> serves and how strictly.</summary>
public sealed class RegistrarOptions
{
    /// <summary>The domains this registrar holds bindings for (RFC 3261 §10.3 step 1), compared case-insensitively.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>
    /// Digest authentication on every REGISTER (RFC 3261 §10.3 step 3). On by default: without it anybody
    /// can bind anybody's address-of-record to their own device (§26.1.1, registration hijacking).
    /// </summary>
    public bool RequireAuthentication { get; init; } = true;

    /// <summary>Shortest accepted interval in seconds; shorter non-zero requests get 423 (§10.3 step 7, §10.2.8).</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longest granted interval in seconds; longer requests are shortened (§10.3 step 7: "MAY shorten").</summary>
    public int MaxExpires { get; init; } = 3600;

    /// <summary>Interval when neither the Contact nor an Expires header gives one (§10.3 step 7: "locally-configured default").</summary>
    public int DefaultExpires { get; init; } = 3600;

    /// <summary>
    /// Secret (at least 16 bytes) that authenticates and encrypts temp-gruus (RFC 5627 §5.4). Null: a random one per
    /// registrar, so temp-gruus resolve only on this node; nodes sharing a location store must share the secret.
    /// </summary>
    public byte[]? GruuSecret { get; init; }

    /// <summary>Retry-After seconds on 503 when the registration table is full.</summary>
    public int RetryAfterSeconds { get; init; } = 60;

    /// <summary>
    /// §10.3 step 4: may <c>username</c> change the bindings of the canonical address-of-record? Null: only
    /// the user whose name is the address's user part ("alice" for sip:alice@example.test).
    /// </summary>
    public Func<string, string, bool>? Authorize { get; init; }

    /// <summary>§10.3 step 5: does this canonical address-of-record exist? Null: every address in a served domain does.</summary>
    public Func<string, bool>? AddressOfRecordExists { get; init; }

    /// <summary>Throws when the options are inconsistent.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Domains);
        if (Domains.Count == 0) throw new ArgumentException("A registrar needs at least one domain.", nameof(Domains));
        foreach (string d in Domains) ArgumentException.ThrowIfNullOrWhiteSpace(d, nameof(Domains));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinExpires, 1, nameof(MinExpires));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExpires, MinExpires, nameof(MaxExpires));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultExpires, MinExpires, nameof(DefaultExpires));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultExpires, MaxExpires, nameof(DefaultExpires));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfterSeconds, 1, nameof(RetryAfterSeconds));
        if (GruuSecret is { Length: < 16 }) throw new ArgumentException("GruuSecret needs at least 16 bytes.", nameof(GruuSecret));
    }
}
