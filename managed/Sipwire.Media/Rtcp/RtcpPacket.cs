// A view of one RTCP packet inside a compound packet, with typed accessors for SR, RR, SDES and BYE.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Rtcp;

/// <summary>
/// One packet of an RTCP compound packet (RFC 3550 §6.4-6.6): its header fields and its body
/// (the bytes after the 4-byte common header, padding removed). A view; nothing is copied.
/// </summary>
public readonly ref struct RtcpPacket
{
    /// <summary>Creates a view over a packet body.</summary>
    public RtcpPacket(byte packetType, int count, ReadOnlySpan<byte> body)
    {
        PacketType = packetType;
        Count = count;
        Body = body;
    }

    /// <summary>The packet type (see <see cref="RtcpPacketType"/>).</summary>
    public byte PacketType { get; }

    /// <summary>The 5-bit count field (report blocks, SDES chunks, BYE sources, or FMT).</summary>
    public int Count { get; }

    /// <summary>The body after the common header, padding excluded.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The SSRC of the sender of an SR/RR, or the first SSRC of SDES/BYE/feedback packets.</summary>
    public uint Ssrc => Body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;

    /// <summary>Reads the sender info of an SR (RFC 3550 §6.4.1).</summary>
    public bool TryGetSenderInfo(out RtcpSenderInfo info)
    {
        info = default;
        if (PacketType != (byte)RtcpPacketType.SenderReport || Body.Length < 24)
        {
            return false;
        }

        info = new RtcpSenderInfo(
            BinaryPrimitives.ReadUInt32BigEndian(Body),
            BinaryPrimitives.ReadUInt64BigEndian(Body.Slice(4, 8)),
            BinaryPrimitives.ReadUInt32BigEndian(Body.Slice(12, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(Body.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(Body.Slice(20, 4)));
        return true;
    }

    /// <summary>Number of report blocks in an SR or RR (0 for other types).</summary>
    public int ReportBlockCount => PacketType is (byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport ? Count : 0;

    /// <summary>The <paramref name="index"/>th report block of an SR or RR.</summary>
    public RtcpReportBlock GetReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportBlockCount);
        int start = (PacketType == (byte)RtcpPacketType.SenderReport ? 24 : 4) + (index * RtcpReportBlock.Size);
        return RtcpReportBlock.Read(Body.Slice(start, RtcpReportBlock.Size));
    }

    /// <summary>
    /// Finds the CNAME item (RFC 3550 §6.5.1) of <paramref name="ssrc"/>'s chunk in an SDES packet.
    /// </summary>
    public bool TryGetCname(uint ssrc, out ReadOnlySpan<byte> cname) => TryGetSdesItem(ssrc, RtcpSdesItem.Cname, out cname);

    /// <summary>Finds an item of the given type in <paramref name="ssrc"/>'s SDES chunk (RFC 3550 §6.5).</summary>
    public bool TryGetSdesItem(uint ssrc, byte itemType, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (PacketType != (byte)RtcpPacketType.SourceDescription)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = Body;
        for (int chunk = 0; chunk < Count; chunk++)
        {
            if (rest.Length < 4)
            {
                return false;
            }

            uint chunkSsrc = BinaryPrimitives.ReadUInt32BigEndian(rest);
            int pos = 4;
            bool found = false;
            while (true)
            {
                if (pos >= rest.Length)
                {
                    return false;
                }

                byte type = rest[pos];
                if (type == RtcpSdesItem.End)
                {
                    // §6.5: the item list ends with a null octet, then pads to a 32-bit boundary.
                    pos = (pos + 4) & ~3;
                    break;
                }

                if (pos + 2 > rest.Length || pos + 2 + rest[pos + 1] > rest.Length)
                {
                    return false;
                }

                int len = rest[pos + 1];
                if (!found && chunkSsrc == ssrc && type == itemType)
                {
                    value = rest.Slice(pos + 2, len);
                    found = true;
                }

                pos += 2 + len;
            }

            if (found)
            {
                return true;
            }

            if (pos > rest.Length)
            {
                return false;
            }

            rest = rest[pos..];
        }

        return false;
    }

    /// <summary>The <paramref name="index"/>th SSRC of a BYE packet (RFC 3550 §6.6).</summary>
    public uint GetByeSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PacketType == (byte)RtcpPacketType.Bye ? Count : 0);
        return BinaryPrimitives.ReadUInt32BigEndian(Body.Slice(4 * index, 4));
    }

    /// <summary>The optional reason text of a BYE packet (empty when absent).</summary>
    public ReadOnlySpan<byte> ByeReason
    {
        get
        {
            int pos = 4 * Count;
            if (PacketType != (byte)RtcpPacketType.Bye || pos >= Body.Length)
            {
                return default;
            }

            int len = Body[pos];
            return pos + 1 + len <= Body.Length ? Body.Slice(pos + 1, len) : default;
        }
    }
}
