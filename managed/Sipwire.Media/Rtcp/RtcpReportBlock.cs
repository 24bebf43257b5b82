// One RTCP reception report block (RFC 3550 §6.4.1), read and written in network byte order.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Rtcp;

/// <summary>A reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes on the wire.</summary>
/// <param name="Ssrc">The source this block reports on.</param>
/// <param name="FractionLost">Fraction lost since the previous report, as a fixed-point number with the binary point at the left (lost/expected * 256).</param>
/// <param name="CumulativeLost">Cumulative packets lost, 24-bit signed.</param>
/// <param name="ExtendedHighestSequence">Extended highest sequence number received.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units.</param>
/// <param name="LastSr">Middle 32 bits of the NTP timestamp of the last SR from the source (0 if none).</param>
/// <param name="DelaySinceLastSr">Delay since that SR, in 1/65536 s (0 if none).</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence, uint Jitter, uint LastSr, uint DelaySinceLastSr)
{
    /// <summary>Size of a report block on the wire.</summary>
    public const int Size = 24;

    /// <summary>Reads a block from the first 24 bytes of <paramref name="source"/>.</summary>
    public static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ArgumentException("A report block is 24 bytes.", nameof(source));
        }

        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(4, 4));
        // Sign-extend the 24-bit cumulative loss.
        int cumulative = (int)(lossWord << 8) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source[..4]),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(20, 4)));
    }

    /// <summary>Writes the block into the first 24 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("A report block is 24 bytes.", nameof(destination));
        }

        int lost = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(destination[..4], Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), ((uint)FractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12, 4), Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), LastSr);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20, 4), DelaySinceLastSr);
    }

    /// <summary>
    /// Round-trip time seen by the sender of the SR this block answers (RFC 3550 §6.4.1, Figure 2):
    /// A - LSR - DLSR, where A is the arrival time of this block. Null when the block carries no LSR.
    /// </summary>
    public long? RoundTripMicroseconds(long arrivalUnixUs)
    {
        if (LastSr == 0)
        {
            return null;
        }

        uint a = NtpTime.Middle32(NtpTime.FromUnixMicroseconds(arrivalUnixUs));
        uint rtt = a - LastSr - DelaySinceLastSr;
        // A negative result (clock error) wraps to a huge value; report it as 0 rather than hours.
        return (int)rtt < 0 ? 0 : NtpTime.CompactToMicroseconds(rtt);
    }
}
