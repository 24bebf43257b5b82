// Opus interop with libopus (Debian libopus0 through bench/native/opus): each side decodes the other's packets.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Bench.Media;
using Sipwire.Media.Codecs;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class OpusInteropTests
{
    [OneTimeSetUp]
    public void LoadLibopus()
    {
        OpusShim.EnsureLoaded();
        TestContext.Out.WriteLine($"peer: {OpusShim.VersionString}");
    }

    [TestCase(16000, 20000, 5)]
    [TestCase(48000, 32000, 10)]
    public void LibopusEncodesAndOurDecoderPlaysIt(int sampleRate, int bitrate, int complexity)
    {
        short[] speech = OpusTestAudio.Speech(sampleRate, 3);
        int frame = sampleRate / 50;
        using var encoder = new OpusShimEncoder(sampleRate, 1, bitrate, complexity, signal: 1);
        using var reference = new OpusShimDecoder(sampleRate, 1);
        var ours = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate });
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var pcm = new short[frame];
        var oursOut = new short[speech.Length];
        var theirsOut = new short[speech.Length];
        for (int i = 0; i + frame <= speech.Length; i += frame)
        {
            int n = encoder.Encode(speech.AsSpan(i, frame), packet);
            Assert.That(n, Is.GreaterThan(0), "opus_encode");
            Assert.That(ours.Decode(packet.AsSpan(0, n), oursOut.AsSpan(i, frame), out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(frame));
            Assert.That(reference.Decode(packet.AsSpan(0, n), theirsOut.AsSpan(i, frame)), Is.EqualTo(frame), "opus_decode");
        }

        int lag = OpusTestAudio.BestLag(speech, oursOut, 2 * frame);
        double snr = OpusTestAudio.Snr(speech, oursOut, lag, sampleRate / 5);
        double agreement = OpusTestAudio.Snr(theirsOut, oursOut, ours.DecoderDelay, sampleRate / 5);
        TestContext.Out.WriteLine($"libopus -> ours at {sampleRate} Hz: SNR {snr:F1} dB vs the input, {agreement:F1} dB vs libopus' own decode");
        Assert.Multiple(() =>
        {
            Assert.That(snr, Is.GreaterThan(9.0));
            Assert.That(agreement, Is.GreaterThan(15.0), "the two decoders agree (not bit-exact: fixed-point Concentus decoding at 48 kHz, resampled; float libopus)");
        });
    }

    [TestCase(16000, 5)]
    [TestCase(48000, 10)]
    public void OurEncoderIsPlayedByLibopus(int sampleRate, int complexity)
    {
        short[] speech = OpusTestAudio.Speech(sampleRate, 3);
        var ours = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate, Complexity = complexity });
        int frame = ours.FrameSamples;
        using var reference = new OpusShimDecoder(sampleRate, 1);
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var theirsOut = new short[speech.Length];
        var oursOut = new short[speech.Length];
        for (int i = 0; i + frame <= speech.Length; i += frame)
        {
            int n = ours.Encode(speech.AsSpan(i, frame), packet);
            Assert.That(reference.Decode(packet.AsSpan(0, n), theirsOut.AsSpan(i, frame)), Is.EqualTo(frame), "opus_decode");
            Assert.That(ours.Decode(packet.AsSpan(0, n), oursOut.AsSpan(i, frame), out _), Is.EqualTo(OpusDecodeStatus.Ok));
        }

        int lag = OpusTestAudio.BestLag(speech, theirsOut, 2 * frame);
        double snr = OpusTestAudio.Snr(speech, theirsOut, lag, sampleRate / 5);
        double agreement = OpusTestAudio.Snr(theirsOut, oursOut, ours.DecoderDelay, sampleRate / 5);
        TestContext.Out.WriteLine($"ours -> libopus at {sampleRate} Hz: SNR {snr:F1} dB vs the input, {agreement:F1} dB vs our own decode");
        Assert.Multiple(() =>
        {
            Assert.That(snr, Is.GreaterThan(9.0));
            Assert.That(agreement, Is.GreaterThan(15.0));
        });
    }

    [TestCase(8000)]
    [TestCase(12000)]
    [TestCase(16000)]
    [TestCase(24000)]
    public void FullbandHybridFromLibopusPlaysAtLowerRates(int sampleRate)
    {
        // A 48 kHz sender codes speech as hybrid SILK+CELT (TOC configs 14-15); a narrower receiver
        // decodes it at its own rate (RFC 7587 §7.1: maxplaybackrate is only a hint to the sender).
        short[] speech = OpusTestAudio.Speech(48000, 3);
        using var encoder = new OpusShimEncoder(48000, 1, 32000, 5, signal: 1);
        using var reference = new OpusShimDecoder(sampleRate, 1);
        var ours = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate });
        int frame = sampleRate / 50;
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var oursOut = new short[speech.Length / 48000 * sampleRate];
        var theirsOut = new short[oursOut.Length];
        int hybrid = 0;
        for (int f = 0; (f + 1) * 960 <= speech.Length; f++)
        {
            int n = encoder.Encode(speech.AsSpan(f * 960, 960), packet);
            hybrid += (packet[0] >> 3) is >= 12 and < 16 ? 1 : 0;
            Assert.That(ours.Decode(packet.AsSpan(0, n), oursOut.AsSpan(f * frame, frame), out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(frame));
            Assert.That(reference.Decode(packet.AsSpan(0, n), theirsOut.AsSpan(f * frame, frame)), Is.EqualTo(frame));
        }

        double agreement = OpusTestAudio.Snr(theirsOut, oursOut, ours.DecoderDelay, sampleRate / 5);
        double levelDelta = OpusTestAudio.LevelDb(oursOut) - OpusTestAudio.LevelDb(theirsOut);
        TestContext.Out.WriteLine($"48 kHz hybrid ({hybrid} of {speech.Length / 960} packets) -> {sampleRate} Hz: {agreement:F1} dB vs libopus at {sampleRate} Hz, level {levelDelta:F2} dB");
        Assert.Multiple(() =>
        {
            Assert.That(hybrid, Is.GreaterThan(100), "the sender really used hybrid mode");
            Assert.That(agreement, Is.GreaterThan(15.0));
            Assert.That(Math.Abs(levelDelta), Is.LessThan(1.0));
        });
    }

    [Test]
    public void OurDecoderRecoversLibopusFec()
    {
        const int Rate = 16000;
        const int Frame = 320;
        short[] speech = OpusTestAudio.Speech(Rate, 4);
        using var encoder = new OpusShimEncoder(Rate, 1, 24000, 5, signal: 1, inbandFec: true, lossPercent: 20);
        var packets = new List<byte[]>();
        var packet = new byte[OpusCodec.MaxPacketBytes];
        for (int i = 0; i + Frame <= speech.Length; i += Frame)
        {
            int n = encoder.Encode(speech.AsSpan(i, Frame), packet);
            packets.Add(packet.AsSpan(0, n).ToArray());
        }

        var lost = new HashSet<int>();
        for (int k = 10; k < packets.Count - 1; k += 7)
        {
            lost.Add(k);
        }

        var options = new OpusCodecOptions { SampleRate = Rate };
        short[] clean = OpusCodecTests.DecodeWithLoss(new OpusCodec(options), packets, [], useFec: false);
        short[] plc = OpusCodecTests.DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: false);
        short[] fec = OpusCodecTests.DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: true);

        // libopus recovering the same losses is the reference for our FEC decode.
        using var reference = new OpusShimDecoder(Rate, 1);
        var theirs = new short[packets.Count * Frame];
        for (int k = 0; k < packets.Count; k++)
        {
            byte[] source = lost.Contains(k) ? packets[k + 1] : packets[k];
            Assert.That(reference.Decode(source, theirs.AsSpan(k * Frame, Frame), decodeFec: lost.Contains(k)), Is.EqualTo(Frame));
        }

        double plcSnr = OpusTestAudio.Snr(clean, plc, 0, 0);
        double fecSnr = OpusTestAudio.Snr(clean, fec, 0, 0);
        double agreement = OpusTestAudio.Snr(theirs, fec, new OpusCodec(options).DecoderDelay, Rate / 5);
        TestContext.Out.WriteLine($"libopus FEC stream: PLC {plcSnr:F1} dB, our FEC {fecSnr:F1} dB vs the loss-free decode; {agreement:F1} dB vs libopus' FEC decode");
        Assert.Multiple(() =>
        {
            Assert.That(fecSnr, Is.GreaterThan(plcSnr + 3));
            Assert.That(agreement, Is.GreaterThan(15.0));
        });
    }

    [Test]
    public void PacketChecksAgreeWithLibopus()
    {
        var options = new OpusCodecOptions { SampleRate = 48000 };
        (_, _, List<byte[]> packets) = OpusCodecTests.RoundTrip(new OpusCodec(options), OpusTestAudio.Speech(48000, 1));
        var random = new Random(3551);
        var pcm = new short[5760];
        int disagreements = 0;
        int rejected = 0;
        string firstDisagreement = "";
        foreach (byte[] packet in OpusBadPacketTests.FuzzPackets(random, packets, 20000))
        {
            if (packet.Length == 0)
            {
                continue;
            }

            // Fresh decoders so the verdict depends on the packet alone.
            var ours = new OpusCodec(options);
            using var theirs = new OpusShimDecoder(48000, 1);
            OpusDecodeStatus status = ours.Decode(packet, pcm, out _);
            int result = theirs.Decode(packet, pcm);
            bool oursValid = status == OpusDecodeStatus.Ok;
            bool theirsValid = result >= 0;
            rejected += oursValid ? 0 : 1;
            if (oursValid != theirsValid)
            {
                disagreements++;
                firstDisagreement = firstDisagreement.Length > 0 ? firstDisagreement : $"{Convert.ToHexString(packet.AsSpan(0, Math.Min(8, packet.Length)))}.. ({packet.Length} octets): ours {status}, libopus {result}";
            }
        }

        TestContext.Out.WriteLine($"{rejected} of 20000 rejected");
        Assert.Multiple(() =>
        {
            Assert.That(disagreements, Is.EqualTo(0), firstDisagreement);
            Assert.That(rejected, Is.GreaterThan(1000));
        });
    }
}
