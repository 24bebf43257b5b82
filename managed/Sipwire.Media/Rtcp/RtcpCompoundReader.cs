// Validates an RTCP compound packet (RFC 3550 Appendix A.2) and walks its packets without copying.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Rtcp;

/// <summary>
/// Iterates over the packets of an RTCP compound packet. <see cref="Validate"/> applies the
/// checks of RFC 3550 Appendix A.2 to the whole datagram first.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;

    /// <summary>Starts reading <paramref name="datagram"/> (an already decrypted compound packet).</summary>
    public RtcpCompoundReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _offset = 0;
    }

    /// <summary>
    /// RFC 3550 A.2: version 2 everywhere; the first packet an SR or RR without padding; padding
    /// only on the last; the length fields add up to the datagram length. With
    /// <paramref name="requireReportFirst"/> false (RFC 5506 reduced-size RTCP) any first type is accepted.
    /// </summary>
    public static RtcpParseError Validate(ReadOnlySpan<byte> datagram, bool requireReportFirst = true)
    {
        if (datagram.Length < 4)
        {
            return RtcpParseError.Truncated;
        }

        if (requireReportFirst)
        {
            byte first = datagram[0];
            byte pt = datagram[1];
            if ((first & 0x20) != 0 || (pt != (byte)RtcpPacketType.SenderReport && pt != (byte)RtcpPacketType.ReceiverReport))
            {
                return (first >> 6) != 2 ? RtcpParseError.BadVersion : RtcpParseError.BadFirstPacket;
            }
        }

        int offset = 0;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4)
            {
                return RtcpParseError.Truncated;
            }

            byte b0 = datagram[offset];
            if ((b0 >> 6) != 2)
            {
                return RtcpParseError.BadVersion;
            }

            int length = (BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(offset + 2, 2)) + 1) * 4;
            if (length > datagram.Length - offset)
            {
                return RtcpParseError.Truncated;
            }

            if ((b0 & 0x20) != 0)
            {
                int pad = datagram[offset + length - 1];
                if (offset + length != datagram.Length || pad == 0 || pad > length - 4)
                {
                    return RtcpParseError.BadPadding;
                }
            }

            RtcpParseError bodyError = CheckBody(datagram[offset + 1], b0 & 0x1F, length - 4);
            if (bodyError != RtcpParseError.None)
            {
                return bodyError;
            }

            offset += length;
        }

        return RtcpParseError.None;
    }

    /// <summary>Reads the next packet; false at the end (or on a malformed header).</summary>
    public bool TryReadNext(out RtcpPacket packet)
    {
        packet = default;
        if (_datagram.Length - _offset < 4)
        {
            return false;
        }

        byte b0 = _datagram[_offset];
        int length = (BinaryPrimitives.ReadUInt16BigEndian(_datagram.Slice(_offset + 2, 2)) + 1) * 4;
        if ((b0 >> 6) != 2 || length > _datagram.Length - _offset)
        {
            _offset = _datagram.Length;
            return false;
        }

        int bodyLength = length - 4;
        if ((b0 & 0x20) != 0)
        {
            int pad = _datagram[_offset + length - 1];
            if (pad == 0 || pad > bodyLength)
            {
                _offset = _datagram.Length;
                return false;
            }

            bodyLength -= pad;
        }

        packet = new RtcpPacket(_datagram[_offset + 1], b0 & 0x1F, _datagram.Slice(_offset + 4, bodyLength));
        _offset += length;
        return true;
    }

    private static RtcpParseError CheckBody(byte packetType, int count, int bodyLength)
    {
        int needed = packetType switch
        {
            (byte)RtcpPacketType.SenderReport => 24 + (count * RtcpReportBlock.Size),
            (byte)RtcpPacketType.ReceiverReport => 4 + (count * RtcpReportBlock.Size),
            (byte)RtcpPacketType.Bye => 4 * count,
            (byte)RtcpPacketType.SourceDescription => 8 * count,
            _ => 0,
        };
        return bodyLength < needed ? RtcpParseError.BadBody : RtcpParseError.None;
    }
}
