// The presence event package (RFC 3856) for the notifier of a UA core: PIDF state per presentity.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Events;
using Sipwire.UserAgent;

namespace Sipwire.Presence;

/// <summary>
/// Serves Event: presence (RFC 3856 §6) from the UA core's generic notifier: one PIDF document
/// per presentity URI, NOTIFYs to every watcher on <see cref="SetState"/>, authorization by a
/// policy function (RFC 6665 §5.2: a pending watcher gets no state until allowed).
/// </summary>
public sealed class PresencePackage : IEventPackage
{
    private readonly UserAgentCore _core;
    private readonly Dictionary<string, PidfDocument> _states = new(StringComparer.Ordinal);

    /// <summary>Creates the package and registers it with <paramref name="core"/>.</summary>
    public PresencePackage(UserAgentCore core, Func<NotifierSubscription, SubscriptionDecision>? policy = null)
    {
        ArgumentNullException.ThrowIfNull(core);
        _core = core;
        Policy = policy ?? (_ => SubscriptionDecision.Active);
        core.AddEventPackage(this);
    }

    /// <inheritdoc />
    public string Name => "presence";

    /// <inheritdoc />
    public int MinExpires => 60;

    /// <inheritdoc />
    public int MaxExpires => 86400;

    /// <inheritdoc />
    public int DefaultExpires => 3600; // RFC 3856 §6.4: default one hour

    /// <summary>Who may watch whom.</summary>
    public Func<NotifierSubscription, SubscriptionDecision> Policy { get; set; }

    /// <summary>Sets the state of <paramref name="presentity"/> and notifies its watchers.</summary>
    /// <returns>The number of NOTIFYs sent or queued.</returns>
    public int SetState(string presentity, PidfDocument document)
    {
        ArgumentNullException.ThrowIfNull(presentity);
        ArgumentNullException.ThrowIfNull(document);
        _states[presentity] = document;
        return _core.NotifyAll(Name, presentity);
    }

    /// <inheritdoc />
    public SubscriptionDecision Authorize(NotifierSubscription subscription) => Policy(subscription);

    /// <inheritdoc />
    public EventBody? GetState(NotifierSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.State != SubscriptionState.Active) return null;
        // RFC 3863 §4.1.1: a presence document may hold no tuples: nothing is known yet.
        PidfDocument doc = _states.TryGetValue(subscription.Resource, out PidfDocument? d) ? d : new PidfDocument { Entity = subscription.Resource };
        return new EventBody(PidfDocument.ContentType, doc.ToXml());
    }
}
