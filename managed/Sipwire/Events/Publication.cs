// The event publication agent side of one published state (RFC 3903 §4): initial, refresh, modify, remove.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transactions;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>
/// State published with <see cref="UserAgentCore.Publish"/>. The core refreshes it with
/// SIP-If-Match before it expires, publishes again from scratch on 412 (RFC 3903 §6) and keeps one
/// PUBLISH in flight at a time (a newer body waits for the answer). Outcomes arrive as
/// <see cref="PublicationEvent"/>s.
/// </summary>
public sealed class Publication
{
    private readonly UserAgentCore _core;

    internal Publication(UserAgentCore core, PublicationOptions options, EventBody body, string callId, string fromTag, ClientAuthenticator auth)
    {
        _core = core;
        Options = options;
        Body = body;
        _callId = callId;
        _fromTag = fromTag;
        Auth = auth;
    }

    /// <summary>Raised for every outcome, on the endpoint's thread.</summary>
    public event Action<PublicationEvent>? Changed;

    /// <summary>The options.</summary>
    public PublicationOptions Options { get; }

    /// <summary>The state being published.</summary>
    public EventBody Body { get; internal set; }

    /// <summary>The entity-tag of the published state, or null before the first 2xx or after removal.</summary>
    public string? ETag { get; internal set; }

    /// <summary>True while the state is published.</summary>
    public bool IsPublished => ETag is not null;

    /// <summary>True once removed or failed for good.</summary>
    public bool IsClosed { get; internal set; }

    internal ClientAuthenticator Auth { get; }

    internal readonly string _callId;
    internal readonly string _fromTag;
    internal uint _cseq;
    internal Transaction? _pending;
    internal int _pendingGeneration;
    internal PublishKind _pendingKind;
    internal int _pendingExpires;
    internal bool _bodyDirty;
    internal bool _removeRequested;
    internal bool _retriedAfter412;
    internal long _refreshAt = long.MaxValue;

    /// <summary>Publishes a new state (SIP-If-Match with the body, RFC 3903 §4.4).</summary>
    /// <returns>False once removed.</returns>
    public bool Modify(EventBody body) => _core.ModifyPublication(this, body);

    /// <summary>Removes the published state (SIP-If-Match, Expires: 0, RFC 3903 §4.5).</summary>
    /// <returns>False once removed.</returns>
    public bool Remove() => _core.RemovePublication(this);

    internal void Raise(PublicationEvent e) => Changed?.Invoke(e);

    internal enum PublishKind
    {
        Initial,
        Refresh,
        Modify,
        Remove,
    }
}
