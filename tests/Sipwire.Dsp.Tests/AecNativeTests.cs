// native/src/aec.c and native/src/fft.c against the C# EchoCanceller and Fft, through libsipwire_kernels.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class AecNativeTests
{
    // sw_aec_config: uint32_t struct_size; int32_t sample_rate, tail_ms, max_delay_ms, suppression, comfort_noise.
    [StructLayout(LayoutKind.Sequential)]
    private struct AecConfig
    {
        public uint StructSize;
        public int SampleRate;
        public int TailMs;
        public int MaxDelayMs;
        public int Suppression;
        public int ComfortNoise;
    }

    /// <summary>The C canceller in 16-byte aligned native memory.</summary>
    internal sealed class NativeAec : IDisposable
    {
        private readonly delegate* unmanaged<nint, short*, short*, short*, int> _process;
        private void* _memory;
        private readonly nint _state;

        public NativeAec(int rate, int tailMs, bool suppression, int maxDelayMs = 240)
        {
            var init = (delegate* unmanaged<AecConfig*, void>)NativeKernels.Export("sw_aec_config_init");
            var getSize = (delegate* unmanaged<AecConfig*, int*, int>)NativeKernels.Export("sw_aec_get_size");
            var create = (delegate* unmanaged<void*, int, AecConfig*, nint*, int>)NativeKernels.Export("sw_aec_init");
            _process = (delegate* unmanaged<nint, short*, short*, short*, int>)NativeKernels.Export("sw_aec_process");
            AecConfig cfg;
            init(&cfg);
            cfg.SampleRate = rate;
            cfg.TailMs = tailMs;
            cfg.Suppression = suppression ? 1 : 0;
            cfg.MaxDelayMs = maxDelayMs;
            int size;
            if (getSize(&cfg, &size) != 0)
            {
                throw new ArgumentException("sw_aec_get_size rejected the settings");
            }
            _memory = NativeMemory.AlignedAlloc((nuint)size, 16);
            nint state;
            if (create(_memory, size, &cfg, &state) != 0)
            {
                throw new InvalidOperationException("sw_aec_init failed");
            }
            _state = state;
        }

        public void Process(ReadOnlySpan<short> mic, ReadOnlySpan<short> far, Span<short> output)
        {
            fixed (short* m = mic)
            fixed (short* f = far)
            fixed (short* o = output)
            {
                if (_process(_state, m, f, o) != 0)
                {
                    throw new InvalidOperationException("sw_aec_process failed");
                }
            }
        }

        public void Dispose()
        {
            NativeMemory.AlignedFree(_memory);
            _memory = null;
        }
    }

    [Test]
    public void CCancellerMatchesCSharp([Values(8000, 16000)] int rate, [Values(false, true)] bool suppression)
    {
        AecScenario sc = AecTests.BuildCss(rate, 6, withDoubleTalk: false, bulkDelay: 0);
        var managed = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, Suppression = suppression });
        using var native = new NativeAec(rate, 128, suppression);
        int frame = rate / 100;
        short[] fromCSharp = sc.Run(frame, managed.Process);
        short[] fromC = sc.Run(frame, native.Process);
        // Same algorithm, same float operation order, no FMA on either side: the same samples.
        // Tolerance stated for targets whose libm rounds the window/twiddle cos() differently:
        // at most 1 LSB on 99.9 % of samples and the same ERLE within 0.5 dB.
        int differ = 0;
        int maxDiff = 0;
        for (int i = 0; i < fromC.Length; i++)
        {
            int d = Math.Abs(fromC[i] - fromCSharp[i]);
            maxDiff = Math.Max(maxDiff, d);
            differ += d > 1 ? 1 : 0;
        }
        int window = rate / 2;
        double erleC = AecScenario.MeanErle(sc.Erle(fromC, managed.Latency, window), window, rate, 3, 6);
        double erleCs = AecScenario.MeanErle(sc.Erle(fromCSharp, managed.Latency, window), window, rate, 3, 6);
        TestContext.Out.WriteLine($"max |C - C#| = {maxDiff}, samples off by more than 1 LSB: {differ}; ERLE C {erleC:F2} dB, C# {erleCs:F2} dB");
        Assert.That(differ, Is.LessThanOrEqualTo(fromC.Length / 1000));
        Assert.That(erleC, Is.EqualTo(erleCs).Within(0.5));
    }

    [Test]
    public void CFftMatchesCSharp([Values(8, 64, 256, 512, 1024)] int n)
    {
        var init = (delegate* unmanaged<void*, int, int>)NativeKernels.Export("sw_fft_f32_init");
        var forward = (delegate* unmanaged<void*, float*, float*, float*, int>)NativeKernels.Export("sw_fft_f32_forward");
        var inverse = (delegate* unmanaged<void*, float*, float*, float*, int>)NativeKernels.Export("sw_fft_f32_inverse");
        // sizeof(sw_fft_f32) for SW_FFT_MAX_N 1024 is under 16 KB.
        void* plan = NativeMemory.AlignedAlloc(16384, 16);
        try
        {
            Assert.That(init(plan, n), Is.Zero);
            float[] x = FftTests.Random(n, 11 * n);
            var cre = new float[(n / 2) + 1];
            var cim = new float[(n / 2) + 1];
            var y = new float[n];
            fixed (float* px = x)
            fixed (float* pr = cre)
            fixed (float* pi = cim)
            fixed (float* py = y)
            {
                Assert.That(forward(plan, px, pr, pi), Is.Zero);
                Assert.That(inverse(plan, pr, pi, py), Is.Zero);
            }
            var fft = new Fft(n);
            var re = new float[(n / 2) + 1];
            var im = new float[(n / 2) + 1];
            var yc = new float[n];
            fft.Forward(x, re, im);
            fft.Inverse(re, im, yc);
            Assert.That(cre, Is.EqualTo(re).Within(1e-6f * n));
            Assert.That(cim, Is.EqualTo(im).Within(1e-6f * n));
            Assert.That(y, Is.EqualTo(yc).Within(1e-6f));
        }
        finally
        {
            NativeMemory.AlignedFree(plan);
        }
    }
}
