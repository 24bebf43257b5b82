// native/src/cng.c against the C# ComfortNoiseEncoder/Decoder: same payload bytes, same noise.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class CngNativeTests
{
    [Test]
    public void CEncoderAndGeneratorMatchCSharp([Values(0, 4, 10, 12)] int order)
    {
        NativeKernels.RequireLibrary();
        AecScenario sc = AecTests.BuildCss(8000, 3, withDoubleTalk: false, bulkDelay: 0);
        var encoder = new ComfortNoiseEncoder(order);
        var decoder = new ComfortNoiseDecoder();
        var fromCSharp = new byte[1 + order];
        var fromC = new byte[1 + order];
        sw_cng_decoder generator = default;
        sw_cng_decoder* state = &generator;
        Assert.That(CngNative.sw_cng_decoder_init(state), Is.Zero);
        var noiseCs = new short[160];
        var noiseC = new short[160];
        for (int f = 0; f + 160 <= sc.Mic.Length; f += 160)
        {
            encoder.Encode(sc.Mic.AsSpan(f, 160), fromCSharp);
            int written;
            fixed (short* p = &sc.Mic[f])
            fixed (byte* b = fromC)
            {
                written = CngNative.sw_cng_encode(p, 160, order, b);
            }
            Assert.That(written, Is.EqualTo(1 + order));
            Assert.That(fromC, Is.EqualTo(fromCSharp), $"payload of frame at {f}");
            Assert.That(decoder.TryDecode(fromCSharp, out _), Is.True);
            fixed (byte* b = fromC)
            fixed (short* o = noiseC)
            {
                Assert.That(CngNative.sw_cng_decoder_update(state, b, fromC.Length), Is.Zero);
                Assert.That(CngNative.sw_cng_decoder_generate(state, o, 160), Is.Zero);
            }
            decoder.Generate(noiseCs);
            Assert.That(noiseC, Is.EqualTo(noiseCs), $"noise after frame at {f}");
        }
    }
}
