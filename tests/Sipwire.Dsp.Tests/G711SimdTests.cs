// G.711 SIMD paths against the scalar reference on seeded random data, at lengths that hit the vector tails.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G711SimdTests
{
    private static readonly int[] s_lengths = [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 80, 160, 320];
    private static readonly G711Path[] s_simdPaths = [G711Path.Dispatch, G711Path.Vector128, G711Path.Vector256];

    [Test]
    public void EncodeMatchesScalar(
        [ValueSource(nameof(s_simdPaths))] G711Path path,
        [Values(false, true)] bool aLaw,
        [ValueSource(nameof(s_lengths))] int length,
        [Values(0, 1)] int offset)
    {
        var random = new Random(8711 + length);
        for (int round = 0; round < 20; round++)
        {
            // An odd start offset makes the vector loads unaligned.
            short[] pcm = RandomPcm(random, length + offset);
            var want = new byte[length + offset + 1];
            var got = new byte[length + offset + 1];
            want[^1] = got[^1] = 0x5A; // guard byte past the end must survive

            G711Paths.Encode(G711Path.Scalar, aLaw, pcm.AsSpan(offset), want.AsSpan(offset));
            G711Paths.Encode(path, aLaw, pcm.AsSpan(offset), got.AsSpan(offset));

            Assert.That(got, Is.EqualTo(want), $"round {round}");
        }
    }

    [Test]
    public void DecodeMatchesScalar(
        [ValueSource(nameof(s_simdPaths))] G711Path path,
        [Values(false, true)] bool aLaw,
        [ValueSource(nameof(s_lengths))] int length,
        [Values(0, 1)] int offset)
    {
        var random = new Random(7118 + length);
        for (int round = 0; round < 20; round++)
        {
            var codes = new byte[length + offset];
            random.NextBytes(codes);
            var want = new short[length + offset + 1];
            var got = new short[length + offset + 1];
            want[^1] = got[^1] = 0x5A5A;

            G711Paths.Decode(G711Path.Scalar, aLaw, codes.AsSpan(offset), want.AsSpan(offset));
            G711Paths.Decode(path, aLaw, codes.AsSpan(offset), got.AsSpan(offset));

            Assert.That(got, Is.EqualTo(want), $"round {round}");
        }
    }

    /// <summary>Uniform int16 mixed with small and segment-edge values, where the folding and the segment search matter.</summary>
    private static short[] RandomPcm(Random random, int length)
    {
        var pcm = new short[length];
        for (int i = 0; i < length; i++)
        {
            pcm[i] = (random.Next(4)) switch
            {
                0 => (short)random.Next(short.MinValue, short.MaxValue + 1),
                1 => (short)random.Next(-300, 301),
                2 => (short)((1 << random.Next(15)) + random.Next(-3, 4)),
                _ => (short)(-(1 << random.Next(16)) + random.Next(-3, 4)),
            };
        }

        return pcm;
    }
}
