// What happened to a bridged call.
// SPDX-License-Identifier: MIT

namespace Sipwire.B2bua;

/// <summary>The kinds of <see cref="B2buaEvent"/>.</summary>
public enum B2buaEventKind
{
    /// <summary>An INVITE was routed and the callee leg's INVITE sent.</summary>
    Routing = 0,
    /// <summary>An INVITE was rejected before a callee leg existed (routing, limits, bad request).</summary>
    Rejected = 1,
    /// <summary>A provisional response was relayed to the caller.</summary>
    Ringing = 2,
    /// <summary>The callee answered; both dialogs are confirmed.</summary>
    Established = 3,
    /// <summary>A re-INVITE or UPDATE was relayed and answered (status in the event).</summary>
    Modified = 4,
    /// <summary>The call ended (BYE, CANCEL, a final failure, a timeout).</summary>
    Ended = 5,
}
