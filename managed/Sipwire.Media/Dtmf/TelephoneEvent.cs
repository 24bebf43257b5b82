// The RFC 4733 telephone-event payload (event, E bit, volume, duration): 4 octets, network order.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;

namespace Sipwire.Media.Dtmf;

/// <summary>One RFC 4733 §2.3 event block.</summary>
/// <param name="Event">Event code (§3.2: 0-9 digits, 10 *, 11 #, 12-15 A-D, 16 flash).</param>
/// <param name="End">The E bit: the event has ended.</param>
/// <param name="Volume">Power level of the tone in -dBm0 (0-63); 0 for non-tone events.</param>
/// <param name="Duration">Duration so far, in RTP timestamp units, from the event's timestamp.</param>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Size of one event block.</summary>
    public const int Size = 4;

    /// <summary>Event code of hook flash.</summary>
    public const byte Flash = 16;

    /// <summary>Reads the first event block; false when the payload is shorter than 4 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Size)
        {
            value = default;
            return false;
        }

        // §2.3: event (8) | E (1) | R (1) | volume (6) | duration (16). R is ignored by receivers.
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2, 2)));
        return true;
    }

    /// <summary>Writes the block into the first 4 octets of <paramref name="destination"/> (R = 0).</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("A telephone-event block is 4 octets.", nameof(destination));
        }

        if (Volume > 63)
        {
            throw new InvalidOperationException("Volume is 6 bits (0-63 -dBm0).");
        }

        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), Duration);
    }

    /// <summary>Maps a DTMF character (0-9 * # A-D, case-insensitive) to its event code (§3.2).</summary>
    public static bool TryFromDigit(char digit, out byte code)
    {
        code = digit switch
        {
            >= '0' and <= '9' => (byte)(digit - '0'),
            '*' => 10,
            '#' => 11,
            >= 'A' and <= 'D' => (byte)(digit - 'A' + 12),
            >= 'a' and <= 'd' => (byte)(digit - 'a' + 12),
            _ => byte.MaxValue,
        };
        return code != byte.MaxValue;
    }

    /// <summary>Maps a DTMF event code (0-15) to its character; '\0' for other events.</summary>
    public static char ToDigit(byte code) => code switch
    {
        <= 9 => (char)('0' + code),
        10 => '*',
        11 => '#',
        <= 15 => (char)('A' + code - 12),
        _ => '\0',
    };
}
