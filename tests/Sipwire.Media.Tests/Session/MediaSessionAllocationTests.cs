// End-to-end zero-allocation check: RTP → jitter buffer → decode → encode → RTP through two media sessions in steady state.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Media.Tests.Session;

[TestFixture]
public sealed class MediaSessionAllocationTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (bool srtp in new[] { false, true })
        {
            foreach (bool aec in new[] { false, true })
            {
                yield return new TestCaseData(AudioCodec.Pcmu, 0, srtp, aec);
                yield return new TestCaseData(AudioCodec.Pcma, 8, srtp, aec);
                yield return new TestCaseData(AudioCodec.G722, 9, srtp, aec);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void SteadyStateFramesAllocateNothing(AudioCodec codec, int pt, bool srtp, bool aec)
    {
        byte[] keyA = new byte[30];
        byte[] keyB = new byte[30];
        keyA.AsSpan().Fill(0x11);
        keyB.AsSpan().Fill(0x22);
        var options = new MediaSessionOptions { EchoCanceller = aec, RtcpSeed = 1, Cname = "a@test" };
        var optionsB = new MediaSessionOptions { EchoCanceller = aec, RtcpSeed = 2, Cname = "b@test" };
        using var call = new SimulatedCall(codec, pt, options, optionsB,
            srtp ? new SrtpKeys("AES_CM_128_HMAC_SHA1_80", keyA, keyB) : null,
            srtp ? new SrtpKeys("AES_CM_128_HMAC_SHA1_80", keyB, keyA) : null, seed: 11);
        // Loss, jitter and reordering so concealment and reordering paths run during the measurement.
        call.Network.LossRate = 0.05;
        call.Network.BaseDelayUs = 20_000;
        call.Network.JitterUs = 40_000;
        var toneA = new ToneSource(700, call.A.SampleRate);
        var toneB = new ToneSource(400, call.B.SampleRate);
        short[] speaker = new short[call.A.FrameSamples];
        short[] mic = new short[call.A.FrameSamples];
        long now = 0;

        void Frames(int count)
        {
            for (int i = 0; i < count; i++)
            {
                call.Network.NowUs = now;
                call.A.Poll(now);
                call.B.Poll(now);
                call.A.ReadAudio(speaker, now);
                call.B.ReadAudio(speaker, now);
                toneA.Fill(mic);
                call.A.WriteAudio(mic, now);
                toneB.Fill(mic);
                call.B.WriteAudio(mic, now);
                now += 20_000;
            }
        }

        // Warm-up: first packets, latching, the first RTCP reports (the CNAME is decoded once), JIT.
        Frames(600);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Frames(1000); // 20 s of a two-way call, several RTCP intervals included
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        MediaSessionStatistics b = call.B.GetStatistics();
        Assert.That(b.FramesDecoded, Is.GreaterThan(1200), "audio must have flowed");
        Assert.That(b.FramesConcealed, Is.GreaterThan(20), "losses must have been concealed during the measurement");
        Assert.That(b.RtcpReceived, Is.GreaterThanOrEqualTo(3));
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated over 1000 frames on both sides");
    }
}
