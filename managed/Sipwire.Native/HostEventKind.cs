// SPDX-License-Identifier: MIT
// The kinds of events an endpoint queues for delivery inside sw_endpoint_poll.

namespace Sipwire.Native;

/// <summary>Which callback a <see cref="HostEvent"/> goes to.</summary>
internal enum HostEventKind
{
    Registration,
    IncomingCall,
    CallState,
    Log,
    MessageReceived,
    MessageResult,
    Transfer,
    Subscription,
    Media,
}
