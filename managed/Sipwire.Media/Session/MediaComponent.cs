// The two transport flows of an RTP session: RTP and RTCP (component 1 and 2, as RFC 8445 numbers them).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Session;

/// <summary>Which socket of the pair a datagram uses.</summary>
public enum MediaComponent
{
    /// <summary>RTP, on the even port (RFC 3550 §11).</summary>
    Rtp = 1,

    /// <summary>RTCP, on the next higher (odd) port unless a=rtcp says otherwise (RFC 3550 §11, RFC 3605).</summary>
    Rtcp = 2,
}
