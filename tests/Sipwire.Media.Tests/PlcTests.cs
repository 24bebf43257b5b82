// G.711 Appendix I style packet loss concealment: delay line, pitch, continuity, attenuation, recovery.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Dsp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class PlcTests
{
    /// <summary>A voiced-speech stand-in: a harmonic series at f0 with falling amplitudes.</summary>
    private static short[] Voiced(int samples, double f0, double amplitude = 8000, int rate = 8000)
    {
        short[] x = new short[samples];
        for (int n = 0; n < samples; n++)
        {
            double v = 0;
            for (int k = 1; k * f0 < 3400; k++)
            {
                v += Math.Sin(2 * Math.PI * k * f0 * n / rate) / k;
            }

            x[n] = (short)(amplitude * 0.6 * v);
        }

        return x;
    }

    private static double Snr(ReadOnlySpan<short> reference, ReadOnlySpan<short> test)
    {
        double s = 0;
        double e = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            s += (double)reference[i] * reference[i];
            double d = reference[i] - test[i];
            e += d * d;
        }

        return 10 * Math.Log10(s / Math.Max(e, 1e-9));
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (short v in x)
        {
            s += (double)v * v;
        }

        return Math.Sqrt(s / Math.Max(1, x.Length));
    }

    /// <summary>Runs a signal through the PLC in frames, losing the frames in <paramref name="lost"/>.</summary>
    private static short[] Run(Plc plc, short[] signal, int frame, Func<int, bool> lost)
    {
        short[] output = new short[signal.Length];
        for (int f = 0; f * frame + frame <= signal.Length; f++)
        {
            var input = signal.AsSpan(f * frame, frame);
            var outSpan = output.AsSpan(f * frame, frame);
            if (lost(f))
            {
                plc.Conceal(outSpan);
            }
            else
            {
                plc.Process(input, outSpan);
            }
        }

        return output;
    }

    [TestCase(80)]
    [TestCase(160)]
    [TestCase(37)]
    [TestCase(1)]
    public void GoodFramesPassThroughDelayedByAQuarterOfTheLongestPeriod(int frame)
    {
        var plc = new Plc();
        Assert.That(plc.DelaySamples, Is.EqualTo(30));
        short[] x = Voiced(8000, 150);
        short[] y = Run(plc, x, frame, _ => false);
        int n = x.Length / frame * frame;
        for (int i = 30; i < n; i++)
        {
            Assert.That(y[i], Is.EqualTo(x[i - 30]), $"sample {i}");
        }
    }

    [TestCase(100.0)]
    [TestCase(140.0)]
    [TestCase(190.0)]
    public void FindsThePitchPeriod(double f0)
    {
        var plc = new Plc();
        short[] x = Voiced(4000, f0);
        Run(plc, x, 80, f => f == 40);
        Assert.That(plc.LastPitch, Is.InRange((int)Math.Floor(8000 / f0) - 1, (int)Math.Ceiling(8000 / f0) + 1));
    }

    [Test]
    public void ConcealedFrameResemblesTheLostVoicedSpeech()
    {
        short[] x = Voiced(8000, 125); // period 64 samples
        short[] concealed = Run(new Plc(), x, 80, f => f == 50);
        short[] zeroFilled = (short[])x.Clone();
        Array.Clear(zeroFilled, 50 * 80, 80);
        // Compare the lost 10 ms (output is 30 samples late).
        var reference = x.AsSpan((50 * 80) - 30, 80);
        double snr = Snr(reference, concealed.AsSpan(50 * 80, 80));
        Assert.That(snr, Is.GreaterThan(10), "pitch repetition of a steady vowel is close to the truth");
        Assert.That(snr, Is.GreaterThan(Snr(reference, zeroFilled.AsSpan((50 * 80) - 30, 80)) + 10));
    }

    [Test]
    public void NoClicksAtTheStartOrEndOfALoss()
    {
        short[] x = Voiced(16000, 110);
        short[] y = Run(new Plc(), x, 80, f => f is >= 60 and < 63);
        int maxNaturalStep = 0;
        for (int i = 1; i < x.Length; i++)
        {
            maxNaturalStep = Math.Max(maxNaturalStep, Math.Abs(x[i] - x[i - 1]));
        }

        for (int i = 1; i < y.Length; i++)
        {
            Assert.That(Math.Abs(y[i] - y[i - 1]), Is.LessThanOrEqualTo(maxNaturalStep * 1.5), $"step at {i}");
        }
    }

    [Test]
    public void LongLossFadesToSilenceBy60Ms()
    {
        short[] x = Voiced(16000, 120);
        var plc = new Plc();
        short[] y = Run(plc, x, 80, f => f >= 50 && f < 60);
        int start = (50 * 80) + 30; // first fully synthetic output sample
        double first = Rms(y.AsSpan(start, 80));
        double third = Rms(y.AsSpan(start + 160, 80));
        double fifth = Rms(y.AsSpan(start + 320, 80));
        Assert.That(third, Is.LessThan(first * 0.85));
        Assert.That(fifth, Is.LessThan(third));
        Assert.That(Rms(y.AsSpan(start + 480, 250)), Is.EqualTo(0), "silent from 60 ms to the end of the loss");
        // The signal comes back after the loss (ramped in over the overlap).
        Assert.That(Rms(y.AsSpan((61 * 80) + 30, 80)), Is.GreaterThan(Rms(x.AsSpan(61 * 80, 80)) * 0.9));
    }

    [Test]
    public void RepeatedLossesAndWidebandDoNotThrow()
    {
        var plc = new Plc(16000);
        Assert.That(plc.DelaySamples, Is.EqualTo(60));
        short[] x = Voiced(32000, 200, rate: 16000);
        var random = new Random(3);
        short[] y = Run(plc, x, 320, _ => random.NextDouble() < 0.3);
        Assert.That(Rms(y), Is.GreaterThan(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Plc(44100));
        Assert.Throws<ArgumentException>(() => plc.Process(new short[10], new short[11]));
    }

    [Test]
    public void ConcealAndProcessAllocateNothing()
    {
        var plc = new Plc();
        short[] x = Voiced(1600, 130);
        short[] y = new short[160];
        for (int i = 0; i < 10; i++)
        {
            plc.Process(x.AsSpan(i * 160, 160), y);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            if (i % 4 == 0)
            {
                plc.Conceal(y);
            }
            else
            {
                plc.Process(x.AsSpan((i % 10) * 160, 160), y);
            }
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
