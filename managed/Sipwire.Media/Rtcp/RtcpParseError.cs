// Why an RTCP compound packet was rejected.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtcp;

/// <summary>The reason an RTCP compound packet failed the RFC 3550 Appendix A.2 validity checks.</summary>
public enum RtcpParseError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Shorter than a header, or a length field runs past the datagram.</summary>
    Truncated = 1,

    /// <summary>A version field is not 2.</summary>
    BadVersion = 2,

    /// <summary>The first packet is not an SR or RR (A.2), or it has the padding bit set.</summary>
    BadFirstPacket = 3,

    /// <summary>Padding on a packet other than the last, or a bad padding count.</summary>
    BadPadding = 4,

    /// <summary>A packet body is inconsistent with its count field.</summary>
    BadBody = 5,
}
