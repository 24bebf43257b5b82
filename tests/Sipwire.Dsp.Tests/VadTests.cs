// Vad: talk spurts over noise (also at 0 dB SNR) are detected, pauses past the hangover are not, noise steps are learned.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class VadTests
{
    // 2 s of white noise at noiseDbov, then 8 cycles of a 400 ms talk spurt (-26 dBov) and a 400 ms pause.
    internal static (short[] Signal, bool[] Speech) Build(int rate, int seed, double noiseDbov = -60)
    {
        int frame = rate / 100;
        int frames = 200 + (8 * 80);
        var x = new short[frames * frame];
        var speech = new bool[frames];
        var rng = new Random(seed);
        float[] talker = AecScenario.NearTalker(rate, x.Length, seed);
        double noiseRms = 32768 * Math.Pow(10, noiseDbov / 20.0);
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

    // Runs a detector over a Build signal: speech frames detected, pause frames (after the 200 ms
    // hangover, and the leading noise after its first 300 ms) called speech, and frames after the
    // first 2 s judged non-stationary.
    private static (int Hit, int SpeechFrames, int FalseAlarm, int QuietFrames, int NonStationary) Score(Vad vad, short[] x, bool[] speech)
    {
        int frame = vad.FrameSize;
        int hit = 0;
        int speechFrames = 0;
        int falseAlarm = 0;
        int quietFrames = 0;
        int nonStationary = 0;
        for (int f = 0; f < speech.Length; f++)
        {
            bool active = vad.Process(x.AsSpan(f * frame, frame));
            int phase = f < 200 ? -1 : (f - 200) % 80;
            if (speech[f])
            {
                speechFrames++;
                hit += active ? 1 : 0;
            }
            if ((phase >= 60) || (f >= 30 && f < 200))
            {
                quietFrames++;
                falseAlarm += active ? 1 : 0;
            }
            nonStationary += f >= 200 && vad.NonStationary ? 1 : 0;
        }
        return (hit, speechFrames, falseAlarm, quietFrames, nonStationary);
    }

    [Test]
    public void DetectsTalkerInWhiteNoiseAt0DbSnr([Values(8000, 16000)] int rate)
    {
        // The talker's power equals the noise's over the whole band: the full-band energy rises
        // 3 dB at most, but its formant bands stand well above the noise in them.
        (short[] x, bool[] speech) = Build(rate, 6, noiseDbov: -26);
        var vad = new Vad(rate);
        (int hit, int speechFrames, int falseAlarm, int quietFrames, int nonStationary) = Score(vad, x, speech);
        TestContext.Out.WriteLine($"{rate} Hz, 0 dB SNR: detected {hit}/{speechFrames}, {falseAlarm}/{quietFrames} false alarms, non-stationary {nonStationary} frames");
        Assert.That(hit, Is.GreaterThanOrEqualTo(speechFrames * 75 / 100), "talk spurts detected");
        Assert.That(falseAlarm, Is.LessThanOrEqualTo(quietFrames / 20), "pauses called speech");
        Assert.That(nonStationary, Is.Zero, "white noise with speech over it is stationary");
    }

    [Test]
    public void DetectsTalkSpurtsAndPauses([Values(8000, 16000)] int rate)
    {
        (short[] x, bool[] speech) = Build(rate, 4);
        var vad = new Vad(rate);
        (int hit, int speechFrames, int falseAlarm, int quietFrames, int nonStationary) = Score(vad, x, speech);
        // Not asserted: non-stationary frames. 34 dB above the noise, the talker's tail keeps the
        // 0.8-smoothed band minimum above the noise through a 400 ms pause in its formant bands,
        // so their noise estimates sit a few dB high and dip: the stricter conditions then apply,
        // which at this SNR cost nothing (the assertions above hold either way).
        TestContext.Out.WriteLine($"{rate} Hz: detected {hit}/{speechFrames} speech frames, {falseAlarm}/{quietFrames} false alarms, floor {vad.NoiseFloorDbov:F1} dBov, non-stationary {nonStationary} frames");
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
    public void FollowsAStepDownInBackgroundNoise([Values(8000, 16000)] int rate)
    {
        // 3 s at -40 dBov, then -60 dBov: the band noise follows down within a 1.6 s minimum window,
        // the detector is quiet again, and the dips of the step do not leave it judging the
        // background non-stationary.
        var vad = new Vad(rate);
        var rng = new Random(2);
        var frame = new short[vad.FrameSize];
        int activeAfter = 0;
        for (int f = 0; f < 900; f++)
        {
            double rms = 32768 * Math.Pow(10, (f < 300 ? -40 : -60) / 20.0);
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = (short)Math.Round(((rng.NextDouble() * 2) - 1) * rms * Math.Sqrt(3));
            }
            bool active = vad.Process(frame);
            activeAfter += f >= 300 && active ? 1 : 0;
        }
        Assert.That(activeAfter, Is.Zero, "a step down is not speech");
        Assert.That(vad.NoiseFloorDbov, Is.EqualTo(-60).Within(4));
        Assert.That(vad.NonStationary, Is.False, "6 s after the step");
    }

    [Test]
    public void DigitalSilenceAndFullScaleInputAreHandled([Values(8000, 16000)] int rate)
    {
        // Digital silence (the noise floor clamps at -75 dBov, no division by zero), then a
        // full-scale square wave (no overflow in the band powers), then silence again.
        var vad = new Vad(rate);
        var frame = new short[vad.FrameSize];
        int activeInSilence = 0;
        int activeInTone = 0;
        for (int f = 0; f < 600; f++)
        {
            bool tone = f >= 200 && f < 300;
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = tone ? (((f * frame.Length) + i) / 20 % 2 == 0 ? short.MaxValue : short.MinValue) : (short)0;
            }
            bool active = vad.Process(frame);
            activeInSilence += !tone && (f < 200 || f >= 330) && active ? 1 : 0;
            activeInTone += tone && active ? 1 : 0;
        }
        Assert.That(activeInSilence, Is.Zero, "digital silence is not speech");
        Assert.That(activeInTone, Is.GreaterThanOrEqualTo(95), "a full-scale signal out of silence is detected");
        Assert.That(double.IsFinite(vad.NoiseFloorDbov), Is.True);
    }

    [Test]
    public void RejectsBadRatesAndFrames()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Vad(44100));
        var vad = new Vad(8000);
        Assert.Throws<ArgumentException>(() => vad.Process(new short[160]));
    }
}
