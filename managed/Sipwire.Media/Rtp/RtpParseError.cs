// Why an RTP packet was rejected by RtpHeader.TryParse.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtp;

/// <summary>The reason an RTP packet failed the RFC 3550 §5.1 / Appendix A.1 header checks.</summary>
public enum RtpParseError
{
    /// <summary>The packet is well formed.</summary>
    None = 0,

    /// <summary>Shorter than the 12-byte fixed header, or than its CSRC list / extension.</summary>
    Truncated = 1,

    /// <summary>The version field is not 2.</summary>
    BadVersion = 2,

    /// <summary>The padding count is zero or larger than the payload.</summary>
    BadPadding = 3,

    /// <summary>The header extension length runs past the packet.</summary>
    BadExtension = 4,

    /// <summary>The payload type is 72-76 (SR/RR/SDES/BYE/APP when the marker is set: an RTCP packet on the RTP port, RFC 5761 §4).</summary>
    RtcpPayloadType = 5,
}
