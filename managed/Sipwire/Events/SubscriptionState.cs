// States of a subscription (RFC 6665 §4.1.2, §4.2.1, Subscription-State substates §8.2.3).
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>Where a subscription stands.</summary>
public enum SubscriptionState
{
    /// <summary>SUBSCRIBE sent, no NOTIFY yet.</summary>
    Subscribing = 0,

    /// <summary>The notifier has not yet authorized it ("pending").</summary>
    Pending = 1,

    /// <summary>Authorized; NOTIFYs carry state ("active").</summary>
    Active = 2,

    /// <summary>Over ("terminated"), with a reason.</summary>
    Terminated = 3,
}
