// SPDX-License-Identifier: MIT
// EndpointHost: MESSAGE (RFC 3428), call transfer (RFC 3515/3891/5589) and subscriptions (RFC 6665) for the C ABI.

using System;
using System.Collections.Generic;
using Sipwire.Events;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Native;

internal sealed partial class EndpointHost
{
    private const int MaxSubscriptionsPerProcess = 1024;

    /// <summary>Every live sw_subscription handle of the process.</summary>
    public static HandleTable<NativeSubscription> SubscriptionHandles { get; } = new(MaxSubscriptionsPerProcess);

    private readonly Dictionary<SipCall, NativeCall> _bySipCall = new(ReferenceEqualityComparer.Instance);
    private readonly List<NativeSubscription> _subscriptions = [];
    private readonly Dictionary<int, NativeAccount> _messageAccounts = [];

    // Wires the UA core's MESSAGE events once the core exists.
    private void HookFeatures(UserAgentCore ua)
    {
        ua.MessageReceived += m =>
        {
            Log(LogLevel.Info, $"MESSAGE from {m.FromUri} ({m.ContentType}, {m.Body.Length} bytes)");
            Queue(new HostEvent(HostEventKind.MessageReceived, _accounts[0], null, 0, 0, m.FromUri, 0) { Text2 = m.ContentType, Body = m.Body });
        };
        ua.MessageCompleted += e =>
        {
            _messageAccounts.Remove(e.MessageId, out NativeAccount? from);
            Log(e.Kind == MessageEventKind.Delivered ? LogLevel.Info : LogLevel.Warning, $"MESSAGE {e.MessageId}: {e.Kind} {e.StatusCode} {e.Reason}");
            if (from is not null)
            {
                Queue(new HostEvent(HostEventKind.MessageResult, from, null, e.MessageId, e.StatusCode, e.Reason, 0));
            }
        };
    }

    /// <summary>Sends a MESSAGE (RFC 3428) to the outbound proxy, the target's IP host or the registrar; returns its id.</summary>
    public int SendMessage(NativeAccount account, string target, string contentType, ReadOnlySpan<byte> body)
    {
        int id = _ua!.SendMessage(target, Route(account, target), contentType, body, account.Credentials);
        _messageAccounts[id] = account;
        return id;
    }

    /// <summary>Starts a subscription (RFC 6665 §4.1) from <paramref name="account"/>.</summary>
    public NativeSubscription Subscribe(NativeAccount account, string eventPackage, string target, IReadOnlyList<string> accept, int expires)
    {
        Subscription s = _ua!.Subscribe(new SubscriptionOptions
        {
            TargetUri = target,
            Destination = Route(account, target),
            Event = eventPackage,
            Expires = expires,
            Accept = accept,
            Credentials = account.Credentials,
        });
        var sub = new NativeSubscription(this, account, s);
        sub.Handle = SubscriptionHandles.Add(sub);
        _subscriptions.Add(sub);
        s.Changed += e =>
        {
            Log(e.Kind == SubscriptionEventKind.Terminated ? LogLevel.Info : LogLevel.Debug, $"subscription {eventPackage} {target}: {e.Kind} {e.State} {e.StatusCode} {e.Reason}");
            Queue(new HostEvent(HostEventKind.Subscription, account, null, (int)e.Kind, e.StatusCode, e.Reason, e.ExpiresSeconds)
            {
                Subscription = sub,
                Text2 = e.ContentType ?? "",
                Body = e.Body,
            });
        };
        if (s.State == SubscriptionState.Terminated)
        {
            Queue(new HostEvent(HostEventKind.Subscription, account, null, (int)SubscriptionEventKind.Terminated, 503, "SUBSCRIBE could not be sent", 0) { Subscription = sub });
        }
        return sub;
    }

    // RFC 3261 §8.1.2: the outbound proxy when configured, else the target's own IP host, else the registrar.
    private static PeerAddress Route(NativeAccount account, string target) =>
        !account.HasOutboundProxy && SipUriTarget.TryResolveLiteral(target, out PeerAddress direct) ? direct : account.Outbound;

    private void HookTransfer(NativeAccount account, NativeCall call)
    {
        call.Call.TransferChanged += e =>
        {
            NativeCall? other = null;
            if (e.NewCall is { } n && !_bySipCall.TryGetValue(n, out other))
            {
                other = Track(account, n);
            }
            Log(LogLevel.Info, $"call {call.Call.CallId}: {e}");
            Queue(new HostEvent(HostEventKind.Transfer, account, call, (int)e.Kind, e.StatusCode, e.Reason, 0) { OtherCall = other });
        };
    }

    private void ReleaseSubscription(NativeSubscription sub)
    {
        SubscriptionHandles.Remove(sub.Handle);
        _subscriptions.Remove(sub);
    }

    private void ReleaseFeatures()
    {
        foreach (NativeSubscription s in _subscriptions) SubscriptionHandles.Remove(s.Handle);
        _subscriptions.Clear();
        _bySipCall.Clear();
    }

    private unsafe void DeliverFeature(in HostEvent e)
    {
        switch (e.Kind)
        {
            case HostEventKind.MessageReceived:
                if (_callbacks.on_message_received != null && e.Account is { } to)
                {
                    byte[] from = Utf8Copy(e.Text);
                    fixed (byte* f = from)
                    fixed (byte* type = Utf8(e.Text2))
                    fixed (byte* body = e.Body.Span)
                    {
                        _callbacks.on_message_received((AccountHandle*)to.Handle, f, type, body, e.Body.Length, _callbacks.user_data);
                    }
                }
                break;
            case HostEventKind.MessageResult:
                if (_callbacks.on_message_result != null && e.Account is { } a)
                {
                    fixed (byte* reason = Utf8(e.Text)) _callbacks.on_message_result((AccountHandle*)a.Handle, e.Code, e.StatusCode, reason, _callbacks.user_data);
                }
                break;
            case HostEventKind.Transfer:
                if (_callbacks.on_transfer != null && e.Call is { } call)
                {
                    fixed (byte* reason = Utf8(e.Text))
                    {
                        _callbacks.on_transfer((CallHandle*)call.Handle, e.Code, e.StatusCode, reason,
                            e.OtherCall is { } other ? (CallHandle*)other.Handle : null, _callbacks.user_data);
                    }
                }
                break;
            case HostEventKind.Media:
                DeliverMedia(e);
                break;
            case HostEventKind.Subscription:
                if (e.Subscription is { } sub)
                {
                    if (_callbacks.on_subscription != null)
                    {
                        byte[] reasonText = Utf8Copy(e.Text);
                        fixed (byte* reason = reasonText)
                        fixed (byte* type = Utf8(e.Text2))
                        fixed (byte* body = e.Body.Span)
                        {
                            _callbacks.on_subscription((SubscriptionHandle*)sub.Handle, e.Code, e.StatusCode, reason, e.Expires, type,
                                e.Body.IsEmpty ? null : body, e.Body.Length, _callbacks.user_data);
                        }
                    }
                    if (e.Code == (int)SubscriptionEventKind.Terminated) ReleaseSubscription(sub);
                }
                break;
        }
    }

    // A second NUL-terminated string for callbacks that pass two (the reused buffer holds the other).
    private static byte[] Utf8Copy(string text)
    {
        byte[] b = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, b);
        return b;
    }
}
