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
    int Expires);
