// What happened to a call.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The kinds of <see cref="CallEvent"/>.</summary>
public enum CallEventKind
{
    /// <summary>A new incoming INVITE; the call is ringing here (180 sent). Answer or reject it.</summary>
    Incoming = 0,
    /// <summary>The callee is ringing or in progress (180/183; <see cref="CallEvent.Audio"/> set for early media).</summary>
    Ringing = 1,
    /// <summary>The call is up: 2xx/ACK exchanged, media negotiated.</summary>
    Established = 2,
    /// <summary>A re-INVITE (ours or the peer's) changed the media (hold, resume).</summary>
    MediaUpdated = 3,
    /// <summary>Our re-INVITE was refused (491, 488, ...); the previous media stays.</summary>
    UpdateFailed = 4,
    /// <summary>The call ended: by BYE, CANCEL, a final error response, a timeout or bad SDP.</summary>
    Ended = 5,
    /// <summary>A 3xx redirected our INVITE and the call now tries the next target (RFC 3261 §8.1.3.4); the reason names it.</summary>
    Redirected = 6,
    /// <summary>A session refresh (RFC 4028) succeeded; <see cref="SipCall.SessionExpires"/> holds the interval.</summary>
    Refreshed = 7,
}
