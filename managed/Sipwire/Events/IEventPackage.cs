// The contract between the generic notifier and one event package (RFC 6665 §7: what a package defines).
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>
/// An event package served by the notifier of a UA core (presence, ua-profile, ...). The core
/// does the RFC 6665 protocol - dialogs, Expires negotiation, immediate and final NOTIFYs,
/// expiry, 481/489 - and asks the package only who may subscribe and what the state is.
/// </summary>
public interface IEventPackage
{
    /// <summary>The event type in the Event header field ("presence").</summary>
    string Name { get; }

    /// <summary>Shortest subscription accepted; shorter requests get 423 with Min-Expires (RFC 6665 §4.2.1.1).</summary>
    int MinExpires { get; }

    /// <summary>Longest subscription granted; longer requests are shortened in the 200.</summary>
    int MaxExpires { get; }

    /// <summary>Duration when the SUBSCRIBE carries no Expires (RFC 6665 §7.2: each package defines it).</summary>
    int DefaultExpires { get; }

    /// <summary>Decides on a new subscription (authorization, RFC 6665 §5.2).</summary>
    SubscriptionDecision Authorize(NotifierSubscription subscription);

    /// <summary>The body of the next NOTIFY for this subscriber, or null for none (e.g. while pending).</summary>
    EventBody? GetState(NotifierSubscription subscription);
}
