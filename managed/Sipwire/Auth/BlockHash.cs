// SPDX-License-Identifier: MIT
// The block buffering and Merkle-Damgard padding that MD5, SHA-256 and SHA-512 share.

using System;

namespace Sipwire.Auth;

/// <summary>A hash built on a compression function over fixed-size blocks.</summary>
internal interface IBlockHash
{
    /// <summary>Mixes one whole block into the state.</summary>
    void Compress(ReadOnlySpan<byte> block);
}

/// <summary>Feeds bytes to a compression function through a pending partial block.</summary>
internal static class BlockHash
{
    /// <summary>Adds <paramref name="data"/>; <paramref name="pending"/> is the hash's block-sized buffer.</summary>
    public static void Append<T>(ref T hash, Span<byte> pending, ref ulong length, ReadOnlySpan<byte> data)
        where T : struct, IBlockHash
    {
        int blockSize = pending.Length;
        int used = (int)(length % (ulong)blockSize);
        length += (ulong)data.Length;
        if (used > 0)
        {
            int take = Math.Min(blockSize - used, data.Length);
            data[..take].CopyTo(pending[used..]);
            data = data[take..];
            if (used + take < blockSize)
            {
                return;
            }
            hash.Compress(pending);
        }
        while (data.Length >= blockSize)
        {
            hash.Compress(data[..blockSize]);
            data = data[blockSize..];
        }
        data.CopyTo(pending);
    }

    /// <summary>
    /// Writes the final padding into <paramref name="padding"/> and returns its length: a 1 bit, zeros up
    /// to <paramref name="lengthFieldSize"/> bytes before a block end (RFC 1321 §3.1, FIPS 180-4 §5.1);
    /// the caller writes the bit length into the last <paramref name="lengthFieldSize"/> bytes.
    /// </summary>
    public static int Pad(ulong length, int blockSize, int lengthFieldSize, Span<byte> padding)
    {
        int used = (int)(length % (ulong)blockSize);
        int zeroFill = (blockSize - lengthFieldSize - used - 1 + blockSize) % blockSize;
        int total = 1 + zeroFill + lengthFieldSize;
        padding[..total].Clear();
        padding[0] = 0x80;
        return total;
    }
}
