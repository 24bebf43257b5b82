// SPDX-License-Identifier: MIT
// One queued event of an endpoint, delivered to the firmware's callback table inside sw_endpoint_poll.

namespace Sipwire.Native;

/// <summary>
/// An event waiting for the next sw_endpoint_poll(). Plain data (kind + fields): the UA core raises
/// events during API calls too, but the C side sees them only from inside poll (DESIGN.md).
/// </summary>
internal readonly record struct HostEvent(
    HostEventKind Kind,
    NativeAccount? Account,
    NativeCall? Call,
    int Code,
    int StatusCode,
    string Text,
    int Expires)
{
    /// <summary>Transfer: the new call; else null.</summary>
    public NativeCall? OtherCall { get; init; }

    /// <summary>Subscription events: the subscription.</summary>
    public NativeSubscription? Subscription { get; init; }

    /// <summary>MESSAGE and NOTIFY: the content type; MESSAGE: the sender.</summary>
    public string Text2 { get; init; } = "";

    /// <summary>MESSAGE and NOTIFY: the body.</summary>
    public System.ReadOnlyMemory<byte> Body { get; init; }
}
