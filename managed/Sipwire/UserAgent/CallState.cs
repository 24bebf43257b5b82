// The life cycle of a call.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>Where a <see cref="SipCall"/> stands.</summary>
public enum CallState
{
    /// <summary>Outgoing: INVITE sent, no provisional response with a tag yet.</summary>
    Calling = 0,
    /// <summary>Outgoing: the callee rings (1xx received).</summary>
    Ringing = 1,
    /// <summary>Incoming: ringing here, waiting for <see cref="SipCall.Answer"/> or <see cref="SipCall.Reject"/>.</summary>
    Incoming = 2,
    /// <summary>Incoming: 200 sent, waiting for the ACK.</summary>
    Answered = 3,
    /// <summary>Outgoing: CANCEL requested, waiting for the INVITE's final response.</summary>
    Cancelling = 4,
    /// <summary>Established.</summary>
    Active = 5,
    /// <summary>Ended.</summary>
    Terminated = 6,
}
