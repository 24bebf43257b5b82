// Serializes SR, RR, SDES CNAME and BYE packets back to back into one compound RTCP packet (RFC 3550 §6.1).
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Rtcp;

/// <summary>
/// Writes an RTCP compound packet into a caller's buffer, without allocating. RFC 3550 §6.1: start
/// with an SR or RR, include an SDES with the CNAME; a BYE goes last. Each Write method returns
/// false and writes nothing when the packet does not fit.
/// </summary>
public ref struct RtcpWriter
{
    private readonly Span<byte> _buffer;
    private int _written;

    /// <summary>Starts a compound packet in <paramref name="buffer"/>.</summary>
    public RtcpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _written = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>Writes a sender report (PT 200) with up to 31 report blocks.</summary>
    public bool WriteSenderReport(in RtcpSenderInfo info, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        if (blocks.Length > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), "At most 31 report blocks per packet (5-bit RC).");
        }

        int length = 28 + (blocks.Length * RtcpReportBlock.Size);
        if (!TryBegin(length, RtcpPacketType.SenderReport, blocks.Length, out Span<byte> p))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(4, 4), info.Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(p.Slice(8, 8), info.NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(16, 4), info.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(20, 4), info.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(24, 4), info.OctetCount);
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(p.Slice(28 + (i * RtcpReportBlock.Size), RtcpReportBlock.Size));
        }

        return true;
    }

    /// <summary>Writes a receiver report (PT 201) with up to 31 report blocks (0 is valid: "nothing received").</summary>
    public bool WriteReceiverReport(uint ssrc, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        if (blocks.Length > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), "At most 31 report blocks per packet (5-bit RC).");
        }

        int length = 8 + (blocks.Length * RtcpReportBlock.Size);
        if (!TryBegin(length, RtcpPacketType.ReceiverReport, blocks.Length, out Span<byte> p))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(4, 4), ssrc);
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(p.Slice(8 + (i * RtcpReportBlock.Size), RtcpReportBlock.Size));
        }

        return true;
    }

    /// <summary>Writes an SDES packet (PT 202) with one chunk holding the CNAME item (RFC 3550 §6.5.1).</summary>
    public bool WriteSdesCname(uint ssrc, scoped ReadOnlySpan<byte> cnameUtf8)
    {
        if (cnameUtf8.Length > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(cnameUtf8), "An SDES item is at most 255 octets.");
        }

        // SSRC + type + length + text + at least one null octet, padded to 32 bits (§6.5).
        int chunk = (4 + 2 + cnameUtf8.Length + 1 + 3) & ~3;
        if (!TryBegin(4 + chunk, RtcpPacketType.SourceDescription, 1, out Span<byte> p))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(p.Slice(4, 4), ssrc);
        p[8] = RtcpSdesItem.Cname;
        p[9] = (byte)cnameUtf8.Length;
        cnameUtf8.CopyTo(p[10..]);
        p[(10 + cnameUtf8.Length)..].Clear();
        return true;
    }

    /// <summary>Writes a BYE packet (PT 203) for <paramref name="ssrcs"/> with an optional reason (RFC 3550 §6.6).</summary>
    public bool WriteBye(scoped ReadOnlySpan<uint> ssrcs, scoped ReadOnlySpan<byte> reasonUtf8 = default)
    {
        if (ssrcs.Length > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(ssrcs), "At most 31 sources per BYE (5-bit SC).");
        }

        if (reasonUtf8.Length > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(reasonUtf8), "The BYE reason is at most 255 octets.");
        }

        int reason = reasonUtf8.IsEmpty ? 0 : (1 + reasonUtf8.Length + 3) & ~3;
        int length = 4 + (4 * ssrcs.Length) + reason;
        if (!TryBegin(length, RtcpPacketType.Bye, ssrcs.Length, out Span<byte> p))
        {
            return false;
        }

        for (int i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(p.Slice(4 + (4 * i), 4), ssrcs[i]);
        }

        if (!reasonUtf8.IsEmpty)
        {
            int pos = 4 + (4 * ssrcs.Length);
            p[pos] = (byte)reasonUtf8.Length;
            reasonUtf8.CopyTo(p[(pos + 1)..]);
            p[(pos + 1 + reasonUtf8.Length)..].Clear();
        }

        return true;
    }

    private bool TryBegin(int length, RtcpPacketType type, int count, out Span<byte> packet)
    {
        if (_buffer.Length - _written < length)
        {
            packet = default;
            return false;
        }

        packet = _buffer.Slice(_written, length);
        packet[0] = (byte)(0x80 | count);
        packet[1] = (byte)type;
        // §6.4.1: length in 32-bit words minus one, header included.
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), (ushort)((length / 4) - 1));
        _written += length;
        return true;
    }
}
