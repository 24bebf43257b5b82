// SPDX-License-Identifier: MIT
// C ABI exports for subscriptions (RFC 6665 subscriber): presence, ua-profile and any other event package.

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class SubscriptionExports
{
    /// <summary>
    /// Subscribes from an account to an event package of a resource (RFC 6665 §4.1): e.g. "presence"
    /// with accept "application/pidf+xml" (RFC 3856), or "ua-profile" (RFC 6080) for provisioning.
    /// Refreshes before expiry; every NOTIFY body arrives at on_subscription.
    /// </summary>
    /// <param name="account">The subscribing account.</param>
    /// <param name="event_package">The Event header value, e.g. "presence", "ua-profile;profile-type=device".</param>
    /// <param name="target">The resource's SIP URI.</param>
    /// <param name="accept">Comma-separated media types for Accept, or NULL for the package default.</param>
    /// <param name="expires">Requested duration in seconds (default 3600 when 0).</param>
    /// <param name="out_subscription">Receives the subscription; NULL on failure.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale account, NULL strings, a malformed URI, event or media type,
    /// or a negative expires; SW_E_LIMIT with 1024 subscriptions alive.</returns>
    /// <ownership>The handle is valid until its SW_SUB_TERMINATED callback returns. Strings are copied.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_subscription_create")]
    public static Status Create(AccountHandle* account, [CType("const char *")] byte* event_package, [CType("const char *")] byte* target,
        [CType("const char *")] byte* accept, int expires, SubscriptionHandle** out_subscription)
    {
        try
        {
            if (out_subscription == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_subscription is NULL");
            }
            *out_subscription = null;
            NativeAccount? from = EndpointHost.AccountHandles.Get((nint)account);
            if (from is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            from.Host.Enter();
            string ev = AbiStrings.Read(event_package, "event_package") ?? throw new ArgumentException("event_package is NULL");
            string uri = AbiStrings.Read(target, "target") ?? throw new ArgumentException("target is NULL");
            string? types = AbiStrings.Read(accept, "accept");
            if (expires < 0)
            {
                throw new ArgumentException($"expires must not be negative, not {expires}");
            }
            var list = new List<string>();
            if (types is not null)
            {
                foreach (string t in types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    list.Add(t);
                }
            }
            NativeSubscription sub = from.Host.Subscribe(from, ev, uri, list, expires == 0 ? 3600 : expires);
            *out_subscription = (SubscriptionHandle*)sub.Handle;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Ends a subscription: SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); SW_SUB_TERMINATED follows, then the handle is stale.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale subscription; SW_E_INVALID_STATE when it is already ending.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_subscription_stop")]
    public static Status Stop(SubscriptionHandle* subscription)
    {
        try
        {
            NativeSubscription? s = EndpointHost.SubscriptionHandles.Get((nint)subscription);
            if (s is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "subscription is NULL or stale");
            }
            s.Host.Enter();
            return s.Subscription.Unsubscribe() ? Status.Ok
                : AbiStatus.Fail(Status.InvalidState, $"the subscription is {s.Subscription.State}{(s.Subscription.IsUnsubscribing ? " and already ending" : "")}");
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }
}
