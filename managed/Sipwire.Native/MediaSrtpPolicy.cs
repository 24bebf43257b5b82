// SPDX-License-Identifier: MIT
// The SRTP policies of sw_media_config.srtp.

namespace Sipwire.Native;

/// <summary>How calls treat SRTP (RFC 3711 with SDES keys, RFC 4568).</summary>
[CName("sw_srtp_policy")]
internal enum MediaSrtpPolicy
{
    /// <summary>Offer RTP/AVP; refuse RTP/SAVP offers.</summary>
    [CName("SW_SRTP_OFF")]
    Off = 0,

    /// <summary>Offer RTP/SAVP with SDES keys; refuse plain RTP (no downgrade).</summary>
    [CName("SW_SRTP_REQUIRED")]
    Required = 1,

    /// <summary>Offer RTP/AVP; accept an RTP/SAVP offer with a supported suite.</summary>
    [CName("SW_SRTP_ACCEPTED")]
    Accepted = 2,
}
