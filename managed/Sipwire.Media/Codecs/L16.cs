// L16 RTP payload (RFC 3551 §4.5.11): 16-bit linear PCM in network byte order.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sipwire.Media.Codecs;

/// <summary>
/// L16 payload packing: host-order PCM16 samples to and from big-endian octets. Channels stay
/// interleaved, sample by sample, as RFC 3551 §4.1 orders them. Any sample rate and channel count.
/// </summary>
public static class L16
{
    /// <summary>Octets per sample.</summary>
    public const int BytesPerSample = 2;

    /// <summary>Writes <paramref name="pcm"/> as big-endian 16-bit samples (RFC 3551 §4.5.11).</summary>
    /// <param name="pcm">The samples, interleaved if there are several channels.</param>
    /// <param name="payload">Receives 2 * <paramref name="pcm"/>.Length octets.</param>
    /// <param name="written">Octets written.</param>
    /// <returns><see cref="OperationStatus.Done"/>, or <see cref="OperationStatus.DestinationTooSmall"/> with nothing written.</returns>
    public static OperationStatus Encode(ReadOnlySpan<short> pcm, Span<byte> payload, out int written)
    {
        written = 0;
        if (payload.Length / BytesPerSample < pcm.Length)
        {
            return OperationStatus.DestinationTooSmall;
        }

        Span<short> target = MemoryMarshal.Cast<byte, short>(payload[..(pcm.Length * BytesPerSample)]);
        if (BitConverter.IsLittleEndian)
        {
            // RFC 3551 §4.5.11: "in network byte order" - most significant octet first.
            BinaryPrimitives.ReverseEndianness(pcm, target);
        }
        else
        {
            pcm.CopyTo(target);
        }

        written = pcm.Length * BytesPerSample;
        return OperationStatus.Done;
    }

    /// <summary>Reads big-endian 16-bit samples from an L16 payload.</summary>
    /// <param name="payload">The RTP payload.</param>
    /// <param name="pcm">Receives <paramref name="payload"/>.Length / 2 samples.</param>
    /// <param name="samples">Samples written (all channels).</param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/>; <see cref="OperationStatus.InvalidData"/> for an odd
    /// payload length (a sample cut in half); <see cref="OperationStatus.DestinationTooSmall"/>.
    /// Nothing is written unless Done.
    /// </returns>
    public static OperationStatus Decode(ReadOnlySpan<byte> payload, Span<short> pcm, out int samples)
    {
        samples = 0;
        if ((payload.Length & 1) != 0)
        {
            return OperationStatus.InvalidData;
        }

        int count = payload.Length / BytesPerSample;
        if (pcm.Length < count)
        {
            return OperationStatus.DestinationTooSmall;
        }

        ReadOnlySpan<short> source = MemoryMarshal.Cast<byte, short>(payload);
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(source, pcm[..count]);
        }
        else
        {
            source.CopyTo(pcm);
        }

        samples = count;
        return OperationStatus.Done;
    }
}
