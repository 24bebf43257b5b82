// native/src/vad.c against the C# Vad: the same decision on every frame, in quiet, white noise at 0 dB SNR and babble.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
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

    // espeak-ng speech (as in VadNsSpeexComparisonTests) in white noise at 0 dB SNR, where the band
    // test alone decides, and in babble, where the non-stationary conditions apply: the managed
    // detector must take both paths, and C must decide alike on every frame.
    [Test]
    public void CDetectorDecidesLikeCSharpOnSpeechInNoise(
        [Values(8000, 16000)] int rate,
        [Values(VadNsComparison.NoiseKind.White, VadNsComparison.NoiseKind.Babble)] VadNsComparison.NoiseKind kind)
    {
        NativeKernels.RequireLibrary();
        short[] speech = VadNsComparison.Speech(rate, VadNsComparison.ShortText, Path.Combine(Path.GetTempPath(), "sipwire-vadns"));
        int frame = rate / 100;
        (short[] noisy, _) = VadNsComparison.Mix(speech, VadNsComparison.Noise(kind, speech, rate, speech.Length, 2), kind == VadNsComparison.NoiseKind.White ? 0 : 10, frame);
        sw_vad detector = default;
        sw_vad* state = &detector;
        Assert.That(VadNative.sw_vad_init(state, rate), Is.Zero);
        var vad = new Vad(rate);
        int active = 0;
        int nonStationary = 0;
        int frames = noisy.Length / frame;
        for (int f = 0; f < frames; f++)
        {
            bool managed = vad.Process(noisy.AsSpan(f * frame, frame));
            int native;
            fixed (short* p = &noisy[f * frame])
            {
                Assert.That(VadNative.sw_vad_process(state, p, &native), Is.Zero);
            }
            Assert.That(native != 0, Is.EqualTo(managed), $"frame {f}");
            active += managed ? 1 : 0;
            nonStationary += vad.NonStationary ? 1 : 0;
        }
        Assert.That(active, Is.InRange(frames / 5, frames * 9 / 10), "speech and pauses both seen");
        if (kind == VadNsComparison.NoiseKind.White)
        {
            Assert.That(nonStationary, Is.Zero, "white noise is stationary");
        }
        else
        {
            Assert.That(nonStationary, Is.GreaterThan(frames / 2), "babble is non-stationary");
        }
    }
}
