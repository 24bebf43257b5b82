// SPDX-License-Identifier: MIT
// The event codes of sw_subscription_cb (RFC 6665 subscriber side).

namespace Sipwire.Native;

/// <summary>What happened to a subscription (the event argument of sw_subscription_cb).</summary>
[CName("sw_subscription_event")]
internal enum SubscriptionEventCode
{
    /// <summary>The SUBSCRIBE was accepted (2xx); expires holds the granted seconds.</summary>
    [CName("SW_SUB_ACCEPTED")]
    Accepted = 1,

    /// <summary>A NOTIFY arrived; body and content_type hold the state (e.g. PIDF for presence).</summary>
    [CName("SW_SUB_NOTIFIED")]
    Notified = 2,

    /// <summary>A refresh failed; the subscription lasts until it expires.</summary>
    [CName("SW_SUB_REFRESH_FAILED")]
    RefreshFailed = 3,

    /// <summary>The subscription ended (refused, expired, terminated by the notifier or by sw_subscription_stop()); the handle is stale once the callback returns.</summary>
    [CName("SW_SUB_TERMINATED")]
    Terminated = 4,
}
