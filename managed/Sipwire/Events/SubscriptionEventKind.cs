// What happened to a subscription (subscriber or notifier side).
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>Kinds of <see cref="SubscriptionEvent"/>.</summary>
public enum SubscriptionEventKind
{
    /// <summary>A 2xx to our SUBSCRIBE (initial or refresh), with the granted Expires.</summary>
    Accepted = 1,

    /// <summary>A NOTIFY arrived (state, expires and body in the event).</summary>
    Notified = 2,

    /// <summary>A refresh failed with a status that leaves the subscription running until it expires.</summary>
    RefreshFailed = 3,

    /// <summary>The subscription is over: the reason (and a retry-after) is in the event.</summary>
    Terminated = 4,
}
