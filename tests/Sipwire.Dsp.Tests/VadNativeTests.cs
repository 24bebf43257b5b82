// native/src/vad.c against the C# Vad: the same decision on every frame.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class VadNativeTests
{
    [Test]
    public void CDetectorDecidesLikeCSharp([Values(8000, 16000)] int rate)
    {
        NativeKernels.RequireLibrary();
        sw_vad detector = default;
        sw_vad* state = &detector;
        Assert.That(VadNative.sw_vad_init(state, rate), Is.Zero);
        (short[] signal, _) = VadTests.Build(rate, 8);
        var vad = new Vad(rate);
        int frame = rate / 100;
        int changes = 0;
        bool last = false;
        for (int f = 0; (f + 1) * frame <= signal.Length; f++)
        {
            bool managed = vad.Process(signal.AsSpan(f * frame, frame));
            int active;
            fixed (short* p = &signal[f * frame])
            {
                Assert.That(VadNative.sw_vad_process(state, p, &active), Is.Zero);
            }
            Assert.That(active != 0, Is.EqualTo(managed), $"frame {f}");
            changes += managed != last ? 1 : 0;
            last = managed;
        }
        Assert.That(changes, Is.GreaterThan(10), "the signal has pauses: the decision must change");
    }
}
