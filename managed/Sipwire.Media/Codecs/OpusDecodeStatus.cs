// Outcome of decoding one Opus packet: malformed network input is data, not an exception.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Codecs;

/// <summary>
/// The outcome of <see cref="OpusCodec.Decode"/> and <see cref="OpusCodec.DecodeFec"/>. Every
/// rejection leaves the decoder state untouched, so the next good packet decodes as if the bad
/// one had never arrived. The checks are the packet validity rules of RFC 6716 §3.4 (R1–R7).
/// </summary>
public enum OpusDecodeStatus
{
    /// <summary>The packet was decoded.</summary>
    Ok = 0,

    /// <summary>The packet has no octets: not even a TOC byte (RFC 6716 §3.4 R1).</summary>
    EmptyPacket = 1,

    /// <summary>
    /// The frame lengths implied by the TOC byte do not fit the packet: a frame over 1275 octets,
    /// an odd code-1 packet, a code-2/code-3 length that runs past the end, or a code-3 CBR packet
    /// whose size is not a multiple of its frame count (RFC 6716 §3.4 R2–R4, R6, R7).
    /// </summary>
    InvalidFrameLength = 2,

    /// <summary>A code-3 packet declares zero frames or has no frame-count byte (RFC 6716 §3.4 R5).</summary>
    InvalidFrameCount = 3,

    /// <summary>A code-3 packet's padding runs past the end of the packet (RFC 6716 §3.2.5).</summary>
    InvalidPadding = 4,

    /// <summary>The packet lasts more than 120 ms (RFC 6716 §3.4 R5).</summary>
    TooLong = 5,

    /// <summary>The PCM buffer cannot hold the packet's audio; nothing was decoded.</summary>
    BufferTooSmall = 6,

    /// <summary>The decoder refused a structurally valid packet; the decoder was reset.</summary>
    DecoderError = 7,
}
