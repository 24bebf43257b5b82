// native/src/ns.c against the C# NoiseSuppressor: the same samples.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class NsNativeTests
{
    [Test]
    public void CSuppressorMatchesCSharp([Values(8000, 16000)] int rate)
    {
        NativeKernels.RequireLibrary();
        // sw_ns is about 18.6 KB (it embeds an FFT plan): native memory of the generated struct's size.
        sw_ns* state = (sw_ns*)NativeMemory.AlignedAlloc((nuint)sizeof(sw_ns), 16);
        try
        {
            Assert.That(NsNative.sw_ns_init(state, rate, 15), Is.Zero);
            (short[] noisy, _, _) = NsTests.Build(rate, 9);
            short[] managed = NsTests.Run(new NoiseSuppressor(rate), noisy);
            var fromC = new short[noisy.Length];
            int frame = rate / 100;
            for (int i = 0; i + frame <= noisy.Length; i += frame)
            {
                fixed (short* p = &noisy[i])
                fixed (short* o = &fromC[i])
                {
                    Assert.That(NsNative.sw_ns_process(state, p, o), Is.Zero);
                }
            }
            int maxDiff = 0;
            for (int i = 0; i < fromC.Length; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(fromC[i] - managed[i]));
            }
            // Same operations in the same order: identical; 1 LSB allowed for a libm whose cos/pow
            // rounds the window or floor differently.
            Assert.That(maxDiff, Is.LessThanOrEqualTo(1));
        }
        finally
        {
            NativeMemory.AlignedFree(state);
        }
    }
}
