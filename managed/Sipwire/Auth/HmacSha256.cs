// SPDX-License-Identifier: MIT
// HMAC-SHA-256 (RFC 2104) on the managed SHA-256, for self-validating server nonces.

using System;

namespace Sipwire.Auth;

internal static class HmacSha256
{
    private const int BlockSize = 64;

    /// <summary>HMAC(key, message) into a 32-byte span; keys longer than a block are hashed first.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        if (key.Length > BlockSize)
        {
            Sha256 keyHash = Sha256.Create();
            keyHash.Append(key);
            keyHash.Finish(block);
        }
        else
        {
            key.CopyTo(block);
        }
        Span<byte> pad = stackalloc byte[BlockSize];
        for (int i = 0; i < BlockSize; i++)
        {
            pad[i] = (byte)(block[i] ^ 0x36);
        }
        Sha256 inner = Sha256.Create();
        inner.Append(pad);
        inner.Append(message);
        Span<byte> innerHash = stackalloc byte[Sha256.HashSize];
        inner.Finish(innerHash);
        for (int i = 0; i < BlockSize; i++)
        {
            pad[i] = (byte)(block[i] ^ 0x5c);
        }
        Sha256 outer = Sha256.Create();
        outer.Append(pad);
        outer.Append(innerHash);
        outer.Finish(mac);
    }
}
