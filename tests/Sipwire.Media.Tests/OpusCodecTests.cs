// OpusCodec: managed implementation, round trip quality at every rate and frame size, bitrate, FEC, DTX, no allocation.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Concentus;
using NUnit.Framework;
using Sipwire.Media.Codecs;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class OpusCodecTests
{
    [Test]
    public void UsesTheManagedConcentusCodecEvenWhenNativeIsAllowed()
    {
        // libopus0 is installed on the test machines (the interop peer), so the factory would pick it.
        OpusCodecFactory.AttemptToUseNativeLibrary = true;
        var codec = new OpusCodec(new OpusCodecOptions());

        Assert.Multiple(() =>
        {
            Assert.That(codec.EncoderType.FullName, Is.EqualTo("Concentus.Structs.OpusEncoder"));
            Assert.That(codec.DecoderType.FullName, Is.EqualTo("Concentus.Structs.OpusDecoder"));
            Assert.That(OpusCodecFactory.AttemptToUseNativeLibrary, Is.False);
        });
    }

    [TestCase(16000, 20000, 9.0)]
    [TestCase(48000, 32000, 9.0)]
    public void RoundTripOfSpeechKeepsWaveformAndLevel(int sampleRate, int expectedBitrate, double minSnr)
    {
        var codec = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate });
        short[] speech = OpusTestAudio.Speech(sampleRate, 4);
        (short[] decoded, long bytes, _) = RoundTrip(codec, speech);

        int lag = OpusTestAudio.BestLag(speech, decoded, 2 * codec.Lookahead + sampleRate / 100);
        double snr = OpusTestAudio.Snr(speech, decoded, lag, sampleRate / 5);
        double levelDelta = OpusTestAudio.LevelDb(decoded.AsSpan(lag)) - OpusTestAudio.LevelDb(speech.AsSpan(0, speech.Length - lag));
        double bitrate = bytes * 8.0 / (speech.Length / (double)sampleRate);
        TestContext.Out.WriteLine($"{sampleRate} Hz: SNR {snr:F1} dB at lag {lag} (lookahead {codec.Lookahead}, decoder {codec.DecoderDelay}), level {levelDelta:F2} dB, {bitrate / 1000:F1} kbit/s");

        Assert.Multiple(() =>
        {
            Assert.That(codec.Bitrate, Is.EqualTo(expectedBitrate), "RFC 7587 §3.1.1 recommendation");
            int delay = codec.Lookahead + codec.DecoderDelay;
            Assert.That(lag, Is.InRange(delay - (sampleRate / 1000), delay + (sampleRate / 1000)), "the codec delay is the lookahead plus the decoder's resampler");
            Assert.That(snr, Is.GreaterThan(minSnr));
            Assert.That(Math.Abs(levelDelta), Is.LessThan(1.0));
            Assert.That(bitrate, Is.InRange(expectedBitrate * 0.6, expectedBitrate * 1.3));
        });
    }

    [Test]
    public void EveryRateAndFrameDurationRoundTrips(
        [Values(8000, 12000, 16000, 24000, 48000)] int sampleRate,
        [Values(10, 20, 40, 60)] int frameMs)
    {
        var codec = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate, FrameDurationMs = frameMs });
        short[] speech = OpusTestAudio.Speech(sampleRate, 2);
        (short[] decoded, _, List<byte[]> packets) = RoundTrip(codec, speech);

        int lag = OpusTestAudio.BestLag(speech, decoded, 2 * codec.Lookahead + sampleRate / 100);
        double snr = OpusTestAudio.Snr(speech, decoded, lag, sampleRate / 5);
        TestContext.Out.WriteLine($"{sampleRate} Hz {frameMs} ms: SNR {snr:F1} dB");
        Assert.Multiple(() =>
        {
            Assert.That(codec.FrameSamples, Is.EqualTo(sampleRate / 1000 * frameMs));
            foreach (byte[] packet in packets)
            {
                // RFC 6716 §3.1: the TOC (and the frame count for code 3) gives the duration.
                Assert.That(OpusPacketDuration(packet), Is.EqualTo(frameMs * 48), "packet duration in 48 kHz samples");
                Assert.That(BandwidthRate(packet[0]), Is.LessThanOrEqualTo(sampleRate), "never codes more bandwidth than the rate carries");
            }

            Assert.That(snr, Is.GreaterThan(5.0));
        });
    }

    [Test]
    public void HigherBitrateGivesMoreOctetsAndBetterAudio()
    {
        short[] speech = OpusTestAudio.Speech(16000, 3);
        var low = new OpusCodec(new OpusCodecOptions { SampleRate = 16000, Bitrate = 8000 });
        var high = new OpusCodec(new OpusCodecOptions { SampleRate = 16000, Bitrate = 32000 });
        (short[] lowPcm, long lowBytes, _) = RoundTrip(low, speech);
        (short[] highPcm, long highBytes, _) = RoundTrip(high, speech);
        double lowSnr = OpusTestAudio.Snr(speech, lowPcm, OpusTestAudio.BestLag(speech, lowPcm, 400), 3200);
        double highSnr = OpusTestAudio.Snr(speech, highPcm, OpusTestAudio.BestLag(speech, highPcm, 400), 3200);
        TestContext.Out.WriteLine($"8 kbit/s: {lowBytes * 8 / 3000.0:F1} kbit/s, SNR {lowSnr:F1}; 32 kbit/s: {highBytes * 8 / 3000.0:F1} kbit/s, SNR {highSnr:F1}");

        // VBR spends less than the target on pauses.
        Assert.Multiple(() =>
        {
            Assert.That(lowBytes * 8 / 3.0, Is.InRange(8000 * 0.6, 8000 * 1.3));
            Assert.That(highBytes * 8 / 3.0, Is.InRange(32000 * 0.6, 32000 * 1.3));
            Assert.That(highSnr, Is.GreaterThan(lowSnr + 1));
        });
    }

    [Test]
    public void ComplexityRangeEncodesDecodableAudio([Values(0, 5, 10)] int complexity)
    {
        var codec = new OpusCodec(new OpusCodecOptions { SampleRate = 16000, Complexity = complexity });
        short[] speech = OpusTestAudio.Speech(16000, 2);
        (short[] decoded, _, _) = RoundTrip(codec, speech);
        double snr = OpusTestAudio.Snr(speech, decoded, OpusTestAudio.BestLag(speech, decoded, 400), 3200);
        TestContext.Out.WriteLine($"complexity {complexity}: SNR {snr:F1} dB");
        Assert.That(snr, Is.GreaterThan(5.0));
    }

    [Test]
    public void InbandFecRecoversALostPacketBetterThanConcealment()
    {
        const int Rate = 16000;
        var options = new OpusCodecOptions { SampleRate = Rate, Bitrate = 24000, InbandFec = true, PacketLossPercent = 20 };
        var encoder = new OpusCodec(options);
        short[] speech = OpusTestAudio.Speech(Rate, 4);
        (short[] clean, _, List<byte[]> packets) = RoundTrip(encoder, speech);
        int frame = encoder.FrameSamples;

        // Lose every 7th packet; the packet after each loss arrives.
        var lost = new HashSet<int>();
        for (int k = 10; k < packets.Count - 1; k += 7)
        {
            lost.Add(k);
        }

        short[] plc = DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: false);
        short[] fec = DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: true);
        double plcSnr = LostFramesSnr(clean, plc, lost, frame);
        double fecSnr = LostFramesSnr(clean, fec, lost, frame);
        TestContext.Out.WriteLine($"{lost.Count} lost packets: PLC {plcSnr:F1} dB, FEC {fecSnr:F1} dB against the loss-free decode");

        Assert.Multiple(() =>
        {
            Assert.That(fecSnr, Is.GreaterThan(plcSnr + 3), "the FEC copy of the lost frame beats extrapolation");
            Assert.That(fecSnr, Is.GreaterThan(3.0));
        });
    }

    [Test]
    public void FecDecodeWithoutFecDataConceals()
    {
        var options = new OpusCodecOptions { SampleRate = 16000 };
        var encoder = new OpusCodec(options);
        (_, _, List<byte[]> packets) = RoundTrip(encoder, OpusTestAudio.Speech(16000, 1));
        var lost = new HashSet<int> { 20, 30 };

        short[] plc = DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: false);
        short[] fec = DecodeWithLoss(new OpusCodec(options), packets, lost, useFec: true);
        Assert.That(fec, Is.EqualTo(plc), "no LBRR data in the next packet: the FEC call falls back to the same PLC");
    }

    [TestCase(16000)]
    [TestCase(48000)]
    public void DtxSendsShortPacketsOnSilence(int sampleRate)
    {
        short[] speech = OpusTestAudio.Speech(sampleRate, 1);
        var input = new short[sampleRate * 3];
        speech.CopyTo(input, 0);

        var dtx = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate, Dtx = true });
        var continuous = new OpusCodec(new OpusCodecOptions { SampleRate = sampleRate });
        (short[] decoded, _, List<byte[]> dtxPackets) = RoundTrip(dtx, input);
        (_, _, List<byte[]> plainPackets) = RoundTrip(continuous, input);

        // The last 1.5 s are silence well past the encoder's hangover.
        int from = dtxPackets.Count - 75;
        int shortDtx = 0;
        int shortPlain = 0;
        for (int i = from; i < dtxPackets.Count; i++)
        {
            shortDtx += OpusCodec.IsDiscontinuous(dtxPackets[i].Length) ? 1 : 0;
            shortPlain += OpusCodec.IsDiscontinuous(plainPackets[i].Length) ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{sampleRate} Hz: {shortDtx}/75 DTX packets on silence with DTX, {shortPlain}/75 without");
        Assert.Multiple(() =>
        {
            Assert.That(shortDtx, Is.GreaterThanOrEqualTo(60), "DTX frames (<= 2 octets) on silence");
            Assert.That(shortPlain, Is.EqualTo(0), "without DTX every frame is coded");
            Assert.That(OpusTestAudio.LevelDb(decoded.AsSpan(decoded.Length - (sampleRate / 2))), Is.LessThan(-60), "decoded DTX stays silent");
        });
    }

    [Test]
    public void SteadyStateAllocatesNothingBeyondConcentusItself()
    {
        // Concentus 2.2.2 allocates scratch arrays inside every encode and decode call (tens of
        // KB per 20 ms frame), so a frame cannot be allocation-free while it codes Opus. What the
        // wrapper owns - packet checks, FEC/PLC routing, buffers - must add nothing on top: the
        // same calls on the bare Concentus codec allocate exactly as much.
        var options = new OpusCodecOptions { SampleRate = 48000, Bitrate = 32000, Complexity = 5 };
        var codec = new OpusCodec(options);
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
        IOpusEncoder bareEncoder = OpusCodecFactory.CreateEncoder(48000, 1, Concentus.Enums.OpusApplication.OPUS_APPLICATION_VOIP);
        bareEncoder.Bitrate = 32000;
        bareEncoder.Complexity = 5;
        bareEncoder.SignalType = Concentus.Enums.OpusSignal.OPUS_SIGNAL_VOICE;
        bareEncoder.MaxBandwidth = Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_FULLBAND;
        IOpusDecoder bareDecoder = OpusCodecFactory.CreateDecoder(48000, 1);
        short[] speech = OpusTestAudio.Speech(48000, 2);
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var pcm = new short[codec.FrameSamples];
        int frames = speech.Length / codec.FrameSamples;

        long Ours()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int f = 0; f < frames; f++)
            {
                int n = codec.Encode(speech.AsSpan(f * 960, 960), packet);
                codec.Decode(packet.AsSpan(0, n), pcm, out _);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long Bare()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int f = 0; f < frames; f++)
            {
                int n = bareEncoder.Encode(speech.AsSpan(f * 960, 960), 960, packet, OpusCodec.MaxPacketBytes);
                bareDecoder.Decode(packet.AsSpan(0, n), pcm, 960, false);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Warm up (tiered JIT), then the best of three rounds each.
        Ours();
        Bare();
        long ours = Math.Min(Ours(), Math.Min(Ours(), Ours()));
        long bare = Math.Min(Bare(), Math.Min(Bare(), Bare()));
        TestContext.Out.WriteLine($"per 20 ms frame at 48 kHz: OpusCodec {ours / frames} B, bare Concentus {bare / frames} B");
        // Concentus' own allocations follow its internal mode decisions, which drift with the encoder
        // state across rounds (a loaded CI run measured 1.5 % apart), so equality is not stable. A
        // wrapper that allocated per frame would add well over 5 %: 2.7 KB per frame here.
        Assert.That(ours, Is.LessThanOrEqualTo(bare + bare / 20));
    }

    [Test]
    public void InvalidSettingsAndFramesAreRejected()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new OpusCodec(new OpusCodecOptions { SampleRate = 44100 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new OpusCodec(new OpusCodecOptions { Channels = 3 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new OpusCodec(new OpusCodecOptions { FrameDurationMs = 30 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new OpusCodec(new OpusCodecOptions { Bitrate = 1000 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new OpusCodec(new OpusCodecOptions { Complexity = 11 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new OpusCodec(new OpusCodecOptions { PacketLossPercent = 101 }), Throws.TypeOf<ArgumentOutOfRangeException>());
            var codec = new OpusCodec(new OpusCodecOptions { SampleRate = 16000 });
            Assert.That(() => codec.Encode(new short[319], new byte[OpusCodec.MaxPacketBytes]), Throws.ArgumentException);
            Assert.That(() => codec.Encode(new short[320], new byte[2]), Throws.ArgumentException);
            Assert.That(() => codec.Conceal(new short[319]), Throws.ArgumentException);
        });
    }

    [Test]
    public void StereoRoundTripKeepsChannelsApart()
    {
        short[] left = OpusTestAudio.Speech(48000, 2, seed: 1);
        short[] right = OpusTestAudio.Speech(48000, 2, seed: 2);
        var interleaved = new short[left.Length * 2];
        for (int i = 0; i < left.Length; i++)
        {
            interleaved[2 * i] = left[i];
            interleaved[(2 * i) + 1] = right[i];
        }

        var codec = new OpusCodec(new OpusCodecOptions { Channels = 2, Bitrate = 64000 });
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var pcm = new short[codec.FrameSamples * 2];
        var decodedLeft = new short[left.Length];
        var decodedRight = new short[left.Length];
        for (int f = 0; (f + 1) * codec.FrameSamples * 2 <= interleaved.Length; f++)
        {
            int n = codec.Encode(interleaved.AsSpan(f * codec.FrameSamples * 2, codec.FrameSamples * 2), packet);
            Assert.That(codec.Decode(packet.AsSpan(0, n), pcm, out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            for (int i = 0; i < samples; i++)
            {
                decodedLeft[(f * codec.FrameSamples) + i] = pcm[2 * i];
                decodedRight[(f * codec.FrameSamples) + i] = pcm[(2 * i) + 1];
            }
        }

        int lag = OpusTestAudio.BestLag(left, decodedLeft, 1000);
        double leftSnr = OpusTestAudio.Snr(left, decodedLeft, lag, 9600);
        double rightSnr = OpusTestAudio.Snr(right, decodedRight, lag, 9600);
        double crossSnr = OpusTestAudio.Snr(left, decodedRight, lag, 9600);
        TestContext.Out.WriteLine($"stereo: left {leftSnr:F1} dB, right {rightSnr:F1} dB, left vs decoded right {crossSnr:F1} dB");
        Assert.Multiple(() =>
        {
            Assert.That(leftSnr, Is.GreaterThan(5.0));
            Assert.That(rightSnr, Is.GreaterThan(5.0));
            Assert.That(crossSnr, Is.LessThan(1.0), "the right channel is not a copy of the left");
        });
    }

    internal static (short[] Decoded, long Bytes, List<byte[]> Packets) RoundTrip(OpusCodec codec, short[] input)
    {
        var packet = new byte[OpusCodec.MaxPacketBytes];
        var pcm = new short[codec.FrameSamples * codec.Channels];
        var decoded = new short[input.Length];
        var packets = new List<byte[]>();
        long bytes = 0;
        int position = 0;
        foreach (ReadOnlyMemory<short> frame in OpusTestAudio.Frames(input, codec.FrameSamples))
        {
            int n = codec.Encode(frame.Span, packet);
            bytes += n;
            packets.Add(packet.AsSpan(0, n).ToArray());
            OpusDecodeStatus status = codec.Decode(packet.AsSpan(0, n), pcm, out int samples);
            Assert.That(status, Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(codec.FrameSamples));
            pcm.AsSpan(0, samples).CopyTo(decoded.AsSpan(position));
            position += samples;
        }

        return (decoded, bytes, packets);
    }

    internal static short[] DecodeWithLoss(OpusCodec decoder, List<byte[]> packets, HashSet<int> lost, bool useFec)
    {
        int frame = decoder.FrameSamples;
        var output = new short[packets.Count * frame];
        for (int k = 0; k < packets.Count; k++)
        {
            Span<short> target = output.AsSpan(k * frame, frame);
            int samples;
            if (!lost.Contains(k))
            {
                Assert.That(decoder.Decode(packets[k], target, out samples), Is.EqualTo(OpusDecodeStatus.Ok));
            }
            else if (useFec)
            {
                Assert.That(decoder.DecodeFec(packets[k + 1], target, out samples), Is.EqualTo(OpusDecodeStatus.Ok));
            }
            else
            {
                samples = decoder.Conceal(target);
            }

            Assert.That(samples, Is.EqualTo(frame));
        }

        return output;
    }

    private static double LostFramesSnr(short[] clean, short[] recovered, HashSet<int> lost, int frame)
    {
        double signal = 0;
        double noise = 0;
        foreach (int k in lost)
        {
            for (int i = k * frame; i < (k + 1) * frame; i++)
            {
                double e = clean[i] - (double)recovered[i];
                signal += (double)clean[i] * clean[i];
                noise += e * e;
            }
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
    }

    // RFC 6716 §3.1-§3.2: frames per packet (code 0: 1, codes 1-2: 2, code 3: M) times the TOC's frame duration.
    private static int OpusPacketDuration(byte[] packet)
    {
        int config = packet[0] >> 3;
        int perFrame = config < 12 ? new[] { 480, 960, 1920, 2880 }[config & 3]
            : config < 16 ? ((config & 1) == 0 ? 480 : 960)
            : 120 << (config & 3);
        int frames = (packet[0] & 3) switch { 0 => 1, 3 => packet[1] & 0x3F, _ => 2 };
        return frames * perFrame;
    }

    // RFC 6716 §3.1 Table 2: the TOC's audio bandwidth as its effective sample rate.
    private static int BandwidthRate(byte toc)
    {
        int config = toc >> 3;
        return config switch
        {
            < 4 => 8000,
            < 8 => 12000,
            < 12 => 16000,
            < 14 => 24000,
            < 16 => 48000,
            < 20 => 8000,
            < 24 => 16000,
            < 28 => 24000,
            _ => 48000,
        };
    }
}
