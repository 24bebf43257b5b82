// SPDX-License-Identifier: MIT
// The object behind sw_subscription *: one subscriber-side subscription of the UA core.

using Sipwire.Events;

namespace Sipwire.Native;

/// <summary>A subscription of an <see cref="EndpointHost"/>.</summary>
internal sealed class NativeSubscription(EndpointHost host, NativeAccount account, Subscription subscription)
{
    /// <summary>The endpoint that owns the subscription.</summary>
    public EndpointHost Host { get; } = host;

    /// <summary>The account it was created from.</summary>
    public NativeAccount Account { get; } = account;

    /// <summary>The UA core's subscription.</summary>
    public Subscription Subscription { get; } = subscription;

    /// <summary>The C handle.</summary>
    public nint Handle { get; set; }
}
