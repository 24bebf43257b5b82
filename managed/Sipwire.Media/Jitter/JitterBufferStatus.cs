// What JitterBuffer.Get delivered for one playout period.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Jitter;

/// <summary>The kind of frame <see cref="JitterBuffer.Get"/> produced.</summary>
public enum JitterBufferStatus
{
    /// <summary>Nothing received yet, or still filling to the initial delay: play silence.</summary>
    Buffering = 0,

    /// <summary>A received frame was copied out: decode it.</summary>
    Frame = 1,

    /// <summary>The frame is missing while later ones are buffered (loss or very late): conceal (PLC / codec FEC).</summary>
    Missing = 2,

    /// <summary>No newer frame has arrived (end of a talkspurt, DTX, or an outage): conceal briefly, then comfort noise.</summary>
    Underrun = 3,

    /// <summary>The buffer grows its delay by one frame: conceal/stretch without consuming a frame.</summary>
    Expand = 4,
}
