// AES in counter mode (RFC 3711 §4.1.1) over a reused ECB transform: allocation-free keystream XOR.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Sipwire.Media.Srtp;

/// <summary>
/// AES-CM: keystream block j is AES_k(IV + j). Counter blocks are built in a reused buffer and
/// encrypted in one ECB call per chunk, then XORed into the data. Not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int ChunkBlocks = 64;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the keystream that starts at <paramref name="iv"/>. The low
    /// 16 bits of the IV must be zero (always true in SRTP: the salt and index are shifted by 16,
    /// RFC 3711 §4.1.1), so block j's counter is the IV with j in its last two octets.
    /// </summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != 16 || iv[14] != 0 || iv[15] != 0)
        {
            throw new ArgumentException("The AES-CM IV is 16 octets with its low 16 bits zero.", nameof(iv));
        }

        if (data.Length > 65536 * 16)
        {
            throw new ArgumentException("AES-CM segments are limited to 2^16 blocks (RFC 3711 §4.1.1).", nameof(data));
        }

        Vector128<byte> ivVector = Vector128.Create(iv);
        int block = 0;
        int offset = 0;
        while (offset < data.Length)
        {
            int remaining = data.Length - offset;
            int blocks = Math.Min(ChunkBlocks, (remaining + 15) >> 4);
            ref byte counters = ref MemoryMarshal.GetArrayDataReference(_counters);
            for (int b = 0; b < blocks; b++)
            {
                ref byte slot = ref Unsafe.Add(ref counters, b * 16);
                ivVector.StoreUnsafe(ref slot);
                ushort j = (ushort)(block + b);
                BinaryPrimitives.WriteUInt16BigEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref slot, 14), 2), j);
            }

            int bytes = blocks * 16;
            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            Xor(data.Slice(offset, Math.Min(bytes, remaining)), _keystream);
            offset += bytes;
            block += blocks;
        }
    }

    /// <summary>Writes the raw keystream (the counter-mode encryption of zeros) into <paramref name="destination"/>.</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        destination.Clear();
        Transform(iv, destination);
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        ref byte d = ref MemoryMarshal.GetReference(data);
        ref byte k = ref MemoryMarshal.GetReference(keystream);
        int n = data.Length;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref d, (nuint)i) ^ Vector128.LoadUnsafe(ref k, (nuint)i);
            v.StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) ^= Unsafe.Add(ref k, i);
        }
    }
}
