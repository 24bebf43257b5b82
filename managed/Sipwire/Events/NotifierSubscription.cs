// The notifier side of one subscription dialog usage (RFC 6665 §4.2).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dialogs;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>
/// A subscription to one of our event packages. The core answers SUBSCRIBE, sends the immediate
/// NOTIFY, ends it at expiry with reason=timeout; the package or application calls
/// <see cref="Notify"/> when the state changes, <see cref="Activate"/> when a pending one is
/// authorized and <see cref="Terminate"/> to end it.
/// </summary>
public sealed class NotifierSubscription
{
    private readonly UserAgentCore _core;

    internal NotifierSubscription(UserAgentCore core, IEventPackage package, EventHeaderValue ev, string resource, string subscriber, string accept)
    {
        _core = core;
        Package = package;
        Event = ev;
        Resource = resource;
        Subscriber = subscriber;
        Accept = accept;
    }

    /// <summary>Raised when it ends (Terminated event with the reason).</summary>
    public event Action<SubscriptionEvent>? Changed;

    /// <summary>The package serving it.</summary>
    public IEventPackage Package { get; }

    /// <summary>The Event header field value of the SUBSCRIBE.</summary>
    public EventHeaderValue Event { get; }

    /// <summary>The resource subscribed to: the Request-URI of the SUBSCRIBE.</summary>
    public string Resource { get; }

    /// <summary>The subscriber: the From URI of the SUBSCRIBE.</summary>
    public string Subscriber { get; }

    /// <summary>The Accept header field value of the SUBSCRIBE ("" when absent).</summary>
    public string Accept { get; }

    /// <summary>Pending, Active or Terminated.</summary>
    public SubscriptionState State { get; internal set; }

    /// <summary>The dialog.</summary>
    public Dialog? Dialog { get; internal set; }

    /// <summary>When it expires (clock microseconds).</summary>
    public long ExpiresAt { get; internal set; }

    /// <summary>Free slot for the package or application.</summary>
    public object? UserData { get; set; }

    internal Transaction? _notifyInFlight;
    internal int _notifyGeneration;
    internal bool _notifyQueued;
    internal string? _terminateReason;
    internal int _terminateRetryAfter = -1;
    internal bool _finalSent;

    /// <summary>Sends a NOTIFY with the current state from <see cref="IEventPackage.GetState"/> (RFC 6665 §4.2.2).</summary>
    /// <returns>False when it is over.</returns>
    public bool Notify() => _core.SendNotify(this);

    /// <summary>Authorizes a pending subscription and notifies the state (RFC 6665 §4.2.1.1).</summary>
    public bool Activate()
    {
        if (State != SubscriptionState.Pending) return false;
        State = SubscriptionState.Active;
        return Notify();
    }

    /// <summary>Ends it with a final NOTIFY "terminated;reason=..." (RFC 6665 §4.2.2, reasons in §4.1.3).</summary>
    public bool Terminate(string reason = "deactivated", int retryAfterSeconds = -1) => _core.TerminateNotifier(this, reason, retryAfterSeconds);

    internal void Raise(SubscriptionEvent e) => Changed?.Invoke(e);

    /// <inheritdoc />
    public override string ToString() => $"{Event.Package} {Resource} <- {Subscriber} {State}";
}
