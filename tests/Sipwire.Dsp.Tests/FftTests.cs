// Fft against a naive double-precision DFT, scalar against SIMD, and round trips.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
internal sealed class FftTests
{
    internal static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2.0) - 1.0);
        }
        return x;
    }

    private static void NaiveDft(float[] x, double[] re, double[] im)
    {
        int n = x.Length;
        for (int k = 0; k <= n / 2; k++)
        {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < n; t++)
            {
                double a = -2.0 * Math.PI * ((long)k * t % n) / n;
                sr += x[t] * Math.Cos(a);
                si += x[t] * Math.Sin(a);
            }
            re[k] = sr;
            im[k] = si;
        }
    }

    [Test]
    public void ForwardMatchesNaiveDft([Values(8, 16, 32, 64, 128, 256, 512, 1024)] int n, [Values(false, true)] bool vectorized)
    {
        float[] x = Random(n, n);
        var fft = new Fft(n, vectorized);
        var re = new float[n / 2 + 1];
        var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        var dre = new double[n / 2 + 1];
        var dim = new double[n / 2 + 1];
        NaiveDft(x, dre, dim);
        // Radix-2 float error grows ~ log2(n) * eps * sqrt(n) * rms(x); rms = 0.577.
        double tol = 2e-6 * Math.Sqrt(n) * Math.Log2(n);
        for (int k = 0; k <= n / 2; k++)
        {
            Assert.That(re[k], Is.EqualTo(dre[k]).Within(tol), $"re[{k}]");
            Assert.That(im[k], Is.EqualTo(dim[k]).Within(tol), $"im[{k}]");
        }
    }

    [Test]
    public void InverseRestoresInput([Values(8, 64, 256, 512, 4096)] int n, [Values(false, true)] bool vectorized)
    {
        float[] x = Random(n, 7 * n);
        var fft = new Fft(n, vectorized);
        var re = new float[n / 2 + 1];
        var im = new float[n / 2 + 1];
        var y = new float[n];
        fft.Forward(x, re, im);
        fft.Inverse(re, im, y);
        for (int i = 0; i < n; i++)
        {
            Assert.That(y[i], Is.EqualTo(x[i]).Within(1e-5), $"x[{i}]");
        }
    }

    [Test]
    public void InverseOfSingleBinIsCosine()
    {
        const int N = 256;
        var fft = new Fft(N);
        var re = new float[N / 2 + 1];
        var im = new float[N / 2 + 1];
        re[5] = N / 2;
        var y = new float[N];
        fft.Inverse(re, im, y);
        for (int t = 0; t < N; t++)
        {
            Assert.That(y[t], Is.EqualTo(Math.Cos(2 * Math.PI * 5 * t / N)).Within(1e-5));
        }
    }

    [Test]
    public void VectorPathIsBitIdenticalToScalar([Values(8, 16, 128, 256, 512, 2048)] int n)
    {
        float[] x = Random(n, 3 * n);
        var s = new Fft(n, vectorized: false);
        var v = new Fft(n, vectorized: true);
        var sr = new float[n / 2 + 1];
        var si = new float[n / 2 + 1];
        var vr = new float[n / 2 + 1];
        var vi = new float[n / 2 + 1];
        s.Forward(x, sr, si);
        v.Forward(x, vr, vi);
        Assert.That(vr, Is.EqualTo(sr));
        Assert.That(vi, Is.EqualTo(si));
        var ys = new float[n];
        var yv = new float[n];
        s.Inverse(sr, si, ys);
        v.Inverse(sr, si, yv);
        Assert.That(yv, Is.EqualTo(ys));
    }

    [Test]
    public void RejectsBadSizesAndShortBuffers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Fft(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Fft(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Fft(8192));
        var fft = new Fft(64);
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[63], new float[33], new float[33]));
        Assert.Throws<ArgumentException>(() => fft.Inverse(new float[32], new float[33], new float[64]));
    }
}
