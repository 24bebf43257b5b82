// EchoCanceller on a noiseless microphone with digital silence (exact zeros) between far-end bursts.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// A far end decoded from a codec with DTX or from a silent RTP source is exact zeros between
/// bursts, and a microphone in a quiet test fixture (or a digital loopback) adds no noise of its
/// own: the echo canceller must still learn the echo path from the bursts alone.
/// </summary>
[TestFixture]
public sealed class AecSilentFarEndTests
{
    // Syllables failed before the fix at both rates (ERLE -0.1 dB): the delay estimator locked onto
    // half the syllable period and shifted the filter away from the echo.
    [TestCase(8000, FarEnd.Syllables)]
    [TestCase(16000, FarEnd.Syllables)]
    [TestCase(8000, FarEnd.NoiseBursts)]
    [TestCase(16000, FarEnd.NoiseBursts)]
    public void AdaptsWithANoiselessMicrophoneAndDigitalSilenceBetweenBursts(int rate, FarEnd kind)
    {
        int frame = rate / 100;
        int seconds = 5;
        int total = seconds * rate;
        short[] far = Bursts(rate, total, kind);
        float[] path = EchoPath(rate);
        short[] mic = Convolve(far, path);
        var aec = new EchoCanceller(rate);
        var output = new short[total];
        for (int o = 0; o + frame <= total; o += frame)
        {
            aec.Process(mic.AsSpan(o, frame), far.AsSpan(o, frame), output.AsSpan(o, frame));
        }

        // ERLE (G.168 §3.7 sense: echo power in over echo power out) from 3 s on, output aligned by
        // the canceller's latency; only samples where the microphone holds echo count.
        int latency = aec.Latency;
        double inPower = 0;
        double outPower = 0;
        for (int i = 3 * rate; i + latency < total; i++)
        {
            inPower += (double)mic[i] * mic[i];
            outPower += (double)output[i + latency] * output[i + latency];
        }
        double erle = 10 * Math.Log10(inPower / Math.Max(outPower, 1e-9));
        TestContext.Out.WriteLine($"{rate} Hz {kind}: ERLE after 3 s {erle:F1} dB");
        Assert.That(inPower, Is.GreaterThan(0));
        Assert.That(erle, Is.GreaterThanOrEqualTo(30));
    }

    // The silent-microphone path of the delay estimator (never taken under a noisy microphone)
    // gives the same samples in scalar C#, SIMD C# and C (same tolerance as AecNativeTests).
    [Test]
    public void ScalarVectorAndCGiveTheSameSamples([Values(8000, 16000)] int rate)
    {
        int frame = rate / 100;
        int total = 4 * rate;
        short[] far = Bursts(rate, total, FarEnd.Syllables);
        short[] mic = Convolve(far, EchoPath(rate));
        var scalar = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, Vectorized = false });
        var vector = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, Vectorized = true });
        using var native = new AecNativeTests.NativeAec(rate, 128, suppression: true);
        var a = new short[total];
        var b = new short[total];
        var c = new short[total];
        for (int o = 0; o + frame <= total; o += frame)
        {
            scalar.Process(mic.AsSpan(o, frame), far.AsSpan(o, frame), a.AsSpan(o, frame));
            vector.Process(mic.AsSpan(o, frame), far.AsSpan(o, frame), b.AsSpan(o, frame));
            native.Process(mic.AsSpan(o, frame), far.AsSpan(o, frame), c.AsSpan(o, frame));
        }
        Assert.That(b, Is.EqualTo(a));
        int differ = 0;
        for (int i = 0; i < total; i++)
        {
            differ += Math.Abs(c[i] - a[i]) > 1 ? 1 : 0;
        }
        Assert.That(differ, Is.LessThanOrEqualTo(total / 1000), "samples where C and C# differ by more than 1 LSB");
    }

    /// <summary>Far-end signals made of bursts with exact zeros between them.</summary>
    public enum FarEnd
    {
        /// <summary>Speech-like: noise under a half-wave 4 Hz syllable envelope (125 ms on, 125 ms zeros).</summary>
        Syllables,

        /// <summary>200 ms bursts of noise (sum of four uniforms, about -16 dBov), 200 ms of zeros.</summary>
        NoiseBursts,
    }

    private static short[] Bursts(int rate, int total, FarEnd kind)
    {
        var random = new Random(5);
        var x = new short[total];
        for (int i = 0; i < total; i++)
        {
            double v = 0;
            switch (kind)
            {
                case FarEnd.Syllables:
                    for (int k = 0; k < 4; k++)
                    {
                        v += random.NextDouble() - 0.5;
                    }
                    v *= 9000 * Math.Max(0, Math.Sin(2 * Math.PI * 4 * i / rate));
                    break;
                default:
                    if (i % (2 * rate / 5) < rate / 5)
                    {
                        for (int k = 0; k < 4; k++)
                        {
                            v += random.NextDouble() - 0.5;
                        }
                        v *= 9000;
                    }
                    break;
            }
            x[i] = (short)Math.Round(v);
        }
        return x;
    }

    // 4 ms of flight delay, then 30 ms of exponentially decaying random reflections (-60 dB over
    // the tail), scaled for an ERL of 6 dB.
    private static float[] EchoPath(int rate)
    {
        var random = new Random(11);
        int delay = rate * 4 / 1000;
        int tail = rate * 30 / 1000;
        var h = new double[delay + tail];
        double energy = 0;
        for (int k = 0; k < tail; k++)
        {
            double v = (random.NextDouble() - 0.5) * Math.Exp(-6.9 * k / tail);
            h[delay + k] = v;
            energy += v * v;
        }
        var r = new float[h.Length];
        double scale = 0.5 / Math.Sqrt(energy);
        for (int k = 0; k < h.Length; k++)
        {
            r[k] = (float)(h[k] * scale);
        }
        return r;
    }

    private static short[] Convolve(short[] x, float[] h)
    {
        var y = new short[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double acc = 0;
            for (int k = 0; k < h.Length && k <= i; k++)
            {
                acc += h[k] * x[i - k];
            }
            y[i] = (short)Math.Clamp(Math.Round(acc), short.MinValue, short.MaxValue);
        }
        return y;
    }
}
