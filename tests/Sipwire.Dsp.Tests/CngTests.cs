// RFC 3389 comfort noise: level byte per §3.1, reflection coefficients per §3.2, round trip, bad payloads.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class CngTests
{
    private static short[] Ar1(double rho, double rms, int n, int seed)
    {
        var rng = new Random(seed);
        var x = new short[n];
        double y = 0;
        double wScale = rms * Math.Sqrt(1 - (rho * rho)) * Math.Sqrt(3);
        for (int i = 0; i < n; i++)
        {
            y = (rho * y) + (((2 * rng.NextDouble()) - 1) * wScale);
            x[i] = (short)Math.Round(y);
        }
        return x;
    }

    private static double Power(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (short v in x)
        {
            s += (double)v * v;
        }
        return s / x.Length;
    }

    [Test]
    public void LevelByteIsMinusDbovOfTheFrame()
    {
        var enc = new ComfortNoiseEncoder(0);
        var payload = new byte[1];
        // A square wave of amplitude A has mean square A^2: -20 log10(A^2 / 1081109975) / 2 dBov.
        foreach (int amplitude in new[] { 32000, 10000, 1000, 100, 10 })
        {
            var frame = new short[160];
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = (short)(i % 2 == 0 ? amplitude : -amplitude);
            }
            Assert.That(enc.Encode(frame, payload), Is.EqualTo(1));
            int expected = (int)Math.Ceiling(-10 * Math.Log10((double)amplitude * amplitude / 1081109975.0));
            Assert.That(payload[0], Is.EqualTo(expected), $"amplitude {amplitude}");
        }
        Assert.That(enc.Encode(new short[160], payload), Is.EqualTo(1));
        Assert.That(payload[0], Is.EqualTo(127), "digital silence is the lowest level, -127 dBov");
    }

    [Test]
    public void FirstReflectionCoefficientFollowsTheSpectralTilt([Values(-0.8, 0.0, 0.9)] double rho)
    {
        short[] x = Ar1(rho, 1000, 4000, 3);
        var enc = new ComfortNoiseEncoder(4);
        var payload = new byte[5];
        enc.Encode(x, payload);
        // A(z) = 1 + k1 z^-1 whitens AR(1) with k1 = -rho; sent as round(128 k) + 127.
        double k1 = (payload[1] - 127) / 128.0;
        Assert.That(k1, Is.EqualTo(-rho).Within(0.05));
        for (int i = 2; i <= 4; i++)
        {
            Assert.That(Math.Abs((payload[i] - 127) / 128.0), Is.LessThan(0.1), $"k{i} of an AR(1) process");
        }
        Assert.That(payload[0] & 0x80, Is.Zero);
    }

    [Test]
    public void DecodedNoiseHasTheLevelAndTiltOfTheInput()
    {
        short[] x = Ar1(0.9, 800, 8000, 5);
        var enc = new ComfortNoiseEncoder(10);
        var payload = new byte[11];
        enc.Encode(x.AsSpan(0, 1600), payload);
        var dec = new ComfortNoiseDecoder();
        Assert.That(dec.TryDecode(payload, out string? error), Is.True, error);
        var y = new short[16000];
        for (int i = 0; i < y.Length; i += 160)
        {
            dec.Generate(y.AsSpan(i, 160));
        }
        double levelIn = 10 * Math.Log10(Power(x));
        double levelOut = 10 * Math.Log10(Power(y));
        // The level byte is quantised to 1 dB (rounded towards quieter).
        Assert.That(levelOut, Is.EqualTo(levelIn).Within(1.5));
        double r0 = 0;
        double r1 = 0;
        for (int i = 1; i < y.Length; i++)
        {
            r0 += (double)y[i] * y[i];
            r1 += (double)y[i] * y[i - 1];
        }
        Assert.That(r1 / r0, Is.EqualTo(0.9).Within(0.05));
        Assert.That(dec.LevelDbov, Is.EqualTo(-payload[0]));
        Assert.That(dec.Order, Is.EqualTo(10));
    }

    [Test]
    public void LevelOnlyPayloadGivesWhiteNoiseAtThatLevel()
    {
        var dec = new ComfortNoiseDecoder();
        var y = new short[160];
        dec.Generate(y);
        Assert.That(y, Is.All.Zero, "no payload yet: silence");
        Assert.That(dec.TryDecode([40], out _), Is.True);
        var z = new short[16000];
        dec.Generate(z);
        double expected = 10 * Math.Log10(1081109975.0) - 40;
        Assert.That(10 * Math.Log10(Power(z)), Is.EqualTo(expected).Within(0.3));
    }

    [Test]
    public void RejectsBadPayloadsAndKeepsTheLastGoodOne()
    {
        var dec = new ComfortNoiseDecoder();
        Assert.That(dec.TryDecode([50, 127, 127], out _), Is.True);
        Assert.That(dec.TryDecode([], out string? empty), Is.False);
        Assert.That(empty, Does.Contain("empty"));
        Assert.That(dec.TryDecode([0x85], out string? msb), Is.False);
        Assert.That(msb, Does.Contain("most significant bit"));
        Assert.That(dec.LevelDbov, Is.EqualTo(-50));
        // Orders above 12 are accepted and reduced (RFC 3389 §3).
        var longPayload = new byte[20];
        longPayload[0] = 60;
        Assert.That(dec.TryDecode(longPayload, out _), Is.True);
        Assert.That(dec.Order, Is.EqualTo(ComfortNoiseDecoder.MaxOrder));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ComfortNoiseEncoder(13));
        Assert.Throws<ArgumentException>(() => new ComfortNoiseEncoder(10).Encode(new short[160], new byte[5]));
    }
}
