// Settings of a SipB2bua: its own addresses, limits and the routing and SDP hooks.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Auth;

namespace Sipwire.B2bua;

/// <summary>Settings of a <see cref="SipB2bua"/>.</summary>
public sealed record B2buaOptions
{
    /// <summary>The B2BUA's own Contact URI (both legs see only this), e.g. "sip:b2bua@192.0.2.1:5060".</summary>
    public required string ContactUri { get; init; }

    /// <summary>host:port our Via sent-by carries on the callee leg.</summary>
    public required string LocalSentBy { get; init; }

    /// <summary>Domains served: the default route looks their AoRs up in the location service.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Bridged calls alive at most; more get 503 with Retry-After (RFC 3261 §21.5.4).</summary>
    public int MaxCalls { get; init; } = 1000;

    /// <summary>Retry-After seconds of a 503 for the call limit or an unreachable location service.</summary>
    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>
    /// How long the callee may ring before the B2BUA cancels its leg and answers the caller 408
    /// (RFC 3261 §16.6 step 11 Timer C plays this role in a proxy; a B2BUA has none of its own).
    /// </summary>
    public TimeSpan NoAnswerTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Decides the callee leg of an incoming INVITE. Null: the default, which looks the Request-URI's
    /// AoR up in the location service (404 unknown, 480 no live binding, 503 store unreachable).
    /// </summary>
    public Func<B2buaRouteRequest, B2buaRoute>? Route { get; init; }

    /// <summary>
    /// Rewrites an SDP body on its way from leg <see cref="B2buaSide"/> to the other leg (a media relay
    /// puts its own c=/m= here); returns the body to send. Null passes every body through unchanged.
    /// </summary>
    public Func<B2buaCall, B2buaSide, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? RewriteSdp { get; init; }

    /// <summary>
    /// Session interval each leg asks for or accepts (RFC 4028): the callee leg's INVITE carries it with
    /// refresher=uas, the caller's request is honoured down to <see cref="MinSessionExpires"/>. Zero turns
    /// session timers off (the headers are then ignored, §9).
    /// </summary>
    public TimeSpan SessionExpires { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary>The smallest interval accepted (Min-SE, RFC 4028 §5: at least 90 s); smaller ones get 422.</summary>
    public TimeSpan MinSessionExpires { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Caller authentication: new INVITEs from users of <see cref="Domains"/> need digest credentials (401, RFC 3261
    /// §22.2) of the From user (403 otherwise). Null: callers are not authenticated.
    /// </summary>
    public ServerAuthentication? Authentication { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ContactUri);
        ArgumentException.ThrowIfNullOrEmpty(LocalSentBy);
        if (ContactUri.AsSpan().IndexOfAny('\r', '\n', '>') >= 0) throw new ArgumentException("ContactUri holds CR, LF or '>'.", nameof(ContactUri));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCalls, 1, nameof(MaxCalls));
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAfterSeconds, nameof(RetryAfterSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NoAnswerTimeout, TimeSpan.Zero, nameof(NoAnswerTimeout));
        // RFC 4028 §5: Min-SE is never below 90 s; the interval is never below Min-SE.
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSessionExpires, TimeSpan.FromSeconds(90), nameof(MinSessionExpires));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinSessionExpires, TimeSpan.FromSeconds(86400), nameof(MinSessionExpires));
        if (SessionExpires != TimeSpan.Zero && (SessionExpires < MinSessionExpires || SessionExpires > TimeSpan.FromSeconds(86400)))
            throw new ArgumentOutOfRangeException(nameof(SessionExpires), "SessionExpires is zero (off) or between MinSessionExpires and 86400 s.");
    }
}
