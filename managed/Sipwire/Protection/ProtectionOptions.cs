// Settings of the RequestGuard every server role puts in front of its transaction layer.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Protection;

/// <summary>Settings of a <see cref="RequestGuard"/>.</summary>
public sealed record ProtectionOptions
{
    /// <summary>Requests per second each source IP address may send on average; 0 turns the limit off.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>Requests a source may send at once above the average (the bucket size); 0 means twice the rate, at least 1.</summary>
    public int Burst { get; init; }

    /// <summary>Source addresses tracked at most (a bounded table; beyond it new sources share one bucket).</summary>
    public int MaxSources { get; init; } = 4096;

    /// <summary>Retry-After seconds of the 503 a limited source gets (RFC 3261 §21.5.4, §20.33).</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>
    /// Serve only TLS: a request over UDP is dropped without answer (an unauthenticated datagram source could
    /// be spoofed, so nothing is reflected to it); a request over TCP gets 403 "TLS Required" (the handshake
    /// proved the source); ACKs and responses over UDP/TCP are dropped.
    /// </summary>
    public bool TlsOnly { get; init; }

    internal int EffectiveBurst => Burst > 0 ? Burst : Math.Max(1, (int)Math.Ceiling(2 * RatePerSecond));

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (double.IsNaN(RatePerSecond) || RatePerSecond < 0) throw new ArgumentOutOfRangeException(nameof(RatePerSecond), "The rate must be 0 (off) or positive.");
        ArgumentOutOfRangeException.ThrowIfNegative(Burst, nameof(Burst));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSources, 1, nameof(MaxSources));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfterSeconds, 1, nameof(RetryAfterSeconds));
    }
}
