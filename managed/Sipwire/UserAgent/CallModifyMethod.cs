// The request a call uses to change its session or refresh it (RFC 3261 §14, RFC 3311).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>How <see cref="SipCall.Hold"/>, <see cref="SipCall.Resume"/> and session refreshes reach the peer.</summary>
public enum CallModifyMethod
{
    /// <summary>A re-INVITE (RFC 3261 §14): only in a confirmed dialog.</summary>
    ReInvite = 0,
    /// <summary>An UPDATE (RFC 3311): in early and confirmed dialogs, when the peer's Allow lists UPDATE.</summary>
    Update = 1,
}
