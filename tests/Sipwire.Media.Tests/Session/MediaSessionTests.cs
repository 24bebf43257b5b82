// MediaSession end to end over the simulated network: continuity under loss and jitter, DTMF, SRTP, hold, re-INVITE, bad input.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using NUnit.Framework;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Media.Tests.Session;

[TestFixture]
public sealed class MediaSessionTests
{
    private static readonly byte[] s_keyA = Enumerable.Range(1, 30).Select(i => (byte)i).ToArray();
    private static readonly byte[] s_keyB = Enumerable.Range(101, 30).Select(i => (byte)i).ToArray();

    public static IEnumerable<TestCaseData> Codecs()
    {
        // Measured: 99.9 % for PCMU/PCMA (G.711 Appendix I PLC), 100 % for G.722 and L16.
        yield return new TestCaseData(AudioCodec.Pcmu, 0, 0.99).SetName("Tone_PCMU");
        yield return new TestCaseData(AudioCodec.Pcma, 8, 0.99).SetName("Tone_PCMA");
        yield return new TestCaseData(AudioCodec.G722, 9, 0.99).SetName("Tone_G722");
        yield return new TestCaseData(AudioCodec.L16Wideband, 97, 0.99).SetName("Tone_L16");
        // Opus (Concentus): each lost packet, concealed or rebuilt from in-band FEC, plays a pure
        // tone 15-18 dB low and the decoder ramps back over the next 20 ms, so 4 of the 10 ms
        // windows around each loss fail the -6 dB test: 89 % measured. SILK models speech, not tones.
        yield return new TestCaseData(AudioCodec.Opus, 111, 0.85).SetName("Tone_Opus");
    }

    [TestCaseSource(nameof(Codecs))]
    public void ToneStaysContinuousThroughFivePercentLossAndFortyMsJitter(AudioCodec codec, int pt, double threshold)
    {
        using var call = new SimulatedCall(codec, pt, seed: 7);
        call.Network.LossRate = 0.05;
        call.Network.BaseDelayUs = 20_000;
        call.Network.JitterUs = 40_000;
        var tone = new ToneSource(700, call.A.SampleRate);
        call.Run(500, micA: tone.Fill); // 10 s

        MediaSessionStatistics b = call.B.GetStatistics();
        double continuous = tone.ContinuousFraction(call.PlayedB, call.A.SampleRate, call.A.SampleRate);
        TestContext.Out.WriteLine($"{codec.EncodingName}: continuous {continuous:P2}, received {b.PacketsReceived}, decoded {b.FramesDecoded}, concealed {b.FramesConcealed}, late {b.LatePackets}, fec {b.FecRecovered}, lost {b.CumulativeLost}, dropped {call.Network.Dropped}/{call.Network.Sent}");
        Assert.That(b.CumulativeLost, Is.GreaterThan(10), "the network must have lost packets");
        Assert.That(b.JitterUs, Is.GreaterThan(5_000), "the network must have jittered");
        Assert.That(b.FramesConcealed, Is.GreaterThan(10), "losses must have been concealed");
        Assert.That(continuous, Is.GreaterThanOrEqualTo(threshold));
    }

    [Test]
    public void DtmfDigitsSurviveLossAndJitter()
    {
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0, seed: 3);
        call.Network.LossRate = 0.05;
        call.Network.BaseDelayUs = 20_000;
        call.Network.JitterUs = 40_000;
        var tone = new ToneSource(500, call.A.SampleRate);
        call.Run(50, micA: tone.Fill);
        Assert.That(call.A.SendDtmf("159#*0D"), Is.True);
        call.Run(200, micA: tone.Fill);

        string digits = string.Concat(call.EventsB.Where(e => e.Kind == MediaSessionEventKind.DtmfEnd).Select(e => e.Digit));
        string begun = string.Concat(call.EventsB.Where(e => e.Kind == MediaSessionEventKind.DtmfBegin).Select(e => e.Digit));
        Assert.That(digits, Is.EqualTo("159#*0D"));
        Assert.That(begun, Is.EqualTo("159#*0D"));
        foreach (MediaSessionEvent e in call.EventsB.Where(e => e.Kind == MediaSessionEventKind.DtmfEnd))
        {
            // 100 ms requested, sent as 5 packets of 20 ms; a lost end packet is replaced by a redundant one.
            Assert.That(e.DurationMs, Is.InRange(80, 120), $"digit {e.Digit}");
        }

        Assert.That(call.A.GetStatistics().DtmfPacketsSent, Is.EqualTo(7 * (5 + 3)), "5 packets and 3 end packets per digit (RFC 4733 §2.5.1.4)");
    }

    [Test]
    public void SrtpWithTheRightKeysCarriesTheTone()
    {
        var keysA = new SrtpKeys("AES_CM_128_HMAC_SHA1_80", s_keyA, s_keyB);
        var keysB = new SrtpKeys("AES_CM_128_HMAC_SHA1_80", s_keyB, s_keyA);
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0, srtpA: keysA, srtpB: keysB);
        call.Network.JitterUs = 20_000;
        var tone = new ToneSource(700, call.A.SampleRate);
        call.Run(150, micA: tone.Fill);

        Assert.That(call.B.GetStatistics().SrtpRejected, Is.Zero);
        Assert.That(tone.ContinuousFraction(call.PlayedB, call.A.SampleRate, call.A.SampleRate), Is.GreaterThanOrEqualTo(0.99));
    }

    [Test]
    public void SrtpWithAWrongKeyIsRejectedCountedAndNotPlayed()
    {
        byte[] wrong = (byte[])s_keyA.Clone();
        wrong[3] ^= 0x40;
        var keysA = new SrtpKeys("AES_CM_128_HMAC_SHA1_80", s_keyA, s_keyB);
        var keysB = new SrtpKeys("AES_CM_128_HMAC_SHA1_80", s_keyB, wrong);
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0, srtpA: keysA, srtpB: keysB);
        var toneA = new ToneSource(700, call.A.SampleRate);
        var toneB = new ToneSource(500, call.B.SampleRate);
        call.Run(300, micA: toneA.Fill, micB: toneB.Fill);

        MediaSessionStatistics b = call.B.GetStatistics();
        Assert.That(b.SrtpRejected, Is.GreaterThanOrEqualTo(call.A.GetStatistics().PacketsSent - 2), "every RTP packet (and SRTCP) from A must be rejected");
        Assert.That(b.PacketsReceived, Is.Zero);
        Assert.That(call.PlayedB.All(s => s == 0), Is.True, "nothing of A may be played");
        Assert.That(call.EventsB.Any(e => e.Kind == MediaSessionEventKind.RemoteLatched), Is.False, "unauthenticated packets must not latch");
        // The other direction has the right key and plays.
        Assert.That(toneB.ContinuousFraction(call.PlayedA, call.A.SampleRate, call.A.SampleRate), Is.GreaterThanOrEqualTo(0.99));
    }

    [Test]
    public void HoldStopsSendingKeepsRtcpAndResumeKeepsTheStream()
    {
        using var call = new SimulatedCall(AudioCodec.G722, 9);
        var toneA = new ToneSource(700, call.A.SampleRate);
        var toneB = new ToneSource(500, call.B.SampleRate);
        call.Run(100, micA: toneA.Fill, micB: toneB.Fill);
        int rate = call.A.SampleRate;

        // A holds B (RFC 3264 §8.4): A answers sendonly, B recvonly.
        call.A.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressB, send: true, receive: false));
        call.B.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressA, send: false, receive: true));
        long sentByB = call.B.GetStatistics().PacketsSent;
        long rtcpByB = call.IoB.RtcpSent;
        int holdStart = call.PlayedA.Count;
        call.Run(500, micA: toneA.Fill, micB: toneB.Fill);
        int holdEnd = call.PlayedA.Count;

        Assert.That(call.B.GetStatistics().PacketsSent, Is.EqualTo(sentByB), "B must not send RTP while recvonly");
        Assert.That(call.IoB.RtcpSent, Is.GreaterThan(rtcpByB), "RTCP continues on hold");
        Assert.That(ToneSource.Rms(call.PlayedA, holdStart, holdEnd), Is.Zero, "A plays nothing while sendonly");
        Assert.That(toneA.ContinuousFraction(call.PlayedB.GetRange(holdStart, holdEnd - holdStart), 0, rate), Is.GreaterThanOrEqualTo(0.99), "B still hears A");

        call.A.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressB));
        call.B.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressA));
        call.Run(150, micA: toneA.Fill, micB: toneB.Fill);

        Assert.That(toneB.ContinuousFraction(call.PlayedA.GetRange(holdEnd, call.PlayedA.Count - holdEnd), rate / 2, rate), Is.GreaterThanOrEqualTo(0.97), "A hears B again");
        Assert.That(call.EventsA.Count(e => e.Kind == MediaSessionEventKind.RemoteStreamStarted), Is.EqualTo(1), "the SSRC survives hold and resume");
    }

    [Test]
    public void ReInviteToAnotherCodecKeepsTheAudioAndTheStream()
    {
        var both = new Dictionary<int, AudioCodec> { [0] = AudioCodec.Pcmu, [9] = AudioCodec.G722 };
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0);
        call.A.Update(SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB, receiveTypes: both));
        call.B.Update(SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressA, receiveTypes: both));
        var tone = new ToneSource(700, call.A.SampleRate);
        call.Run(100, micA: tone.Fill);
        uint ssrc = call.A.Ssrc;

        call.A.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressB, receiveTypes: both));
        call.B.Update(SimulatedCall.Audio(AudioCodec.G722, 9, SimulatedCall.AddressA, receiveTypes: both));
        call.Run(100, micA: tone.Fill);

        Assert.That(call.A.Ssrc, Is.EqualTo(ssrc));
        Assert.That(call.EventsB.Count(e => e.Kind == MediaSessionEventKind.RemoteStreamStarted), Is.EqualTo(1));
        Assert.That(tone.ContinuousFraction(call.PlayedB, call.A.SampleRate, call.A.SampleRate), Is.GreaterThanOrEqualTo(0.98));
        Assert.That(call.B.GetStatistics().UnknownPayloadType, Is.Zero);
    }

    [Test]
    public void ThePeersRealPacketTimeWinsOverItsPtime()
    {
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0);
        // A packetizes 10 ms while B was told 20 ms (a peer that ignores a=ptime).
        call.A.Update(SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB, ptimeMs: 10));
        call.Network.JitterUs = 20_000;
        var tone = new ToneSource(700, call.A.SampleRate);
        call.Run(250, micA: tone.Fill);

        Assert.That(call.B.GetStatistics().PacketsReceived, Is.GreaterThan(450), "10 ms packets");
        Assert.That(tone.ContinuousFraction(call.PlayedB, call.A.SampleRate, call.A.SampleRate), Is.GreaterThanOrEqualTo(0.99));
    }

    [Test]
    public void GarbageAndStrayPacketsAreCountedAndChangeNothing()
    {
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0);
        var tone = new ToneSource(700, call.A.SampleRate);
        var random = new Random(5);
        var stranger = new IPEndPoint(IPAddress.Parse("10.6.6.6"), 4444);
        byte[] junk = new byte[200];
        byte[] stray = new byte[172];
        for (int round = 0; round < 20; round++)
        {
            call.Run(10, micA: tone.Fill);
            random.NextBytes(junk);
            call.Network.Inject(junk.AsSpan(0, random.Next(0, 200)), stranger, SimulatedCall.AddressB);
            call.Network.Inject(junk.AsSpan(0, random.Next(0, 200)), stranger, new IPEndPoint(SimulatedCall.AddressB.Address, SimulatedCall.AddressB.Port + 1));
            // A well-formed RTP packet of another SSRC with an unknown payload type, once each.
            stray[0] = 0x80;
            stray[1] = (byte)(round % 2 == 0 ? 0 : 77);
            random.NextBytes(stray.AsSpan(2, 10));
            call.Network.Inject(stray, stranger, SimulatedCall.AddressB);
        }

        call.Run(20, micA: tone.Fill);
        MediaSessionStatistics b = call.B.GetStatistics();
        Assert.That(b.Malformed, Is.GreaterThan(20));
        Assert.That(call.B.RemoteRtp, Is.EqualTo(SimulatedCall.AddressA), "single stray packets must not move the latch");
        Assert.That(call.EventsB.Count(e => e.Kind == MediaSessionEventKind.RemoteStreamStarted), Is.EqualTo(1), "stray SSRCs must not replace the stream");
        Assert.That(tone.ContinuousFraction(call.PlayedB, call.A.SampleRate, call.A.SampleRate), Is.GreaterThanOrEqualTo(0.99));
    }

    [Test]
    public void RtcpReportsFlowBothWaysAndByeEndsIt()
    {
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0);
        var tone = new ToneSource(700, call.A.SampleRate);
        // A one-way delay of two frame periods: the sessions are polled once per 20 ms frame, so a
        // delay that is a multiple of it is measured exactly.
        call.Network.BaseDelayUs = 40_000;
        call.Run(1000, micA: tone.Fill, micB: tone.Fill, record: false); // 20 s: several RTCP intervals (RFC 3550 §6.2: 5 s minimum)

        MediaSessionStatistics a = call.A.GetStatistics();
        Assert.That(a.RtcpSent, Is.InRange(2, 8));
        Assert.That(a.RtcpReceived, Is.GreaterThanOrEqualTo(2));
        Assert.That(a.RoundTripUs, Is.InRange(79_000, 81_000), "two 40 ms one-way delays (RFC 3550 §6.4.1: A - LSR - DLSR)");

        call.A.Stop(call.NowUs);
        call.Network.NowUs = call.NowUs + 40_000;
        call.B.Poll(call.NowUs + 40_000);
        Assert.That(call.B.GetStatistics().RtcpReceived, Is.GreaterThan(a.RtcpReceived - 2), "B took in A's BYE compound");
        Assert.That(call.EventsB.Any(e => e.Kind == MediaSessionEventKind.RemoteBye), Is.True);
        Assert.That(call.IoA.Disposed, Is.True);
    }

    [Test]
    public void BadArgumentsGetClearErrorsAndLoseNothing()
    {
        using var call = new SimulatedCall(AudioCodec.Pcmu, 0);
        Assert.Throws<ArgumentException>(() => call.A.WriteAudio(new short[100], 0));
        Assert.Throws<ArgumentException>(() => call.A.ReadAudio(new short[100], 0));
        var e = Assert.Throws<ArgumentException>(() => call.A.SendDtmf("12x"));
        Assert.That(e!.Message, Does.Contain("'x'"));
        call.Run(50);
        Assert.That(call.A.GetStatistics().DtmfPacketsSent, Is.Zero, "a bad digit string queues nothing");

        var noEvents = SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB) with { TelephoneEventPayloadType = -1 };
        call.A.Update(noEvents);
        Assert.That(call.A.SendDtmf("1"), Is.False, "no telephone-event agreed: the caller falls back to SIP INFO");

        var g729 = new AudioCodec("G729", 8000, 1, 18);
        Assert.Throws<ArgumentException>(() => call.A.Update(SimulatedCall.Audio(g729, 18, SimulatedCall.AddressB)));
        Assert.That(call.A.Audio.SendCodec, Is.EqualTo(AudioCodec.Pcmu), "a refused update leaves the media as it was");
        var badKeys = new SrtpKeys("AES_CM_128_HMAC_SHA1_80", new byte[12], s_keyA);
        Assert.Throws<ArgumentException>(() => call.A.Update(SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB, srtp: badKeys)));
        Assert.That(call.A.Audio.Srtp, Is.Null);

        var network = new SimulatedMediaNetwork(1);
        Assert.Throws<ArgumentException>(() => _ = new MediaSession(SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB),
            network.CreateEndpoint(IPAddress.Loopback, 1000), new MediaSessionOptions { SampleRate = 44100 }, 0));
        Assert.Throws<ArgumentException>(() => _ = new MediaSession(SimulatedCall.Audio(g729, 18, SimulatedCall.AddressB),
            network.CreateEndpoint(IPAddress.Loopback, 1002), null, 0));
    }
}
