// A compact binary form of an address-of-record's bindings, for stores outside the process (Redis).
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Sipwire.Location;

/// <summary>
/// Encodes the bindings of one address-of-record as: version (1 byte), count (2), then per binding
/// expiry (8), CSeq (4), q (2), reg-id (4) little-endian, and six length-prefixed (2) UTF-8 fields
/// (contact, contact parameters, Call-ID, Path, instance, source). Decoding checks every length and
/// refuses anything else, so a corrupt or foreign value is reported, never half-read.
/// </summary>
public static class LocationRecordCodec
{
    private const byte Version = 1;
    private const int FixedPerBinding = 8 + 4 + 2 + 4 + 6 * 2;

    /// <summary>The encoded form of <paramref name="bindings"/>.</summary>
    public static byte[] Encode(IReadOnlyList<LocationBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        if (bindings.Count > ushort.MaxValue) throw new ArgumentException("Too many bindings for one record.", nameof(bindings));
        int size = 3;
        foreach (LocationBinding b in bindings) size += FixedPerBinding + b.TextLength;
        byte[] data = new byte[size];
        Span<byte> s = data;
        s[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(s[1..], (ushort)bindings.Count);
        int at = 3;
        foreach (LocationBinding b in bindings)
        {
            BinaryPrimitives.WriteInt64LittleEndian(s[at..], b.ExpiresAtMs);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 8)..], b.CSeq);
            BinaryPrimitives.WriteInt16LittleEndian(s[(at + 12)..], (short)b.QMillis);
            BinaryPrimitives.WriteInt32LittleEndian(s[(at + 14)..], b.RegId);
            at += 18;
            Field(s, ref at, b.Contact);
            Field(s, ref at, b.ContactParameters);
            Field(s, ref at, b.CallId);
            Field(s, ref at, b.Path);
            Field(s, ref at, b.InstanceId);
            Field(s, ref at, b.Received);
        }
        return data;
    }

    /// <summary>Decodes a record into <paramref name="into"/>; false (and nothing added) when it is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, List<LocationBinding> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (data.Length < 3 || data[0] != Version) return false;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[1..]);
        int at = 3;
        var decoded = new List<LocationBinding>(count);
        for (int i = 0; i < count; i++)
        {
            if (data.Length - at < 18) return false;
            long expires = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
            uint cseq = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 8)..]);
            short q = BinaryPrimitives.ReadInt16LittleEndian(data[(at + 12)..]);
            int regId = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 14)..]);
            at += 18;
            if (!Read(data, ref at, out ReadOnlySpan<byte> contact) || !Read(data, ref at, out ReadOnlySpan<byte> parameters)
                || !Read(data, ref at, out ReadOnlySpan<byte> callId) || !Read(data, ref at, out ReadOnlySpan<byte> path)
                || !Read(data, ref at, out ReadOnlySpan<byte> instance) || !Read(data, ref at, out ReadOnlySpan<byte> received))
            {
                return false;
            }
            if (contact.IsEmpty || q is < -1 or > 1000 || regId < -1) return false;
            decoded.Add(new LocationBinding(contact, parameters, callId, cseq, q, expires, path, instance, regId, received));
        }
        if (at != data.Length) return false;
        into.AddRange(decoded);
        return true;
    }

    private static void Field(Span<byte> s, ref int at, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(s[at..], (ushort)value.Length);
        value.CopyTo(s[(at + 2)..]);
        at += 2 + value.Length;
    }

    private static bool Read(ReadOnlySpan<byte> data, ref int at, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.Length - at < 2) return false;
        int n = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        if (data.Length - at - 2 < n) return false;
        value = data.Slice(at + 2, n);
        at += 2 + n;
        return true;
    }
}
