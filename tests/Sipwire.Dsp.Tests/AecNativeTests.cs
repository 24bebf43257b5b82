// native/src/aec.c and native/src/fft.c against the C# EchoCanceller and Fft, through libsipwire_kernels.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class AecNativeTests
{
    /// <summary>The C canceller in 16-byte aligned native memory.</summary>
    internal sealed class NativeAec : IDisposable
    {
        private void* _memory;
        private readonly sw_aec* _state;

        public NativeAec(int rate, int tailMs, bool suppression, int maxDelayMs = 240)
        {
            NativeKernels.RequireLibrary();
            sw_aec_config cfg;
            AecNative.sw_aec_config_init(&cfg);
            // sw_aec_config_init stamps the library's sizeof(sw_aec_config): the bindings are not stale.
            if (cfg.struct_size != (uint)sizeof(sw_aec_config))
            {
                throw new InvalidOperationException($"libsipwire_kernels' sw_aec_config is {cfg.struct_size} bytes, the generated binding {sizeof(sw_aec_config)}: regenerate the bindings or rebuild native/.");
            }
            cfg.sample_rate = rate;
            cfg.tail_ms = tailMs;
            cfg.suppression = suppression ? 1 : 0;
            cfg.max_delay_ms = maxDelayMs;
            int size;
            if (AecNative.sw_aec_get_size(&cfg, &size) != 0)
            {
                throw new ArgumentException("sw_aec_get_size rejected the settings");
            }
            _memory = NativeMemory.AlignedAlloc((nuint)size, 16);
            sw_aec* state;
            if (AecNative.sw_aec_init(_memory, size, &cfg, &state) != 0)
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
                if (AecNative.sw_aec_process(_state, m, f, o) != 0)
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
    public void CFftMatchesCSharp([Values(8, 64, 256, 512)] int n)
    {
        NativeKernels.RequireLibrary();
        // sw_fft_f32 (about 6.7 KB for SW_FFT_MAX_N 512), the generated struct: the C compiler's layout.
        sw_fft_f32* plan = (sw_fft_f32*)NativeMemory.AlignedAlloc((nuint)sizeof(sw_fft_f32), 16);
        try
        {
            Assert.That(FftNative.sw_fft_f32_init(plan, n), Is.Zero);
            float[] x = FftTests.Random(n, 11 * n);
            var cre = new float[(n / 2) + 1];
            var cim = new float[(n / 2) + 1];
            var y = new float[n];
            fixed (float* px = x)
            fixed (float* pr = cre)
            fixed (float* pi = cim)
            fixed (float* py = y)
            {
                Assert.That(FftNative.sw_fft_f32_forward(plan, px, pr, pi), Is.Zero);
                Assert.That(FftNative.sw_fft_f32_inverse(plan, pr, pi, py), Is.Zero);
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
