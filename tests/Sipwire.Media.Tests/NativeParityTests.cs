// The C fallbacks (native/src/dtmf.c, plc.c) against the C# kernels on the same seeded inputs.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Dsp;
using Sipwire.Kernels.Native;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed unsafe class NativeParityTests
{
    private static short[] RandomDtmfSignal(int seed)
    {
        // Random digits with random durations (15-90 ms), gaps, levels, twist (-9..+5 dB), frequency
        // errors up to 3 % and noise: cases on both sides of every decision threshold.
        var random = new Random(seed);
        double[] low = [697, 770, 852, 941];
        double[] high = [1209, 1336, 1477, 1633];
        var signal = new System.Collections.Generic.List<short>();
        for (int k = 0; k < 40; k++)
        {
            int ms = random.Next(15, 90);
            double lf = low[random.Next(4)] * (1 + ((random.NextDouble() - 0.5) * 0.06));
            double hf = high[random.Next(4)] * (1 + ((random.NextDouble() - 0.5) * 0.06));
            double la = 32768 * Math.Pow(10, (-5 - (random.NextDouble() * 25) - 3.14) / 20);
            double ha = la * Math.Pow(10, ((random.NextDouble() * 14) - 9) / 20);
            for (int n = 0; n < ms * 8; n++)
            {
                double noise = (random.NextDouble() - 0.5) * 200;
                signal.Add((short)Math.Clamp((la * Math.Sin(2 * Math.PI * lf * n / 8000)) + (ha * Math.Sin(2 * Math.PI * hf * n / 8000)) + noise, short.MinValue, short.MaxValue));
            }

            int gap = random.Next(5, 80) * 8;
            for (int n = 0; n < gap; n++)
            {
                signal.Add((short)((random.NextDouble() - 0.5) * 200));
            }
        }

        return signal.ToArray();
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void DtmfDetectorMatchesTheCFallback(int seed)
    {
        NativeKernels.RequireLibrary();
        short[] x = RandomDtmfSignal(seed);
        sw_dtmf_rx rx = default;
        sw_dtmf_rx* state = &rx;
        Assert.That(DtmfNative.sw_dtmf_rx_init(state, -30f), Is.EqualTo(0));
        var detector = new DtmfDetector();
        char[] managedDigits = new char[8];
        byte* nativeDigits = stackalloc byte[8];
        string managed = "";
        string native = "";
        fixed (short* p = x)
        {
            for (int i = 0; i < x.Length; i += 160)
            {
                int n = Math.Min(160, x.Length - i);
                int count = detector.Process(x.AsSpan(i, n), managedDigits);
                managed += new string(managedDigits, 0, count);
                int nativeCount;
                Assert.That(DtmfNative.sw_dtmf_rx_process(state, p + i, n, nativeDigits, 8, &nativeCount), Is.EqualTo(0));
                for (int k = 0; k < nativeCount; k++)
                {
                    native += (char)nativeDigits[k];
                }
            }
        }

        TestContext.Out.WriteLine($"seed {seed}: {managed}");
        Assert.That(managed.Length, Is.GreaterThan(5), "the signal exercises detection");
        Assert.That(native, Is.EqualTo(managed));
    }

    [Test]
    public void PlcMatchesTheCFallback()
    {
        NativeKernels.RequireLibrary();
        var random = new Random(4);
        short[] x = new short[8000 * 4];
        double phase = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double f0 = 150 + (60 * Math.Sin(2 * Math.PI * 0.5 * n / 8000));
            phase += 2 * Math.PI * f0 / 8000;
            double v = 0;
            for (int k = 1; k * f0 < 3400; k++)
            {
                v += Math.Sin(k * phase) / k;
            }

            x[n] = (short)((4000 * v) + ((random.NextDouble() - 0.5) * 300));
        }

        sw_plc plcState = default;
        sw_plc* state = &plcState;
        Assert.That(PlcNative.sw_plc_init(state), Is.EqualTo(0));
        var plc = new Plc();
        short[] managed = new short[80];
        short[] native = new short[80];
        int maxDiff = 0;
        int concealed = 0;
        for (int f = 0; f < x.Length / 80; f++)
        {
            bool lost = random.NextDouble() < 0.2;
            fixed (short* pin = x, pout = native)
            {
                if (lost)
                {
                    concealed++;
                    plc.Conceal(managed);
                    Assert.That(PlcNative.sw_plc_conceal_q15(state, pout, 80), Is.EqualTo(0));
                }
                else
                {
                    plc.Process(x.AsSpan(f * 80, 80), managed);
                    Assert.That(PlcNative.sw_plc_process_q15(state, pin + (f * 80), pout, 80), Is.EqualTo(0));
                }
            }

            for (int i = 0; i < 80; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(managed[i] - native[i]));
            }
        }

        TestContext.Out.WriteLine($"concealed {concealed} frames, max |C# - C| = {maxDiff}");
        Assert.That(concealed, Is.GreaterThan(50));
        // Both run in single precision with the same operation order; rounding of exact halves
        // (MathF.Round vs floorf(v + 0.5f)) may differ by one.
        Assert.That(maxDiff, Is.LessThanOrEqualTo(1));
    }
}
