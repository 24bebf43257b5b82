// G.722 against Debian's SpanDSP called live (the differential reference) and against native/src/g722.c.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class G722SpanDspTests
{
    private const int Rate64k = 64000;

    [Test]
    public void EncoderMatchesSpanDspOnFullScaleNoise([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        var pcm = new short[16000];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        Assert.That(EncodeCSharp(pcm, 320), Is.EqualTo(EncodeSpanDsp(pcm)));
    }

    [Test]
    public void EncoderMatchesSpanDspOnTonesAndSilence([Values(1, 2, 3)] int seed)
    {
        short[] pcm = TonesAndSilence(seed, 32000, 12000);
        Assert.That(EncodeCSharp(pcm, 160), Is.EqualTo(EncodeSpanDsp(pcm)));
    }

    [Test]
    public void DecoderMatchesSpanDspWhenTheOutputDoesNotOverflow([Values(1, 2, 3)] int seed)
    {
        // At these levels the receive QMF never overflows, so SpanDSP's wrap and the reference's
        // limiter agree and the outputs must be identical.
        short[] pcm = TonesAndSilence(seed, 32000, 12000);
        byte[] codes = EncodeSpanDsp(pcm);
        short[] want = DecodeSpanDsp(codes);
        Assert.That(want, Has.None.EqualTo(short.MaxValue).And.None.EqualTo(short.MinValue));
        Assert.That(G722VectorTests.DecodeInFrames(new G722Decoder(), codes, 160), Is.EqualTo(want));
    }

    [Test]
    public void CLibraryMatchesCSharp([Values(1, 2)] int seed)
    {
        NativeKernels.RequireLibrary();

        // The generated structs must match the library's layout (the bindings are not stale).
        Assert.That(G722Native.sw_g722_encoder_get_size(), Is.EqualTo(sizeof(sw_g722_encoder)));
        Assert.That(G722Native.sw_g722_decoder_get_size(), Is.EqualTo(sizeof(sw_g722_decoder)));

        // Loud tones plus full-scale bursts: the encoder saturations and the decoder limiter both run.
        short[] pcm = TonesAndSilence(seed, 16000, 32767);
        var codesC = new byte[pcm.Length / 2];
        var pcmC = new short[pcm.Length];
        sw_g722_encoder encoder = default;
        sw_g722_decoder decoder = default;
        sw_g722_encoder* enc = &encoder;
        sw_g722_decoder* dec = &decoder;
        fixed (short* input = pcm)
        fixed (byte* codes = codesC)
        fixed (short* output = pcmC)
        {
            Assert.That(G722Native.sw_g722_encoder_init(enc), Is.Zero);
            Assert.That(G722Native.sw_g722_decoder_init(dec), Is.Zero);
            for (int pos = 0; pos < pcm.Length; pos += 320)
            {
                Assert.That(G722Native.sw_g722_encode(enc, input + pos, codes + (pos / 2), 320), Is.Zero);
                Assert.That(G722Native.sw_g722_decode(dec, codes + (pos / 2), output + pos, 160), Is.Zero);
            }

            Assert.That(G722Native.sw_g722_encode(enc, input, codes, 3), Is.EqualTo(-1), "odd sample count");
        }

        byte[] codesCSharp = EncodeCSharp(pcm, 320);
        Assert.That(codesC, Is.EqualTo(codesCSharp));
        Assert.That(pcmC, Is.EqualTo(G722VectorTests.DecodeInFrames(new G722Decoder(), codesCSharp, 160)));
    }

    /// <summary>Sums of a few tones with random frequencies and attack/decay envelopes, separated by silence.</summary>
    private static short[] TonesAndSilence(int seed, int length, int peak)
    {
        var random = new Random(seed * 7919);
        var pcm = new short[length];
        int pos = 0;
        while (pos < length)
        {
            int burst = Math.Min(length - pos, random.Next(800, 4000));
            double f1 = random.Next(80, 4000), f2 = random.Next(200, 7900), f3 = random.Next(50, 400);
            for (int i = 0; i < burst; i++)
            {
                double t = i / 16000.0;
                double envelope = Math.Sin(Math.PI * i / burst);
                double v = (0.5 * Math.Sin(2 * Math.PI * f1 * t)) + (0.3 * Math.Sin(2 * Math.PI * f2 * t)) + (0.2 * Math.Sin(2 * Math.PI * f3 * t));
                pcm[pos + i] = (short)Math.Clamp(Math.Round(peak * envelope * v) + random.Next(-64, 65), short.MinValue, short.MaxValue);
            }

            pos += burst;
            pos += Math.Min(length - pos, random.Next(0, 1600)); // silence
        }

        return pcm;
    }

    private static byte[] EncodeCSharp(short[] pcm, int frameSamples)
    {
        var encoder = new G722Encoder();
        var codes = new byte[pcm.Length / 2];
        for (int pos = 0; pos < pcm.Length; pos += frameSamples)
        {
            int len = Math.Min(frameSamples, pcm.Length - pos);
            encoder.Encode(pcm.AsSpan(pos, len), codes.AsSpan(pos / 2));
        }

        return codes;
    }

    private static byte[] EncodeSpanDsp(short[] pcm)
    {
        var init = (delegate* unmanaged<nint, int, int, nint>)NativeKernels.SpanDspExport("g722_encode_init");
        var encode = (delegate* unmanaged<nint, byte*, short*, int, int>)NativeKernels.SpanDspExport("g722_encode");
        var free = (delegate* unmanaged<nint, int>)NativeKernels.SpanDspExport("g722_encode_free");
        nint state = init(0, Rate64k, 0);
        Assert.That(state, Is.Not.Zero);
        var codes = new byte[pcm.Length / 2];
        int written;
        fixed (short* input = pcm)
        fixed (byte* output = codes)
        {
            written = encode(state, output, input, pcm.Length);
        }

        free(state);
        Assert.That(written, Is.EqualTo(codes.Length));
        return codes;
    }

    private static short[] DecodeSpanDsp(byte[] codes)
    {
        var init = (delegate* unmanaged<nint, int, int, nint>)NativeKernels.SpanDspExport("g722_decode_init");
        var decode = (delegate* unmanaged<nint, short*, byte*, int, int>)NativeKernels.SpanDspExport("g722_decode");
        var free = (delegate* unmanaged<nint, int>)NativeKernels.SpanDspExport("g722_decode_free");
        nint state = init(0, Rate64k, 0);
        Assert.That(state, Is.Not.Zero);
        var pcm = new short[2 * codes.Length];
        int written;
        fixed (byte* input = codes)
        fixed (short* output = pcm)
        {
            written = decode(state, output, input, codes.Length);
        }

        free(state);
        Assert.That(written, Is.EqualTo(pcm.Length));
        return pcm;
    }
}
