// Cryptographically secure random bytes from the operating system without OpenSSL (firmware has no libssl).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Security;

/// <summary>
/// Random bytes for branch IDs, tags, nonces, cnonces and SRTP keys (RFC 3261 §8.1.1.7, §19.3 ask for
/// cryptographic randomness). On Linux, System.Security.Cryptography.RandomNumberGenerator goes through
/// OpenSSL and a NativeAOT library aborts the process when no libssl is installed - as on most
/// firmware. <see cref="Guid.NewGuid"/> draws from the kernel's CSPRNG (getrandom/urandom) inside the
/// runtime itself, so its random bits serve here: 14 of a GUID's 16 bytes carry no version or variant bits.
/// </summary>
public static class SecureRandom
{
    /// <summary>Fills <paramref name="destination"/> with cryptographically secure random bytes.</summary>
    public static void Fill(Span<byte> destination)
    {
        Span<byte> g = stackalloc byte[16];
        while (!destination.IsEmpty)
        {
            Guid.NewGuid().TryWriteBytes(g);
            // RFC 9562 §5.4: the version is in the high nibble of byte 6 and the variant in the top bits of
            // byte 8 of the big-endian form; TryWriteBytes writes the first three fields little-endian, so
            // those are bytes 7 and 8 here. Both are skipped.
            int n = Math.Min(7, destination.Length);
            g[..n].CopyTo(destination);
            destination = destination[n..];
            n = Math.Min(7, destination.Length);
            g.Slice(9, n).CopyTo(destination);
            destination = destination[n..];
        }
    }

    /// <summary>Returns <paramref name="count"/> cryptographically secure random bytes.</summary>
    public static byte[] GetBytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        byte[] b = new byte[count];
        Fill(b);
        return b;
    }
}
