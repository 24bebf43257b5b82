// The echo canceller in a call's media path (issue 9 item 5): far-end reference = decoded received audio; ERLE at the far end.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Media.Tests.Session;

[TestFixture]
public sealed class MediaSessionEchoTests
{
    /// <summary>
    /// B talks (speech-like noise bursts); A's loudspeaker output leaks into A's microphone through a
    /// room-like echo path (5 ms delay, 60 ms exponentially decaying tail, 6 dB echo return loss).
    /// What B hears back is its own echo. With the canceller on, what B hears
    /// must be at least 30 dB below the same call without it, measured after the G.722 codec over
    /// the last 4 s (measured with a noiseless microphone: 59.1 dB at 16 kHz, 58.1 dB at 8 kHz).
    /// </summary>
    [TestCase(16000)]
    [TestCase(8000)]
    public void EchoOfTheFarEndIsRemovedInTheCall(int sampleRate)
    {
        double withoutAec = EchoPowerAtB(sampleRate, aec: false);
        double withAec = EchoPowerAtB(sampleRate, aec: true);
        double erle = 10 * Math.Log10(withoutAec / Math.Max(withAec, 1e-9));
        TestContext.Out.WriteLine($"{sampleRate} Hz: echo at B {10 * Math.Log10(withoutAec):F1} dB without, {10 * Math.Log10(Math.Max(withAec, 1e-9)):F1} dB with the canceller: ERLE {erle:F1} dB");
        Assert.That(erle, Is.GreaterThanOrEqualTo(30));
    }

    private static double EchoPowerAtB(int sampleRate, bool aec)
    {
        var options = new MediaSessionOptions { SampleRate = sampleRate, EchoCanceller = aec, RtcpSeed = 1 };
        using var call = new SimulatedCall(AudioCodec.G722, 9, options, new MediaSessionOptions { SampleRate = sampleRate, RtcpSeed = 2 });
        call.Network.BaseDelayUs = 20_000;
        call.Network.JitterUs = 10_000;
        float[] path = EchoPath(sampleRate, new Random(4));
        var history = new List<short>();
        var random = new Random(9);
        int frame = call.A.FrameSamples;
        int n = 0;

        // B's voice: noise shaped by a slow syllable envelope (bursts of 200 ms at 4 Hz).
        void Talk(Span<short> mic)
        {
            for (int i = 0; i < mic.Length; i++, n++)
            {
                double envelope = Math.Max(0, Math.Sin(2 * Math.PI * 4 * n / sampleRate));
                double v = 0;
                for (int k = 0; k < 4; k++)
                {
                    v += random.NextDouble() - 0.5;
                }

                mic[i] = (short)(v * 9000 * envelope);
            }
        }

        // A's microphone = echo of A's loudspeaker through the path (a linear convolution) and
        // nothing else: a noiseless microphone, with digital silence between B's bursts, is the
        // hardest case for the canceller's delay estimator (issue 9; AecSilentFarEndTests).
        void Echo(ReadOnlySpan<short> speaker, Span<short> mic)
        {
            history.AddRange(speaker);
            for (int i = 0; i < speaker.Length; i++)
            {
                int t = history.Count - speaker.Length + i;
                double acc = 0;
                for (int k = 0; k < path.Length && t - k >= 0; k++)
                {
                    acc += path[k] * history[t - k];
                }

                mic[i] = (short)Math.Clamp(Math.Round(acc), short.MinValue, short.MaxValue);
            }
        }

        int seconds = 12;
        call.Run(seconds * 1000 / (frame * 1000 / sampleRate), micB: Talk, micOfA: Echo);
        int start = (seconds - 4) * sampleRate;
        double rms = ToneSource.Rms(call.PlayedB, start, call.PlayedB.Count);
        return rms * rms;
    }

    private static float[] EchoPath(int sampleRate, Random random)
    {
        int delay = sampleRate * 5 / 1000;
        int tail = sampleRate * 60 / 1000;
        var h = new float[delay + tail];
        double energy = 0;
        for (int k = 0; k < tail; k++)
        {
            double v = (random.NextDouble() - 0.5) * Math.Exp(-6.9 * k / tail); // -60 dB over the tail
            h[delay + k] = (float)v;
            energy += v * v;
        }

        // ERL 6 dB: the echo's power is a quarter of the loudspeaker's.
        float scale = (float)(0.5 / Math.Sqrt(energy));
        for (int k = 0; k < h.Length; k++)
        {
            h[k] *= scale;
        }

        return h;
    }
}
