// Vad: talk spurts over noise are detected, pauses past the hangover are not, noise steps are learned.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class VadTests
{
    // 2 s of noise at -60 dBov, then 8 cycles of a 400 ms talk spurt (-26 dBov) and a 400 ms pause.
    internal static (short[] Signal, bool[] Speech) Build(int rate, int seed)
    {
        int frame = rate / 100;
        int frames = 200 + (8 * 80);
        var x = new short[frames * frame];
        var speech = new bool[frames];
        var rng = new Random(seed);
        float[] talker = AecScenario.NearTalker(rate, x.Length, seed);
        double noiseRms = 32768 * Math.Pow(10, -60 / 20.0);
        double talkerRms = 0;
        foreach (float v in talker)
        {
            talkerRms += (double)v * v;
        }
        talkerRms = Math.Sqrt(talkerRms / talker.Length);
        double g = 32768 * Math.Pow(10, -26 / 20.0) / talkerRms;
        for (int f = 0; f < frames; f++)
        {
            bool on = f >= 200 && (f - 200) % 80 < 40;
            speech[f] = on;
            for (int i = 0; i < frame; i++)
            {
                int n = (f * frame) + i;
                double v = (((rng.NextDouble() * 2) - 1) * noiseRms * Math.Sqrt(3)) + (on ? talker[n] * g : 0);
                x[n] = (short)Math.Clamp(Math.Round(v), -32768, 32767);
            }
        }
        return (x, speech);
    }

    [Test]
    public void DetectsTalkSpurtsAndPauses([Values(8000, 16000)] int rate)
    {
        (short[] x, bool[] speech) = Build(rate, 4);
        var vad = new Vad(rate);
        int frame = vad.FrameSize;
        int hit = 0;
        int speechFrames = 0;
        int falseAlarm = 0;
        int quietFrames = 0;
        for (int f = 0; f < speech.Length; f++)
        {
            bool active = vad.Process(x.AsSpan(f * frame, frame));
            int phase = f < 200 ? -1 : (f - 200) % 80;
            // The syllabic envelope of the talker is zero for part of every 250 ms: count voiced
            // frames as those whose own energy is clearly above the noise.
            if (speech[f] && phase >= 0)
            {
                speechFrames++;
                hit += active ? 1 : 0;
            }
            // Pauses after the 200 ms hangover, and the leading noise after the first 300 ms.
            if ((phase >= 60) || (f >= 30 && f < 200))
            {
                quietFrames++;
                falseAlarm += active ? 1 : 0;
            }
        }
        TestContext.Out.WriteLine($"{rate} Hz: detected {hit}/{speechFrames} speech frames, {falseAlarm}/{quietFrames} false alarms, floor {vad.NoiseFloorDbov:F1} dBov");
        Assert.That(hit, Is.GreaterThanOrEqualTo(speechFrames * 85 / 100));
        Assert.That(falseAlarm, Is.LessThanOrEqualTo(quietFrames / 20));
        Assert.That(vad.NoiseFloorDbov, Is.EqualTo(-60).Within(4));
    }

    [Test]
    public void LearnsAStepUpInBackgroundNoise()
    {
        var vad = new Vad(16000);
        var rng = new Random(1);
        var frame = new short[160];
        bool active = false;
        for (int f = 0; f < 1500; f++)
        {
            double rms = 32768 * Math.Pow(10, (f < 300 ? -60 : -40) / 20.0);
            for (int i = 0; i < 160; i++)
            {
                frame[i] = (short)Math.Round(((rng.NextDouble() * 2) - 1) * rms * Math.Sqrt(3));
            }
            active = vad.Process(frame);
        }
        Assert.That(active, Is.False, "12 s after a 20 dB noise step the noise is background again");
        Assert.That(vad.NoiseFloorDbov, Is.EqualTo(-40).Within(4));
    }

    [Test]
    public void ScalarAndSimdPathsDecideAlike([Values(8000, 16000)] int rate)
    {
        (short[] x, _) = Build(rate, 5);
        var simd = new Vad(rate, vectorized: true);
        var scalar = new Vad(rate, vectorized: false);
        int frame = simd.FrameSize;
        for (int f = 0; (f + 1) * frame <= x.Length; f++)
        {
            Assert.That(simd.Process(x.AsSpan(f * frame, frame)), Is.EqualTo(scalar.Process(x.AsSpan(f * frame, frame))), $"frame {f}");
        }
        Assert.That(simd.NoiseFloorDbov, Is.EqualTo(scalar.NoiseFloorDbov));
    }

    [Test]
    public void RejectsBadRatesAndFrames()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Vad(44100));
        var vad = new Vad(8000);
        Assert.Throws<ArgumentException>(() => vad.Process(new short[160]));
    }
}
