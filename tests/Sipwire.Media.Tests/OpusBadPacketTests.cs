// Malformed Opus packets (RFC 6716 §3.4 R1-R7): a clear status, no exception, no change to the decoder.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Media.Codecs;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class OpusBadPacketTests
{
    // TOC configs (RFC 6716 §3.1 Table 2): 8 = SILK WB 10 ms, 11 = SILK WB 60 ms, 16 = CELT NB 2.5 ms, 31 = CELT FB 20 ms.
    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(Array.Empty<byte>(), OpusDecodeStatus.EmptyPacket).SetName("R1 empty");
        yield return new TestCaseData(Packet((31 << 3) | 0, 1276), OpusDecodeStatus.InvalidFrameLength).SetName("R2 code 0 frame over 1275");
        yield return new TestCaseData(Packet((31 << 3) | 1, 5), OpusDecodeStatus.InvalidFrameLength).SetName("R3 code 1 odd payload");
        yield return new TestCaseData(Packet((31 << 3) | 1, 2552), OpusDecodeStatus.InvalidFrameLength).SetName("R2 code 1 frames over 1275");
        yield return new TestCaseData(new byte[] { (31 << 3) | 2 }, OpusDecodeStatus.InvalidFrameLength).SetName("R4 code 2 no length byte");
        yield return new TestCaseData(new byte[] { (31 << 3) | 2, 252 }, OpusDecodeStatus.InvalidFrameLength).SetName("R4 code 2 truncated two-byte length");
        yield return new TestCaseData(new byte[] { (31 << 3) | 2, 200, 1, 2, 3 }, OpusDecodeStatus.InvalidFrameLength).SetName("R4 code 2 first frame past the end");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3 }, OpusDecodeStatus.InvalidFrameCount).SetName("R5 code 3 no count byte");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x00, 1, 2 }, OpusDecodeStatus.InvalidFrameCount).SetName("R5 code 3 zero frames (garbage TOC)");
        yield return new TestCaseData(new byte[] { 0xFF, 0xC0 }, OpusDecodeStatus.InvalidFrameCount).SetName("R5 all-ones TOC, zero frames");
        yield return new TestCaseData(new byte[] { (16 << 3) | 3, 49 }, OpusDecodeStatus.TooLong).SetName("R5 code 3 49 x 2.5 ms over 120 ms");
        yield return new TestCaseData(new byte[] { (11 << 3) | 3, 3, 1, 1, 1 }, OpusDecodeStatus.TooLong).SetName("R5 code 3 3 x 60 ms");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x43 }, OpusDecodeStatus.InvalidPadding).SetName("3.2.5 padding length missing");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x41, 255, 3 }, OpusDecodeStatus.InvalidPadding).SetName("3.2.5 padding past the end");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x03, 1, 2, 3, 4 }, OpusDecodeStatus.InvalidFrameLength).SetName("R6 CBR size not a multiple of M");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x83, 2, 9, 1, 2 }, OpusDecodeStatus.InvalidFrameLength).SetName("R7 VBR lengths past the end");
        yield return new TestCaseData(new byte[] { (31 << 3) | 3, 0x82, 253 }, OpusDecodeStatus.InvalidFrameLength).SetName("R7 VBR truncated two-byte length");
    }

    [TestCaseSource(nameof(Malformed))]
    public void MalformedPacketGetsItsStatusAndWritesNothing(byte[] packet, OpusDecodeStatus expected)
    {
        var codec = new OpusCodec(new OpusCodecOptions());
        var pcm = new short[5760];
        pcm.AsSpan().Fill(77);

        OpusDecodeStatus status = codec.Decode(packet, pcm, out int samples);
        OpusDecodeStatus fecStatus = codec.DecodeFec(packet, pcm, out int fecSamples);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That(fecStatus, Is.EqualTo(expected));
            Assert.That(samples, Is.EqualTo(0));
            Assert.That(fecSamples, Is.EqualTo(0));
            Assert.That(pcm, Is.All.EqualTo(77));
        });
    }

    [Test]
    public void ValidEdgeCasesDecode()
    {
        var codec = new OpusCodec(new OpusCodecOptions());
        var pcm = new short[5760];
        Assert.Multiple(() =>
        {
            // A TOC alone is a valid code-0 packet with an empty frame: the decoder conceals (RFC 6716 §3.2.1, DTX).
            Assert.That(codec.Decode(new byte[] { 31 << 3 }, pcm, out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(960));

            // Code 3, 48 x 2.5 ms = exactly 120 ms, CBR with empty frames.
            Assert.That(codec.Decode(new byte[] { (16 << 3) | 3, 48 }, pcm, out samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(5760));
        });
    }

    [TestCase(16000)]
    [TestCase(48000)]
    public void EmptyFramesMidStreamAreConcealed(int sampleRate)
    {
        // RFC 6716 §3.2.1: a 0-octet frame is DTX or a lost frame. Concentus 2.2.2 throws on one
        // once the decoder has state; OpusCodec conceals it frame by frame, as libopus does.
        var options = new OpusCodecOptions { SampleRate = sampleRate };
        (short[] clean, _, List<byte[]> packets) = OpusCodecTests.RoundTrip(new OpusCodec(options), OpusTestAudio.Speech(sampleRate, 0.5));
        var decoder = new OpusCodec(options);
        var pcm = new short[5760];
        int frame = decoder.FrameSamples;
        int loudest = 10;
        for (int i = 10; i < packets.Count; i++)
        {
            loudest = OpusTestAudio.LevelDb(clean.AsSpan(i * frame, frame)) > OpusTestAudio.LevelDb(clean.AsSpan(loudest * frame, frame)) ? i : loudest;
        }

        double cleanLevel = OpusTestAudio.LevelDb(clean.AsSpan(loudest * frame, frame));

        for (int i = 0; i < loudest; i++)
        {
            decoder.Decode(packets[i], pcm, out _);
        }

        byte[] real = packets[loudest];
        byte toc = (byte)(real[0] & 0xFC);
        byte[] secondEmpty = [(byte)(toc | 2), (byte)(real.Length - 1), .. real.AsSpan(1)];
        byte[] firstEmpty = [(byte)(toc | 2), 0, .. real.AsSpan(1)];
        Assert.Multiple(() =>
        {
            Assert.That(decoder.Decode([toc], pcm, out int samples), Is.EqualTo(OpusDecodeStatus.Ok), "lone TOC");
            Assert.That(samples, Is.EqualTo(frame));
            Assert.That(decoder.Decode([(byte)(toc | 1)], pcm, out samples), Is.EqualTo(OpusDecodeStatus.Ok), "code 1, two empty frames");
            Assert.That(samples, Is.EqualTo(2 * frame));
            Assert.That(decoder.Decode(firstEmpty, pcm, out samples), Is.EqualTo(OpusDecodeStatus.Ok), "code 2, first frame empty");
            Assert.That(samples, Is.EqualTo(2 * frame));
            Assert.That(decoder.Decode(secondEmpty, pcm, out samples), Is.EqualTo(OpusDecodeStatus.Ok), "code 2, second frame empty");
            Assert.That(samples, Is.EqualTo(2 * frame));
            Assert.That(OpusTestAudio.LevelDb(pcm.AsSpan(0, frame)), Is.EqualTo(cleanLevel).Within(6.0), "the real frame was decoded, not concealed");
            Assert.That(decoder.DecodeFec([toc], pcm, out samples), Is.EqualTo(OpusDecodeStatus.Ok), "FEC from an empty frame conceals");
            Assert.That(samples, Is.EqualTo(frame));
        });
    }

    [Test]
    public void PacketLongerThanTheBufferIsRefused()
    {
        var codec = new OpusCodec(new OpusCodecOptions { SampleRate = 16000, FrameDurationMs = 60 });
        var packet = new byte[OpusCodec.MaxPacketBytes];
        int n = codec.Encode(OpusTestAudio.Speech(16000, 0.06), packet);

        var pcm = new short[320];
        Assert.Multiple(() =>
        {
            Assert.That(codec.Decode(packet.AsSpan(0, n), pcm, out int samples), Is.EqualTo(OpusDecodeStatus.BufferTooSmall));
            Assert.That(samples, Is.EqualTo(0));
            Assert.That(codec.Decode(packet.AsSpan(0, n), new short[960], out samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(960));
        });
    }

    [Test]
    public void RejectedPacketsLeaveTheStreamUntouched()
    {
        var options = new OpusCodecOptions { SampleRate = 16000 };
        (short[] clean, _, List<byte[]> packets) = OpusCodecTests.RoundTrip(new OpusCodec(options), OpusTestAudio.Speech(16000, 1));

        var decoder = new OpusCodec(options);
        var pcm = new short[5760];
        var output = new short[clean.Length];
        int position = 0;
        foreach (byte[] packet in packets)
        {
            // Garbage between every two good packets: empty, truncated, zero-frame code 3.
            Assert.That(decoder.Decode([], pcm, out _), Is.Not.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(decoder.Decode([(byte)(packet[0] | 2), 250, 1], pcm, out _), Is.Not.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(decoder.Decode([(byte)(packet[0] | 3), 0], pcm, out _), Is.Not.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(decoder.Decode(packet, pcm, out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            pcm.AsSpan(0, samples).CopyTo(output.AsSpan(position));
            position += samples;
        }

        Assert.That(output, Is.EqualTo(clean), "bit-exact with the decode that never saw the garbage");
    }

    [Test]
    public void RandomAndMutatedPacketsNeverThrow()
    {
        var options = new OpusCodecOptions { SampleRate = 48000, InbandFec = true, PacketLossPercent = 10 };
        (_, _, List<byte[]> packets) = OpusCodecTests.RoundTrip(new OpusCodec(options), OpusTestAudio.Speech(48000, 1));
        var decoder = new OpusCodec(options);
        var pcm = new short[5760];
        var random = new Random(6716);
        var counts = new Dictionary<OpusDecodeStatus, int>();

        foreach (byte[] packet in FuzzPackets(random, packets, 20000))
        {
            OpusDecodeStatus status = random.Next(4) == 0 ? decoder.DecodeFec(packet, pcm, out _) : decoder.Decode(packet, pcm, out _);
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        TestContext.Out.WriteLine(string.Join(", ", counts));

        // Still a working decoder afterwards.
        decoder.Reset();
        Assert.Multiple(() =>
        {
            Assert.That(decoder.Decode(packets[0], pcm, out int samples), Is.EqualTo(OpusDecodeStatus.Ok));
            Assert.That(samples, Is.EqualTo(960));
            Assert.That(counts.GetValueOrDefault(OpusDecodeStatus.Ok), Is.GreaterThan(1000), "the fuzz reaches the decoder proper");
            Assert.That(counts.Count, Is.GreaterThan(4), "the fuzz hits most rejection kinds");
        });
    }

    /// <summary>Random packets (random TOC and contents) and real packets with flipped bits, truncated or extended.</summary>
    internal static IEnumerable<byte[]> FuzzPackets(Random random, List<byte[]> real, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] packet;
            switch (random.Next(3))
            {
                case 0:
                    packet = new byte[random.Next(0, random.Next(2) == 0 ? 8 : 400)];
                    random.NextBytes(packet);
                    break;
                case 1:
                {
                    byte[] source = real[random.Next(real.Count)];
                    packet = (byte[])source.Clone();
                    for (int flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        int at = random.Next(Math.Min(packet.Length, random.Next(2) == 0 ? 3 : packet.Length));
                        packet[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                }

                default:
                {
                    byte[] source = real[random.Next(real.Count)];
                    packet = new byte[random.Next(0, source.Length + 20)];
                    random.NextBytes(packet);
                    source.AsSpan(0, Math.Min(source.Length, packet.Length)).CopyTo(packet);
                    break;
                }
            }

            yield return packet;
        }
    }

    private static byte[] Packet(int toc, int payloadLength)
    {
        var packet = new byte[1 + payloadLength];
        packet[0] = (byte)toc;
        return packet;
    }
}
