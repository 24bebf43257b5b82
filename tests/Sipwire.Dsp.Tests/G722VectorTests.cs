// G.722 encoder and decoder on every QMF path against the SpanDSP-derived vectors in tests/vectors/g722.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G722VectorTests
{
    // QMF paths by name: the enum is internal to Sipwire.Dsp, test methods are public.
    private static readonly string[] s_paths = [nameof(G722QmfPath.Auto), nameof(G722QmfPath.Scalar), nameof(G722QmfPath.Vector128), nameof(G722QmfPath.Vector256)];

    [Test]
    public void EncodesSpeechLikeSignalLikeSpanDsp(
        [ValueSource(nameof(s_paths))] string path,
        [Values(320, 160, 2, 18, 48000)] int frameSamples)
    {
        short[] pcm = KernelVectors.ReadS16Le("g722/speech_like.s16le");
        byte[] want = KernelVectors.ReadBytes("g722/speech_like.g722");
        Assert.That(want, Has.Length.EqualTo(pcm.Length / 2));

        var encoder = new G722Encoder(Enum.Parse<G722QmfPath>(path));
        var got = new byte[want.Length];
        for (int pos = 0; pos < pcm.Length; pos += frameSamples)
        {
            int len = Math.Min(frameSamples, pcm.Length - pos);
            Assert.That(encoder.Encode(pcm.AsSpan(pos, len), got.AsSpan(pos / 2)), Is.EqualTo(len / 2));
        }

        Assert.That(FirstDifference(got, want), Is.EqualTo(-1), "first differing octet");
    }

    [Test]
    public void DecodesSpeechLikeCodesLikeTheReference(
        [ValueSource(nameof(s_paths))] string path,
        [Values(160, 80, 1, 9, 24000)] int frameOctets)
    {
        byte[] codes = KernelVectors.ReadBytes("g722/speech_like.g722");
        short[] want = KernelVectors.ReadS16Le("g722/speech_like.decoded.s16le");
        Assert.That(DecodeInFrames(new G722Decoder(Enum.Parse<G722QmfPath>(path)), codes, frameOctets), Is.EqualTo(want));
    }

    [Test]
    public void DecodesArbitraryOctetsLikeTheReference([ValueSource(nameof(s_paths))] string path)
    {
        byte[] codes = KernelVectors.ReadBytes("g722/random_codes.g722");
        short[] want = KernelVectors.ReadS16Le("g722/random_codes.decoded.s16le");
        Assert.That(DecodeInFrames(new G722Decoder(Enum.Parse<G722QmfPath>(path)), codes, 80), Is.EqualTo(want));
    }

    [Test]
    public void ResetRestartsTheStream()
    {
        short[] pcm = KernelVectors.ReadS16Le("g722/speech_like.s16le");
        byte[] want = KernelVectors.ReadBytes("g722/speech_like.g722");
        var encoder = new G722Encoder();
        var scratch = new byte[160];
        encoder.Encode(pcm.AsSpan(1000, 320), scratch);
        encoder.Reset();
        var got = new byte[160];
        encoder.Encode(pcm.AsSpan(0, 320), got);
        Assert.That(got, Is.EqualTo(want.AsSpan(0, 160).ToArray()));

        var decoder = new G722Decoder();
        var pcmOut = new short[320];
        decoder.Decode(want.AsSpan(500, 160), pcmOut);
        decoder.Reset();
        decoder.Decode(want.AsSpan(0, 160), pcmOut);
        Assert.That(pcmOut, Is.EqualTo(KernelVectors.ReadS16Le("g722/speech_like.decoded.s16le").AsSpan(0, 320).ToArray()));
    }

    [Test]
    public void RejectsOddSampleCountsAndShortBuffersWithoutConsumingInput()
    {
        short[] pcm = KernelVectors.ReadS16Le("g722/speech_like.s16le");
        byte[] want = KernelVectors.ReadBytes("g722/speech_like.g722");
        var encoder = new G722Encoder();
        var codes = new byte[160];
        Assert.Throws<ArgumentException>(() => encoder.Encode(pcm.AsSpan(0, 319), codes));
        Assert.Throws<ArgumentException>(() => encoder.Encode(pcm.AsSpan(0, 320), codes.AsSpan(0, 159)));

        // The rejected calls left the state untouched: the stream still matches from the start.
        encoder.Encode(pcm.AsSpan(0, 320), codes);
        Assert.That(codes, Is.EqualTo(want.AsSpan(0, 160).ToArray()));

        var decoder = new G722Decoder();
        Assert.Throws<ArgumentException>(() => decoder.Decode(want.AsSpan(0, 160), new short[319]));
    }

    internal static short[] DecodeInFrames(G722Decoder decoder, byte[] codes, int frameOctets)
    {
        var pcm = new short[2 * codes.Length];
        for (int pos = 0; pos < codes.Length; pos += frameOctets)
        {
            int len = Math.Min(frameOctets, codes.Length - pos);
            Assert.That(decoder.Decode(codes.AsSpan(pos, len), pcm.AsSpan(2 * pos)), Is.EqualTo(2 * len));
        }

        return pcm;
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return a.Length == b.Length ? -1 : n;
    }
}
