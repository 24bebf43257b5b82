// What the presence agent does with a watcher that is not on the presentity's authorization list.
// SPDX-License-Identifier: MIT

namespace Sipwire.Presence;

/// <summary>Treatment of watchers not on a presentity's authorization list (RFC 3856 §6.6, RFC 6665 §4.2.1.1).</summary>
public enum UnknownWatcherPolicy
{
    /// <summary>200 and a NOTIFY "pending" without state, until <see cref="PresenceAgent.AllowWatcher"/> (RFC 6665 §4.2.1.1).</summary>
    Pending = 0,

    /// <summary>403 Forbidden, no subscription (RFC 3856 §6.6: the presentity's policy refuses).</summary>
    Reject = 1,
}
