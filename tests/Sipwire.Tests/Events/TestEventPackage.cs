// A small event package for the notifier tests: a text state per resource and a scripted decision.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.Text;
using Sipwire.Events;

namespace Sipwire.Tests.Events;

internal sealed class TestEventPackage : IEventPackage
{
    public TestEventPackage(string name = "x-test", int min = 60, int max = 3600, int def = 600)
    {
        Name = name;
        MinExpires = min;
        MaxExpires = max;
        DefaultExpires = def;
    }

    public string Name { get; }

    public int MinExpires { get; }

    public int MaxExpires { get; }

    public int DefaultExpires { get; }

    public SubscriptionDecision Decision { get; set; } = SubscriptionDecision.Active;

    public Dictionary<string, string> State { get; } = [];

    public List<NotifierSubscription> Authorized { get; } = [];

    public SubscriptionDecision Authorize(NotifierSubscription subscription)
    {
        Authorized.Add(subscription);
        return Decision;
    }

    public EventBody? GetState(NotifierSubscription subscription)
    {
        // RFC 6665 §4.2.1.2: a pending subscription gets no state.
        if (subscription.State != SubscriptionState.Active) return null;
        string text = State.TryGetValue(subscription.Resource, out string? s) ? s : "none";
        return new EventBody("text/plain", Encoding.UTF8.GetBytes(text));
    }
}
