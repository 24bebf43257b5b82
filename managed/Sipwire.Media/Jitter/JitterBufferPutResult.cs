// What JitterBuffer.Put did with an arriving packet.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Jitter;

/// <summary>The outcome of <see cref="JitterBuffer.Put"/>.</summary>
public enum JitterBufferPutResult
{
    /// <summary>Stored for playout.</summary>
    Accepted = 0,

    /// <summary>Arrived after its playout time: dropped and counted.</summary>
    Late = 1,

    /// <summary>A frame with this timestamp is already buffered: dropped and counted.</summary>
    Duplicate = 2,

    /// <summary>Larger than <see cref="JitterBufferOptions.MaxPayloadBytes"/>: dropped.</summary>
    TooLarge = 3,

    /// <summary>Too far ahead of playout for the buffer: the buffer restarted on this packet.</summary>
    Restarted = 4,
}
