// SPDX-License-Identifier: MIT
// The event codes of sw_call_state_cb, one per call event kind of the UA core.

namespace Sipwire.Native;

/// <summary>What happened to a call (the event argument of sw_call_state_cb).</summary>
[CName("sw_call_event")]
internal enum CallEventCode
{
    /// <summary>Outgoing: the callee is ringing or in progress (180/183).</summary>
    [CName("SW_CALL_RINGING")]
    Ringing = 1,

    /// <summary>The call is up: 2xx and ACK exchanged, media negotiated.</summary>
    [CName("SW_CALL_ESTABLISHED")]
    Established = 2,

    /// <summary>A re-INVITE (ours or the peer's) changed the media: hold or resume.</summary>
    [CName("SW_CALL_MEDIA_UPDATED")]
    MediaUpdated = 3,

    /// <summary>Our re-INVITE was refused (491, 488, ...); the previous media stays.</summary>
    [CName("SW_CALL_UPDATE_FAILED")]
    UpdateFailed = 4,

    /// <summary>The call ended (BYE, CANCEL, final error, timeout); the sw_call handle is stale once the callback returns.</summary>
    [CName("SW_CALL_ENDED")]
    Ended = 5,

    /// <summary>Outgoing: a 3xx redirected the INVITE and the call now tries the next target (RFC 3261 §8.1.3.4); the reason names it.</summary>
    [CName("SW_CALL_REDIRECTED")]
    Redirected = 6,

    /// <summary>A session refresh (RFC 4028) succeeded.</summary>
    [CName("SW_CALL_REFRESHED")]
    Refreshed = 7,
}
