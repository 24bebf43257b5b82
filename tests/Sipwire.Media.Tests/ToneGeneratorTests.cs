// Call-progress tone presets: frequencies, levels (dBm0) and cadences measured with a direct DFT.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Dsp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class ToneGeneratorTests
{
    /// <summary>Level in dBm0 of the component at <paramref name="hz"/> (single-bin DFT over whole periods).</summary>
    private static double LevelDbm0(ReadOnlySpan<short> x, double hz)
    {
        double re = 0;
        double im = 0;
        for (int n = 0; n < x.Length; n++)
        {
            re += x[n] * Math.Cos(2 * Math.PI * hz * n / 8000);
            im -= x[n] * Math.Sin(2 * Math.PI * hz * n / 8000);
        }

        double amplitude = 2 * Math.Sqrt((re * re) + (im * im)) / x.Length;
        return (20 * Math.Log10(amplitude / 32768)) + 3.14;
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (short v in x)
        {
            s += (double)v * v;
        }

        return Math.Sqrt(s / x.Length);
    }

    private static short[] Render(ToneGeneratorSpec spec, int ms)
    {
        var gen = new ToneGenerator(spec);
        short[] x = new short[ms * 8];
        // Render in odd-sized chunks: cadence and phase must continue across calls.
        for (int i = 0; i < x.Length; i += 97)
        {
            gen.Generate(x.AsSpan(i, Math.Min(97, x.Length - i)));
        }

        return x;
    }

    [TestCase(ToneGeneratorRegion.UnitedStates, new[] { 350.0, 440.0 }, -13.0)]
    [TestCase(ToneGeneratorRegion.Europe, new[] { 425.0 }, -13.0)]
    [TestCase(ToneGeneratorRegion.UnitedKingdom, new[] { 350.0, 450.0 }, -13.0)]
    public void DialToneHasItsFrequenciesAtTheirLevel(ToneGeneratorRegion region, double[] freqs, double level)
    {
        short[] x = Render(ToneGeneratorPresets.Dial(region), 1000);
        var steady = x.AsSpan(800, 7200);
        foreach (double f in freqs)
        {
            Assert.That(LevelDbm0(steady, f), Is.EqualTo(level).Within(0.2), $"{f} Hz");
        }

        Assert.That(LevelDbm0(steady, 1000), Is.LessThan(level - 40), "nothing at unrelated frequencies");
    }

    [Test]
    public void UsBusyCadenceIsHalfSecondOnHalfSecondOff()
    {
        short[] x = Render(ToneGeneratorPresets.Busy(ToneGeneratorRegion.UnitedStates), 2000);
        for (int period = 0; period < 2; period++)
        {
            int on = period * 8000;
            Assert.That(Rms(x.AsSpan(on + 80, 3840)), Is.GreaterThan(1000), "on");
            Assert.That(Rms(x.AsSpan(on + 4000 + 40, 3920)), Is.EqualTo(0), "off");
        }

        Assert.That(LevelDbm0(x.AsSpan(80, 3840), 480), Is.EqualTo(-24).Within(0.3));
        Assert.That(LevelDbm0(x.AsSpan(80, 3840), 620), Is.EqualTo(-24).Within(0.3));
    }

    [TestCase(ToneGeneratorRegion.UnitedStates, 2000, 4000)]
    [TestCase(ToneGeneratorRegion.Europe, 1000, 4000)]
    public void RingbackCadence(ToneGeneratorRegion region, int onMs, int offMs)
    {
        short[] x = Render(ToneGeneratorPresets.Ringback(region), (onMs + offMs) * 2);
        int period = (onMs + offMs) * 8;
        Assert.That(Rms(x.AsSpan(period + 80, (onMs * 8) - 160)), Is.GreaterThan(500));
        Assert.That(Rms(x.AsSpan(period + (onMs * 8) + 40, (offMs * 8) - 80)), Is.EqualTo(0));
    }

    [Test]
    public void UkRingbackHasTheDoubleRing()
    {
        short[] x = Render(ToneGeneratorPresets.Ringback(ToneGeneratorRegion.UnitedKingdom), 3000);
        // 0.4 on, 0.2 off, 0.4 on, 2.0 off.
        Assert.That(Rms(x.AsSpan(80, 3000)), Is.GreaterThan(500));
        Assert.That(Rms(x.AsSpan(3240, 1500)), Is.EqualTo(0));
        Assert.That(Rms(x.AsSpan(4880, 3000)), Is.GreaterThan(500));
        Assert.That(Rms(x.AsSpan(8040, 15900)), Is.EqualTo(0));
    }

    [Test]
    public void BurstEdgesAreRamped()
    {
        short[] x = Render(ToneGeneratorPresets.Busy(ToneGeneratorRegion.Europe), 1000);
        Assert.That(Math.Abs((int)x[0]), Is.LessThan(1000), "starts near zero");
        Assert.That(Math.Abs((int)x[3999]), Is.LessThan(1000), "ends near zero");
    }

    [Test]
    public void RejectsBadSpecs()
    {
        Assert.Throws<ArgumentException>(() => _ = ToneGeneratorSpec.Dtmf('x'));
        Assert.Throws<ArgumentException>(() => _ = new ToneGenerator(new ToneGeneratorSpec("bad", [5000], [-10], [])));
        Assert.Throws<ArgumentException>(() => _ = new ToneGeneratorSpec("bad", [400], [-10], [(0, 100)]));
    }
}
