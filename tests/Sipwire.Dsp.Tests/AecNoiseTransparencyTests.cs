// The residual echo suppressor in far-end single talk: output at the near-end noise level, comfort noise where it removed, no musical noise.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class AecNoiseTransparencyTests
{
    private const int Rate = 16000;
    private const int Frame = 160;
    private const int Fft = 256;
    private const int Hop = 128;
    private static readonly double[] s_room = [4.2, 3.4, 2.7];

    // 8 s of far-end single talk (no double talk, no path change); the span measured is 4-7 s.
    private static AecScenario Build(bool whiteFarEnd, double noiseDb, bool pink)
    {
        int n = 8 * Rate;
        float[] far = AecScenario.FarSignal(whiteFarEnd ? AecScenario.Source.WhiteNoise : AecScenario.Source.CompositeSource, Rate, n, 1);
        float[] rir = AecScenario.RoomImpulseResponse(Rate, 0.15, s_room, [1.2, 1.5, 1.1], [1.5, 1.7, 1.2], Rate / 4);
        return AecScenario.Build(Rate, far, rir, null, -1, -1, -1, noiseDb, 0, 7, pink);
    }

    private static double PowerDb(ReadOnlySpan<short> x, int offset, float[]? reference = null)
    {
        double p = 0;
        double q = 0;
        for (int i = 4 * Rate; i < 7 * Rate; i++)
        {
            p += (double)x[i + offset] * x[i + offset];
            q += reference == null ? 1 : (double)reference[i] * reference[i];
        }
        return 10 * Math.Log10((p + 1e-9) / (q + 1e-9));
    }

    [TestCase(false, -60, false)]
    [TestCase(true, -60, false)]
    [TestCase(false, -45, true)]
    [TestCase(true, -45, true)]
    public void FarEndSingleTalkOutputIsTheNearEndNoiseFloor(bool whiteFarEnd, double noiseDb, bool pink)
    {
        // Noise transparency (ITU-T P.1110 §8.9 asks for a steady background noise between talk
        // states): in far-end single talk the output stands at the microphone's own noise level,
        // neither muted nor raised. Comfort noise is added after every decision and feeds nothing
        // back, so the difference of the outputs with and without it is exactly the injected noise.
        AecScenario sc = Build(whiteFarEnd, noiseDb, pink);
        var full = new EchoCanceller(Rate);
        var withoutCn = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, ComfortNoise = false });
        short[] a = sc.Run(Frame, full.Process);
        short[] b = sc.Run(Frame, withoutCn.Process);
        int latency = full.Latency;
        var cn = new short[a.Length];
        for (int i = 0; i < cn.Length; i++)
        {
            cn[i] = (short)Math.Clamp(a[i] - b[i], short.MinValue, short.MaxValue);
        }
        double output = PowerDb(a, latency, sc.Near);
        double injected = PowerDb(cn, latency, sc.Near);
        double passed = PowerDb(b, latency, sc.Near);
        double nearPass = sc.NearEndPassDb(a, latency, 4, 7);
        double erle = AecScenario.MeanErle(sc.ErleEcho(a, latency, Rate / 2), Rate / 2, Rate, 4, 7);
        double echoErle = AecScenario.MeanErle(sc.ErleEcho(b, latency, Rate / 2), Rate / 2, Rate, 4, 7);
        TestContext.Out.WriteLine($"re the near-end noise: output {output:F1} dB, without comfort noise {passed:F1} dB, comfort noise {injected:F1} dB, near-end noise itself passed {nearPass:F1} dB; echo-only ERLE {erle:F1} dB, without the comfort noise {echoErle:F1} dB");
        Assert.Multiple(() =>
        {
            // Far end active from the first sample, so the noise is learned under the echo. Measured
            // -0.4 / +1.7 dB (css / white far end, -60 dB white noise), -3.0 / -2.4 dB (-45 dB pink):
            // the white far end leaves the linear stage's residual 4 dB under the noise, which the
            // floor estimate cannot tell from it (+1.4 dB); pink noise loses about 2 dB to the DC blocker.
            Assert.That(output, Is.InRange(-4.0, 3.0), "output level re the near-end noise");
            // In far-end single talk the suppressor takes every bin the echo reaches down under the
            // noise and comfort noise carries the background (the output range above catches a
            // hole): it may never raise the floor.
            Assert.That(injected, Is.LessThan(2.0), "comfort noise no louder than the near-end noise");
            Assert.That(erle, Is.GreaterThan(-noiseDb - 5), "residual echo plus comfort noise about at the noise floor");
            // The echo itself (comfort noise aside) goes far under the noise: measured 76.5 dB on css
            // at -45 dB pink, 69.9 dB before every echo bin in far-end single talk took the floor
            // (the other three cases round to digital zero without comfort noise).
            Assert.That(echoErle, Is.GreaterThan(-noiseDb + 28), "residual echo at least 28 dB under the noise floor");
        });
    }

    [TestCase(false, -60)]
    [TestCase(true, -45)]
    public void SuppressorAddsNoMusicalNoise(bool whiteFarEnd, double noiseDb)
    {
        // Musical noise: isolated bins switched on and off from block to block. Over the 4-7 s span,
        // per STFT bin (256-point Hann, hop 128): the normalized variance of the power over time
        // (1 for Gaussian noise; switching gains make it heavier-tailed) and the spectral flatness
        // of the mean power over the bins (holes carved into the floor lower it). Both are compared
        // with the same canceller without the suppressor, whose output is the near-end noise plus
        // the linear filter's residual.
        AecScenario sc = Build(whiteFarEnd, noiseDb, pink: false);
        var full = new EchoCanceller(Rate);
        var linear = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false });
        (double variance, double flatness) = Texture(sc.Run(Frame, full.Process), full.Latency);
        (double linearVariance, double linearFlatness) = Texture(sc.Run(Frame, linear.Process), linear.Latency);
        TestContext.Out.WriteLine($"normalized variance {variance:F2} (linear stage {linearVariance:F2}), flatness {flatness:F3} (linear stage {linearFlatness:F3})");
        Assert.Multiple(() =>
        {
            Assert.That(variance, Is.LessThan(1.25 * linearVariance), "per-bin power variance over time");
            Assert.That(flatness, Is.GreaterThan(0.9 * linearFlatness), "spectral flatness of the floor");
        });
    }

    private static (double Variance, double Flatness) Texture(short[] output, int latency)
    {
        int bins = (Fft / 2) + 1;
        var hann = new double[Fft];
        for (int i = 0; i < Fft; i++)
        {
            hann[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Fft));
        }
        var sum = new double[bins];
        var sum2 = new double[bins];
        var re = new double[Fft];
        var im = new double[Fft];
        int frames = 0;
        for (int at = 4 * Rate; at + Fft <= 7 * Rate; at += Hop)
        {
            for (int i = 0; i < Fft; i++)
            {
                re[i] = hann[i] * output[at + i + latency];
                im[i] = 0;
            }
            AecScenario.ComplexFft(re, im);
            for (int f = 0; f < bins; f++)
            {
                double p = (re[f] * re[f]) + (im[f] * im[f]);
                sum[f] += p;
                sum2[f] += p * p;
            }
            frames++;
        }
        double variance = 0;
        double logMean = 0;
        double mean = 0;
        int used = 0;
        for (int f = 4; f < bins - 4; f++)
        {
            double m = sum[f] / frames;
            double v = (sum2[f] / frames) - (m * m);
            variance += v / ((m * m) + 1e-12);
            logMean += Math.Log(m + 1e-12);
            mean += m;
            used++;
        }
        return (variance / used, Math.Exp(logMean / used) / (mean / used));
    }
}
