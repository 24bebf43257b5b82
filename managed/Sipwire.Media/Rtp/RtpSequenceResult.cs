// What RtpSource.Update decided about one packet's sequence number.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtp;

/// <summary>The outcome of RFC 3550 Appendix A.1 sequence validation for one packet.</summary>
public enum RtpSequenceResult
{
    /// <summary>In order, or a small forward gap: the packet is valid.</summary>
    Accepted = 0,

    /// <summary>Older than the highest seen but within the misorder window: valid (may be a duplicate).</summary>
    Reordered = 1,

    /// <summary>The source is still on probation (MIN_SEQUENTIAL not yet reached): not yet valid.</summary>
    Probation = 2,

    /// <summary>A very large jump; dropped unless the next packet confirms the new sequence (restart).</summary>
    BadJump = 3,

    /// <summary>The packet confirmed a large jump: the source restarted and statistics were reset.</summary>
    Restarted = 4,
}
