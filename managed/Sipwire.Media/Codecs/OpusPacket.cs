// Opus packet structure checks of RFC 6716 §3 (TOC byte, frame packing, R1–R7), done before a packet reaches the decoder.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Codecs;

/// <summary>
/// Validates the framing of an Opus packet (RFC 6716 §3.1–§3.4) without decoding it, and
/// reports its duration. Only framing is checked: any octets inside a frame are valid range-coder
/// input (RFC 6716 §4.1).
/// </summary>
internal static class OpusPacket
{
    /// <summary>The largest frame a packet may carry (RFC 6716 §3.2.1, R2).</summary>
    public const int MaxFrameBytes = 1275;

    /// <summary>The longest packet, 120 ms, in 48 kHz samples (RFC 6716 §3.2.5, R5).</summary>
    public const int MaxSamples48k = 5760;

    /// <summary>The most frames one packet holds: 48 frames of 2.5 ms (RFC 6716 §3.2.5).</summary>
    public const int MaxFrames = 48;

    /// <summary>Checks the packet against RFC 6716 §3.4 and gives its duration in 48 kHz samples.</summary>
    public static OpusDecodeStatus Validate(ReadOnlySpan<byte> packet, out int samples48k) =>
        Validate(packet, Span<int>.Empty, Span<int>.Empty, out _, out samples48k);

    /// <summary>
    /// Checks the packet against RFC 6716 §3.4, gives its duration in 48 kHz samples and, when
    /// <paramref name="offsets"/> and <paramref name="lengths"/> hold <see cref="MaxFrames"/>
    /// entries, where each frame's data starts and how long it is.
    /// </summary>
    public static OpusDecodeStatus Validate(ReadOnlySpan<byte> packet, Span<int> offsets, Span<int> lengths, out int frames, out int samples48k)
    {
        samples48k = 0;
        frames = 0;

        // R1: at least one byte, the TOC.
        if (packet.IsEmpty)
        {
            return OpusDecodeStatus.EmptyPacket;
        }

        byte toc = packet[0];
        int frameSamples = FrameSamples48k(toc);
        int payload = packet.Length - 1;
        switch (toc & 0x3)
        {
            case 0:
                // §3.2.2 code 0: one frame filling the rest of the packet (R2).
                if (payload > MaxFrameBytes)
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                frames = 1;
                Record(offsets, lengths, 0, 1, payload);
                samples48k = frameSamples;
                return OpusDecodeStatus.Ok;

            case 1:
                // §3.2.3 code 1: two frames of equal size, so an even payload (R3, R2).
                if ((payload & 1) != 0 || payload / 2 > MaxFrameBytes)
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                frames = 2;
                Record(offsets, lengths, 0, 1, payload / 2);
                Record(offsets, lengths, 1, 1 + (payload / 2), payload / 2);
                samples48k = 2 * frameSamples;
                return OpusDecodeStatus.Ok;

            case 2:
            {
                // §3.2.4 code 2: the first frame's length is coded, the second takes the rest (R4).
                if (!TryReadFrameLength(packet[1..], out int first, out int used) || first > payload - used)
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                if (payload - used - first > MaxFrameBytes)
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                frames = 2;
                Record(offsets, lengths, 0, 1 + used, first);
                Record(offsets, lengths, 1, 1 + used + first, payload - used - first);
                samples48k = 2 * frameSamples;
                return OpusDecodeStatus.Ok;
            }

            default:
                return ValidateCode3(packet, frameSamples, offsets, lengths, out frames, out samples48k);
        }
    }

    /// <summary>The duration of one frame for the TOC's configuration (RFC 6716 §3.1, Table 2), in 48 kHz samples.</summary>
    public static int FrameSamples48k(byte toc)
    {
        int config = toc >> 3;
        if (config < 12)
        {
            // SILK-only: 10, 20, 40, 60 ms.
            return (config & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 };
        }

        if (config < 16)
        {
            // Hybrid: 10, 20 ms.
            return (config & 1) == 0 ? 480 : 960;
        }

        // CELT-only: 2.5, 5, 10, 20 ms.
        return 120 << (config & 3);
    }

    private static OpusDecodeStatus ValidateCode3(ReadOnlySpan<byte> packet, int frameSamples, Span<int> offsets, Span<int> lengths, out int frames, out int samples48k)
    {
        samples48k = 0;
        frames = 0;

        // §3.2.5 code 3: the frame-count byte holds v (VBR), p (padding) and M; R5 needs M >= 1.
        if (packet.Length < 2)
        {
            return OpusDecodeStatus.InvalidFrameCount;
        }

        byte countByte = packet[1];
        int count = countByte & 0x3F;
        if (count == 0)
        {
            return OpusDecodeStatus.InvalidFrameCount;
        }

        if (count * frameSamples > MaxSamples48k)
        {
            return OpusDecodeStatus.TooLong;
        }

        int position = 2;
        int remaining = packet.Length - 2;
        if ((countByte & 0x40) != 0)
        {
            // Padding length: each 255 means 254 octets and another length byte follows.
            int padding = 0;
            int value;
            do
            {
                if (position >= packet.Length)
                {
                    return OpusDecodeStatus.InvalidPadding;
                }

                value = packet[position++];
                remaining--;
                padding += value == 255 ? 254 : value;
            }
            while (value == 255);

            remaining -= padding;
            if (remaining < 0)
            {
                return OpusDecodeStatus.InvalidPadding;
            }
        }

        if ((countByte & 0x80) == 0)
        {
            // R6: CBR, every frame the same size.
            if (remaining % count != 0 || remaining / count > MaxFrameBytes)
            {
                return OpusDecodeStatus.InvalidFrameLength;
            }

            int size = remaining / count;
            for (int i = 0; i < count; i++)
            {
                Record(offsets, lengths, i, position + (i * size), size);
            }
        }
        else
        {
            // R7: VBR, M-1 coded lengths, the last frame takes what is left.
            int lengthsEnd = position;
            int total = 0;
            for (int i = 0; i < count - 1; i++)
            {
                if (!TryReadFrameLength(packet[lengthsEnd..], out int length, out int used))
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                lengthsEnd += used;
                remaining -= used + length;
                if (remaining < 0)
                {
                    return OpusDecodeStatus.InvalidFrameLength;
                }

                Record(offsets, lengths, i, total, length);
                total += length;
            }

            if (remaining > MaxFrameBytes)
            {
                return OpusDecodeStatus.InvalidFrameLength;
            }

            // The frame data follows all the length bytes.
            Record(offsets, lengths, count - 1, total, remaining);
            if (!offsets.IsEmpty)
            {
                for (int i = 0; i < count; i++)
                {
                    offsets[i] += lengthsEnd;
                }
            }
        }

        frames = count;
        samples48k = count * frameSamples;
        return OpusDecodeStatus.Ok;
    }

    private static void Record(Span<int> offsets, Span<int> lengths, int index, int offset, int length)
    {
        if (!offsets.IsEmpty)
        {
            offsets[index] = offset;
            lengths[index] = length;
        }
    }

    // RFC 6716 §3.2.1: 0 = no frame, 1..251 = the length, 252..255 = first + 4 * second byte.
    private static bool TryReadFrameLength(ReadOnlySpan<byte> data, out int length, out int used)
    {
        length = 0;
        used = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        if (data[0] < 252)
        {
            length = data[0];
            used = 1;
            return true;
        }

        if (data.Length < 2)
        {
            return false;
        }

        length = data[0] + (4 * data[1]);
        used = 2;
        return true;
    }
}
