// NoiseSuppressor: noise attenuated by about its floor, speech kept, scalar == SIMD, bad arguments.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class NsTests
{
    // 6 s: talker (-26 dBov rms while on) in 400 ms spurts from 2 s on, white noise at -46 dBov.
    internal static (short[] Noisy, float[] Clean, float[] Noise) Build(int rate, int seed)
    {
        int n = 6 * rate;
        var rng = new Random(seed);
        float[] talker = AecScenario.NearTalker(rate, n, seed);
        double rms = 0;
        foreach (float v in talker)
        {
            rms += (double)v * v;
        }
        rms = Math.Sqrt(rms / n);
        double g = 32768 * Math.Pow(10, -26 / 20.0) / rms;
        double noiseRms = 32768 * Math.Pow(10, -46 / 20.0);
        var noisy = new short[n];
        var clean = new float[n];
        var noise = new float[n];
        for (int i = 0; i < n; i++)
        {
            bool on = i >= 2 * rate && (i / (rate * 4 / 10)) % 2 == 0;
            clean[i] = on ? (float)(talker[i] * g) : 0f;
            noise[i] = (float)(((rng.NextDouble() * 2) - 1) * noiseRms * Math.Sqrt(3));
            noisy[i] = (short)Math.Clamp(Math.Round(clean[i] + noise[i]), -32768, 32767);
        }
        return (noisy, clean, noise);
    }

    internal static short[] Run(NoiseSuppressor ns, short[] x)
    {
        int frame = ns.FrameSize;
        var y = new short[x.Length];
        for (int i = 0; i + frame <= x.Length; i += frame)
        {
            ns.Process(x.AsSpan(i, frame), y.AsSpan(i, frame));
        }
        return y;
    }

    [Test]
    public void AttenuatesNoiseAndKeepsSpeech([Values(8000, 16000)] int rate)
    {
        (short[] noisy, float[] clean, _) = Build(rate, 3);
        var ns = new NoiseSuppressor(rate);
        short[] y = Run(ns, noisy);
        int lag = ns.FrameSize;
        // Noise-only stretch 1-2 s (after one second of learning).
        double pIn = 0;
        double pOut = 0;
        for (int i = rate; i < 2 * rate; i++)
        {
            pIn += (double)noisy[i] * noisy[i];
            pOut += (double)y[i + lag] * y[i + lag];
        }
        double noiseReduction = 10 * Math.Log10(pIn / pOut);
        // Speech gain: least-squares gain of the clean talker in the output over the spurts.
        double cross = 0;
        double power = 0;
        for (int i = 2 * rate; i + lag < noisy.Length; i++)
        {
            cross += clean[i] * (double)y[i + lag];
            power += (double)clean[i] * clean[i];
        }
        double speechGain = 20 * Math.Log10(cross / power);
        TestContext.Out.WriteLine($"{rate} Hz: noise reduced {noiseReduction:F1} dB, speech gain {speechGain:F2} dB");
        Assert.That(noiseReduction, Is.GreaterThan(11).And.LessThan(16), "about the 15 dB floor");
        Assert.That(speechGain, Is.GreaterThan(-1.5), "speech at 20 dB SNR is kept");
    }

    [Test]
    public void ScalarAndVectorGiveTheSameSamples([Values(8000, 16000)] int rate)
    {
        (short[] noisy, _, _) = Build(rate, 5);
        short[] a = Run(new NoiseSuppressor(rate, 15, vectorized: false), noisy);
        short[] b = Run(new NoiseSuppressor(rate, 15, vectorized: true), noisy);
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NoiseSuppressor(11025));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NoiseSuppressor(8000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NoiseSuppressor(8000, 41));
        var ns = new NoiseSuppressor(16000);
        Assert.Throws<ArgumentException>(() => ns.Process(new short[80], new short[160]));
        Assert.Throws<ArgumentException>(() => ns.Process(new short[160], new short[80]));
    }
}
