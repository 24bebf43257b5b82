// The media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>a=sendrecv / sendonly / recvonly / inactive.</summary>
public enum SdpDirection
{
    /// <summary>a=sendrecv (the default when none is given).</summary>
    SendRecv = 0,
    /// <summary>a=sendonly.</summary>
    SendOnly = 1,
    /// <summary>a=recvonly.</summary>
    RecvOnly = 2,
    /// <summary>a=inactive.</summary>
    Inactive = 3,
}
