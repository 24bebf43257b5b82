// The RTP fixed header (RFC 3550 §5.1): allocation-free parse and serialize over spans.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Rtp;

/// <summary>
/// A parsed view of an RTP header, as offsets into the packet it came from; or the fields of a
/// header to write. All multi-byte fields are in network byte order on the wire.
/// </summary>
public readonly struct RtpHeader
{
    /// <summary>Size of the fixed header (no CSRCs, no extension).</summary>
    public const int FixedSize = 12;

    /// <summary>Creates the fields of a fixed header to write with <see cref="TryWrite"/>.</summary>
    public RtpHeader(byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker = false)
    {
        if (payloadType > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "RTP payload type is 7 bits (RFC 3550 §5.1).");
        }

        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        Marker = marker;
        HeaderLength = FixedSize;
    }

    /// <summary>The marker bit.</summary>
    public bool Marker { get; init; }

    /// <summary>The 7-bit payload type.</summary>
    public byte PayloadType { get; init; }

    /// <summary>The 16-bit sequence number.</summary>
    public ushort SequenceNumber { get; init; }

    /// <summary>The 32-bit media timestamp.</summary>
    public uint Timestamp { get; init; }

    /// <summary>The synchronization source.</summary>
    public uint Ssrc { get; init; }

    /// <summary>Number of CSRC identifiers (0-15).</summary>
    public int CsrcCount { get; init; }

    /// <summary>True when the X bit is set (RFC 3550 §5.3.1).</summary>
    public bool HasExtension { get; init; }

    /// <summary>The 16-bit "defined by profile" field of the header extension.</summary>
    public ushort ExtensionProfile { get; init; }

    /// <summary>Offset of the extension data (after its 4-byte header) in the packet.</summary>
    public int ExtensionOffset { get; init; }

    /// <summary>Length in bytes of the extension data (excluding its 4-byte header).</summary>
    public int ExtensionLength { get; init; }

    /// <summary>Total header length: fixed header, CSRCs and extension.</summary>
    public int HeaderLength { get; init; }

    /// <summary>Length of the payload, excluding padding.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Number of padding bytes at the end of the packet (0 when the P bit is clear).</summary>
    public int PaddingLength { get; init; }

    /// <summary>Offset of the payload in the packet (= <see cref="HeaderLength"/>).</summary>
    public int PayloadOffset => HeaderLength;

    /// <summary>The payload of <paramref name="packet"/>, the same bytes this header was parsed from.</summary>
    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    /// <summary>The <paramref name="index"/>th CSRC of <paramref name="packet"/>.</summary>
    public uint GetCsrc(ReadOnlySpan<byte> packet, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(FixedSize + (4 * index), 4));
    }

    /// <summary>
    /// Parses and validates the header of <paramref name="packet"/> (RFC 3550 §5.1 and the
    /// header checks of Appendix A.1). Never throws; a bad packet gives a reason.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out RtpParseError error)
    {
        header = default;
        if (packet.Length < FixedSize)
        {
            error = RtpParseError.Truncated;
            return false;
        }

        byte b0 = packet[0];
        byte b1 = packet[1];
        if ((b0 >> 6) != 2)
        {
            error = RtpParseError.BadVersion;
            return false;
        }

        // RFC 5761 §4: payload types 64-95 with the marker collide with RTCP 192-223; A.1 rejects
        // SR and RR (200/201) arriving on the RTP port.
        if (b1 is 200 or 201)
        {
            error = RtpParseError.RtcpPayloadType;
            return false;
        }

        int csrcCount = b0 & 0x0F;
        int offset = FixedSize + (4 * csrcCount);
        if (packet.Length < offset)
        {
            error = RtpParseError.Truncated;
            return false;
        }

        bool hasExtension = (b0 & 0x10) != 0;
        ushort profile = 0;
        int extOffset = 0;
        int extLength = 0;
        if (hasExtension)
        {
            // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words excluding this header.
            if (packet.Length < offset + 4)
            {
                error = RtpParseError.Truncated;
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset, 2));
            extLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2)) * 4;
            extOffset = offset + 4;
            offset = extOffset + extLength;
            if (packet.Length < offset)
            {
                error = RtpParseError.BadExtension;
                return false;
            }
        }

        int padding = 0;
        if ((b0 & 0x20) != 0)
        {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
            padding = packet[^1];
            if (padding == 0 || padding > packet.Length - offset)
            {
                error = RtpParseError.BadPadding;
                return false;
            }
        }

        header = new RtpHeader
        {
            Marker = (b1 & 0x80) != 0,
            PayloadType = (byte)(b1 & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4)),
            CsrcCount = csrcCount,
            HasExtension = hasExtension,
            ExtensionProfile = profile,
            ExtensionOffset = extOffset,
            ExtensionLength = extLength,
            HeaderLength = offset,
            PaddingLength = padding,
            PayloadLength = packet.Length - offset - padding,
        };
        error = RtpParseError.None;
        return true;
    }

    /// <summary>
    /// Writes the 12-byte fixed header (V=2, no padding, no extension, no CSRCs) into
    /// <paramref name="destination"/>. Returns false when it does not fit.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < FixedSize)
        {
            written = 0;
            return false;
        }

        destination[0] = 0x80;
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), Ssrc);
        written = FixedSize;
        return true;
    }
}
