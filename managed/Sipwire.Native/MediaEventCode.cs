// SPDX-License-Identifier: MIT
// The event codes of sw_call_media_cb.

namespace Sipwire.Native;

/// <summary>What happened to a call's media (the event argument of sw_call_media_cb).</summary>
[CName("sw_media_event")]
internal enum MediaEventCode
{
    /// <summary>RTP runs: on the answer, or on 183 early media (RFC 3960); codec names the send codec.</summary>
    [CName("SW_MEDIA_STARTED")]
    Started = 0,

    /// <summary>A re-INVITE or UPDATE changed codec, address or direction (hold/resume).</summary>
    [CName("SW_MEDIA_UPDATED")]
    Updated = 1,

    /// <summary>The media could not start or update (RTP port in use, codec not in this build, bad SRTP keys); the call goes on, text says why.</summary>
    [CName("SW_MEDIA_FAILED")]
    Failed = 2,

    /// <summary>The media stopped (call ended; RTCP BYE sent). Reads and writes give SW_E_INVALID_STATE from now on.</summary>
    [CName("SW_MEDIA_STOPPED")]
    Stopped = 3,

    /// <summary>An RFC 4733 DTMF digit ended; value is the digit in ASCII ('0'-'9', '*', '#', 'A'-'D').</summary>
    [CName("SW_MEDIA_DTMF")]
    Dtmf = 4,
}
