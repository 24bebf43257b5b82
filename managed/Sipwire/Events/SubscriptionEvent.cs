// One outcome of a subscription, as data (status code and reason, never an exception).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Events;

/// <summary>An event of a <see cref="Subscription"/> or a <see cref="NotifierSubscription"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="State">The subscription state afterwards.</param>
/// <param name="StatusCode">The SIP status involved (2xx of SUBSCRIBE, 408 for Timer N, 481, 489 ...), 0 for a NOTIFY.</param>
/// <param name="Reason">Reason phrase, or the Subscription-State reason for a termination ("timeout", "rejected" ...).</param>
/// <param name="ExpiresSeconds">Seconds the subscription has left, -1 when unknown.</param>
/// <param name="RetryAfterSeconds">The retry-after of a termination, -1 when absent.</param>
/// <param name="ContentType">The NOTIFY body's Content-Type, or "".</param>
/// <param name="Body">The NOTIFY body (a copy), empty when none.</param>
public sealed record SubscriptionEvent(SubscriptionEventKind Kind, SubscriptionState State, int StatusCode, string Reason,
    int ExpiresSeconds, int RetryAfterSeconds, string ContentType, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.Span);
}
