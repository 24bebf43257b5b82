// Generates RFC 3261 branch parameters: the magic cookie plus 96 random bits.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Security;

namespace Sipwire.Transactions;

/// <summary>Branch and tag generation (§8.1.1.7: unique over space and time, starting with z9hG4bK; §19.3: tags with at least 32 random bits).</summary>
public static class BranchId
{
    /// <summary>Bytes written by <see cref="Write"/>.</summary>
    public const int Length = 7 + 24;

    /// <summary>Writes "z9hG4bK" and 24 hex digits of cryptographic randomness; returns <see cref="Length"/>.</summary>
    public static int Write(Span<byte> destination)
    {
        "z9hG4bK"u8.CopyTo(destination);
        WriteRandomHex(destination.Slice(7, 24));
        return Length;
    }

    /// <summary>A new branch as a string (allocates; for the CLI and tests).</summary>
    public static string NewString()
    {
        Span<byte> b = stackalloc byte[Length];
        Write(b);
        return System.Text.Encoding.ASCII.GetString(b);
    }

    /// <summary>Fills <paramref name="destination"/> with random lowercase hex digits (tags, Call-IDs).</summary>
    public static void WriteRandomHex(Span<byte> destination)
    {
        Span<byte> r = stackalloc byte[(destination.Length + 1) / 2];
        SecureRandom.Fill(r);
        for (int i = 0; i < destination.Length; i++)
        {
            int nibble = (i & 1) == 0 ? r[i / 2] >> 4 : r[i / 2] & 0xF;
            destination[i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
    }
}
