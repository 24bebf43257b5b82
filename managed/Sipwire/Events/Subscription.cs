// The subscriber side of one subscription dialog usage (RFC 6665 §4.1).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dialogs;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>
/// A subscription made with <see cref="UserAgentCore.Subscribe"/>, or one more made by a fork of
/// its SUBSCRIBE (RFC 6665 §4.5.2, announced by <see cref="UserAgentCore.SubscriptionForked"/>).
/// The core refreshes it before it expires; every outcome arrives as a <see cref="SubscriptionEvent"/>.
/// </summary>
public sealed class Subscription
{
    private readonly UserAgentCore _core;

    internal Subscription(UserAgentCore core, SubscriptionOptions options, EventHeaderValue ev, ClientAuthenticator auth)
    {
        _core = core;
        Options = options;
        Event = ev;
        Auth = auth;
    }

    /// <summary>Raised for every event, on the endpoint's thread.</summary>
    public event Action<SubscriptionEvent>? Changed;

    /// <summary>The options it was made with.</summary>
    public SubscriptionOptions Options { get; }

    /// <summary>The Event header field value it carries.</summary>
    public EventHeaderValue Event { get; }

    /// <summary>The current state.</summary>
    public SubscriptionState State { get; internal set; }

    /// <summary>The dialog, once a 2xx or a NOTIFY created it.</summary>
    public Dialog? Dialog { get; internal set; }

    /// <summary>The Call-ID of its SUBSCRIBE.</summary>
    public string CallId { get; internal set; } = "";

    /// <summary>When it expires (clock microseconds), <see cref="long.MaxValue"/> while unknown.</summary>
    public long ExpiresAt { get; internal set; } = long.MaxValue;

    /// <summary>The last NOTIFY body (empty before the first).</summary>
    public EventBody? LastBody { get; internal set; }

    /// <summary>True after <see cref="Unsubscribe"/>.</summary>
    public bool IsUnsubscribing { get; internal set; }

    internal ClientAuthenticator Auth { get; }

    internal string _localTag = "";
    internal uint _cseq;
    internal Transaction? _pending;
    internal int _pendingGeneration;
    internal int _pendingExpires;
    internal bool _pendingInDialog;
    internal bool _gotNotify;
    internal long _refreshAt = long.MaxValue;
    internal long _timerNAt = long.MaxValue;
    internal long _retryAt = long.MaxValue;
    internal long _startedAt;
    internal int _quickEnds;

    internal long NextDeadline => Math.Min(Math.Min(_refreshAt, _timerNAt), Math.Min(_retryAt, ExpiresAt));

    /// <summary>Ends it: SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); the final NOTIFY ends it with a Terminated event.</summary>
    /// <returns>False when it is already over.</returns>
    public bool Unsubscribe() => _core.Unsubscribe(this);

    internal void Raise(SubscriptionEvent e) => Changed?.Invoke(e);

    /// <inheritdoc />
    public override string ToString() => $"{Event.Package} {Options.TargetUri} {State}";
}
