// An event package's answer to a new subscription (RFC 6665 §4.2.1.1, §5.2).
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>How a notifier treats a SUBSCRIBE it understood.</summary>
public enum SubscriptionDecision
{
    /// <summary>Authorized: 200 and NOTIFY with "active".</summary>
    Active = 0,

    /// <summary>Authorization pending: 200 and NOTIFY with "pending" until <see cref="NotifierSubscription.Activate"/>.</summary>
    Pending = 1,

    /// <summary>Refused: 403 Forbidden, no dialog.</summary>
    Forbidden = 2,
}
