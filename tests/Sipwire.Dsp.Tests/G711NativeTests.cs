// The C kernels of native/src/g711.c against the C# ones and the vectors, through libsipwire_kernels.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class G711NativeTests
{
    [Test]
    public void CEncodersMatchCSharpOnEveryInt16([Values(false, true)] bool aLaw)
    {
        NativeKernels.RequireLibrary();
        short[] pcm = KernelVectors.ReadS16Le("g711/pcm_all.s16le");
        var fromC = new byte[pcm.Length];
        var fromCSharp = new byte[pcm.Length];

        int status;
        fixed (short* input = pcm)
        fixed (byte* output = fromC)
        {
            status = aLaw
                ? G711Native.sw_g711_alaw_encode(input, output, pcm.Length)
                : G711Native.sw_g711_ulaw_encode(input, output, pcm.Length);
        }

        G711Paths.Encode(G711Path.Dispatch, aLaw, pcm, fromCSharp);
        Assert.That(status, Is.Zero);
        Assert.That(fromC, Is.EqualTo(fromCSharp));
        Assert.That(fromC, Is.EqualTo(KernelVectors.ReadBytes(aLaw ? "g711/pcm_all.alaw" : "g711/pcm_all.ulaw")));
    }

    [Test]
    public void CDecodersMatchCSharpOnEveryCode([Values(false, true)] bool aLaw)
    {
        NativeKernels.RequireLibrary();
        byte[] codes = KernelVectors.ReadBytes("g711/codes_all.u8");
        var fromC = new short[codes.Length];
        var fromCSharp = new short[codes.Length];

        int status;
        fixed (byte* input = codes)
        fixed (short* output = fromC)
        {
            status = aLaw
                ? G711Native.sw_g711_alaw_decode(input, output, codes.Length)
                : G711Native.sw_g711_ulaw_decode(input, output, codes.Length);
        }

        G711Paths.Decode(G711Path.Dispatch, aLaw, codes, fromCSharp);
        Assert.That(status, Is.Zero);
        Assert.That(fromC, Is.EqualTo(fromCSharp));
    }

    [Test]
    public void CRoundTripMatchesCSharpOnRandomFrames([Values(80, 160, 320)] int length)
    {
        NativeKernels.RequireLibrary();
        var random = new Random(711 + length);
        var pcm = new short[length];
        for (int i = 0; i < length; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        var codesC = new byte[length];
        var pcmC = new short[length];
        fixed (short* input = pcm)
        fixed (byte* codes = codesC)
        fixed (short* output = pcmC)
        {
            Assert.That(G711Native.sw_g711_ulaw_encode(input, codes, length), Is.Zero);
            Assert.That(G711Native.sw_g711_ulaw_decode(codes, output, length), Is.Zero);
        }

        var codesCSharp = new byte[length];
        var pcmCSharp = new short[length];
        G711.EncodeULaw(pcm, codesCSharp);
        G711.DecodeULaw(codesCSharp, pcmCSharp);
        Assert.That(codesC, Is.EqualTo(codesCSharp));
        Assert.That(pcmC, Is.EqualTo(pcmCSharp));
    }

    [Test]
    public void CRejectsBadArgumentsWithoutWriting()
    {
        NativeKernels.RequireLibrary();
        short[] pcm = [1, 2, 3];
        byte[] codes = [0xAA, 0xAA, 0xAA];
        fixed (short* input = pcm)
        fixed (byte* output = codes)
        {
            Assert.That(G711Native.sw_g711_ulaw_encode(input, output, -1), Is.EqualTo(-1));
            Assert.That(G711Native.sw_g711_ulaw_encode(null, output, 3), Is.EqualTo(-1));
            Assert.That(G711Native.sw_g711_ulaw_encode(null, null, 0), Is.Zero);
        }

        Assert.That(codes, Is.EqualTo(new byte[] { 0xAA, 0xAA, 0xAA }));
    }
}
