// Outcome of an SRTP/SRTCP protect or unprotect operation.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Srtp;

/// <summary>The outcome of <see cref="SrtpContext"/> operations. Rejections are data, not exceptions.</summary>
public enum SrtpStatus
{
    /// <summary>The packet was protected or unprotected.</summary>
    Ok = 0,

    /// <summary>The authentication tag did not verify (wrong key, or a modified packet). Counted; never play it.</summary>
    AuthenticationFailed = 1,

    /// <summary>The packet index was already received (or already protected: keystream reuse refused).</summary>
    ReplayDuplicate = 2,

    /// <summary>The packet index is older than the 64-packet replay window (RFC 3711 §3.3.2).</summary>
    ReplayTooOld = 3,

    /// <summary>The packet is too short or its RTP/RTCP header is invalid.</summary>
    Malformed = 4,

    /// <summary>The buffer has no room for the trailer (MKI and tag).</summary>
    BufferTooSmall = 5,

    /// <summary>The context already tracks its maximum number of SSRCs.</summary>
    TooManyStreams = 6,

    /// <summary>The master key reached its lifetime or the packet index space is exhausted: rekey (RFC 3711 §9.2).</summary>
    KeyExpired = 7,

    /// <summary>The packet carries an MKI this context does not know.</summary>
    UnknownMki = 8,
}
