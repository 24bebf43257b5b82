// RTP header parse/serialize, A.1 source validation and sequence wrap, A.8 jitter, symmetric RTP.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using NUnit.Framework;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class RtpTests
{
    // RFC 3550 §5.1 layout: V=2 P=0 X=0 CC=0 | M=1 PT=0 | seq 0x1234 | ts 0xDEADBEEF | ssrc 0x01020304 | payload.
    private static readonly byte[] s_simple = Vectors.Hex("80 80 1234 DEADBEEF 01020304 AABBCC");

    [Test]
    public void ParsesFixedHeader()
    {
        Assert.That(RtpHeader.TryParse(s_simple, out RtpHeader h, out RtpParseError err), Is.True, err.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(h.Marker, Is.True);
            Assert.That(h.PayloadType, Is.EqualTo(0));
            Assert.That(h.SequenceNumber, Is.EqualTo(0x1234));
            Assert.That(h.Timestamp, Is.EqualTo(0xDEADBEEF));
            Assert.That(h.Ssrc, Is.EqualTo(0x01020304));
            Assert.That(h.HeaderLength, Is.EqualTo(12));
            Assert.That(h.GetPayload(s_simple).ToArray(), Is.EqualTo(new byte[] { 0xAA, 0xBB, 0xCC }));
        });
    }

    [Test]
    public void ParsesCsrcExtensionAndPadding()
    {
        // V=2 P=1 X=1 CC=2, PT 8; 2 CSRCs; extension profile 0xBEDE with 1 word; payload 2 bytes; 2 padding bytes.
        byte[] packet = Vectors.Hex("B2 08 0001 00000010 0000000A 11111111 22222222 BEDE0001 AABBCCDD 5566 0002");
        Assert.That(RtpHeader.TryParse(packet, out RtpHeader h, out RtpParseError err), Is.True, err.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(h.CsrcCount, Is.EqualTo(2));
            Assert.That(h.GetCsrc(packet, 1), Is.EqualTo(0x22222222));
            Assert.That(h.HasExtension, Is.True);
            Assert.That(h.ExtensionProfile, Is.EqualTo(0xBEDE));
            Assert.That(h.ExtensionLength, Is.EqualTo(4));
            Assert.That(h.HeaderLength, Is.EqualTo(12 + 8 + 4 + 4));
            Assert.That(h.PaddingLength, Is.EqualTo(2));
            Assert.That(h.GetPayload(packet).ToArray(), Is.EqualTo(new byte[] { 0x55, 0x66 }));
        });
    }

    [TestCase("80 00 0001 00000000", RtpParseError.Truncated)]
    [TestCase("40 00 0001 00000000 00000000", RtpParseError.BadVersion)]
    [TestCase("A0 00 0001 00000000 00000000 AA00", RtpParseError.BadPadding)]
    [TestCase("A0 00 0001 00000000 00000000 AA09", RtpParseError.BadPadding)]
    [TestCase("90 00 0001 00000000 00000000 BEDE0002 00000000", RtpParseError.BadExtension)]
    [TestCase("83 00 0001 00000000 00000000 00000000", RtpParseError.Truncated)]
    [TestCase("80 C8 0001 00000000 00000000", RtpParseError.RtcpPayloadType)]
    public void RejectsMalformed(string hex, RtpParseError expected)
    {
        Assert.That(RtpHeader.TryParse(Vectors.Hex(hex), out _, out RtpParseError err), Is.False);
        Assert.That(err, Is.EqualTo(expected));
    }

    [Test]
    public void EveryPrefixOfAValidPacketIsRejectedWithoutThrowing()
    {
        byte[] packet = Vectors.Hex("92 08 0001 00000010 0000000A 11111111 22222222 BEDE0001 AABBCCDD 5566");
        for (int n = 0; n < packet.Length - 2; n++)
        {
            Assert.That(RtpHeader.TryParse(packet.AsSpan(0, n), out _, out _), Is.False, $"prefix {n}");
        }
    }

    [Test]
    public void SenderWritesAndWrapsSequenceAndTimestamp()
    {
        var sender = new RtpSender(0, 8000, 0xCAFEBABE, 65535, 0xFFFFFFE0);
        byte[] buffer = new byte[200];
        byte[] payload = new byte[160];
        int n1 = sender.WritePacket(buffer, payload, 160, marker: true, nowUs: 0);
        Assert.That(n1, Is.EqualTo(172));
        Assert.That(RtpHeader.TryParse(buffer.AsSpan(0, n1), out RtpHeader h1, out _), Is.True);
        Assert.That((h1.SequenceNumber, h1.Timestamp, h1.Marker, h1.Ssrc), Is.EqualTo(((ushort)65535, 0xFFFFFFE0u, true, 0xCAFEBABEu)));
        int n2 = sender.WritePacket(buffer, payload, 160, marker: false, nowUs: 20_000);
        Assert.That(RtpHeader.TryParse(buffer.AsSpan(0, n2), out RtpHeader h2, out _), Is.True);
        Assert.That((h2.SequenceNumber, h2.Timestamp), Is.EqualTo(((ushort)0, 0x00000080u)));
        Assert.That((sender.PacketCount, sender.OctetCount), Is.EqualTo((2u, 320u)));
        Assert.That(sender.TimestampAt(30_000), Is.EqualTo(0x80u + 80), "SR timestamp extrapolates 10 ms at 8 kHz");
        Assert.That(sender.WritePacket(new byte[100], payload, 160, false, 0), Is.EqualTo(-1));
    }

    [Test]
    public void NewSourceIsOnProbationUntilTwoSequentialPackets()
    {
        var source = new RtpSource(1, 1000, 8000);
        Assert.That(source.UpdateSequence(1000, out _), Is.EqualTo(RtpSequenceResult.Probation));
        Assert.That(source.IsValid, Is.False);
        Assert.That(source.UpdateSequence(1001, out uint ext), Is.EqualTo(RtpSequenceResult.Accepted));
        Assert.That(source.IsValid, Is.True);
        Assert.That(ext, Is.EqualTo(1001u));
    }

    [Test]
    public void OutOfSequencePacketsRestartProbation()
    {
        var source = new RtpSource(1, 1000, 8000);
        Assert.That(source.UpdateSequence(1000, out _), Is.EqualTo(RtpSequenceResult.Probation));
        Assert.That(source.UpdateSequence(1005, out _), Is.EqualTo(RtpSequenceResult.Probation));
        Assert.That(source.UpdateSequence(1006, out _), Is.EqualTo(RtpSequenceResult.Accepted));
    }

    [Test]
    public void ExtendedSequenceCountsWraps()
    {
        var source = new RtpSource(1, 65533, 8000);
        source.UpdateSequence(65533, out _);
        source.UpdateSequence(65534, out _);
        Assert.That(source.UpdateSequence(65535, out uint e1), Is.EqualTo(RtpSequenceResult.Accepted));
        Assert.That(source.UpdateSequence(0, out uint e2), Is.EqualTo(RtpSequenceResult.Accepted));
        Assert.That(source.UpdateSequence(2, out uint e3), Is.EqualTo(RtpSequenceResult.Accepted));
        // A late packet from before the wrap keeps its old cycle.
        Assert.That(source.UpdateSequence(65535, out uint e4), Is.EqualTo(RtpSequenceResult.Reordered));
        Assert.That(new[] { e1, e2, e3, e4 }, Is.EqualTo(new uint[] { 65535, 65536, 65538, 65535 }));
        Assert.That(source.ExtendedHighestSequence, Is.EqualTo(65538u));
        // Received 65534, 65535, 0, 2 and the duplicate 65535; expected 65534..65538 = 5.
        Assert.That(source.CumulativeLost, Is.EqualTo(0));
    }

    [Test]
    public void LargeJumpIsDroppedUntilConfirmedThenRestarts()
    {
        var source = new RtpSource(1, 10, 8000);
        source.UpdateSequence(10, out _);
        source.UpdateSequence(11, out _);
        Assert.That(source.UpdateSequence(30000, out _), Is.EqualTo(RtpSequenceResult.BadJump));
        Assert.That(source.ExtendedHighestSequence, Is.EqualTo(11u));
        Assert.That(source.UpdateSequence(30001, out uint ext), Is.EqualTo(RtpSequenceResult.Restarted));
        Assert.That(ext, Is.EqualTo(30001u));
        Assert.That(source.UpdateSequence(30002, out _), Is.EqualTo(RtpSequenceResult.Accepted));
    }

    [Test]
    public void JitterIsZeroForConstantTransitAndTracksAlternatingDelay()
    {
        var steady = new RtpSource(1, 0, 8000);
        for (int i = 0; i < 100; i++)
        {
            steady.UpdateJitter((uint)(i * 160), 50_000 + (i * 20_000L));
        }

        Assert.That(steady.Jitter, Is.EqualTo(0u));

        // Transit alternates between +0 and +10 ms: |D| = 80 timestamp units at 8 kHz for every pair;
        // J converges to 80 (A.8 estimator with gain 1/16).
        var jumpy = new RtpSource(1, 0, 8000);
        for (int i = 0; i < 400; i++)
        {
            jumpy.UpdateJitter((uint)(i * 160), (i * 20_000L) + (i % 2 == 0 ? 0 : 10_000));
        }

        Assert.That(jumpy.Jitter, Is.InRange(78u, 80u));

        // The same with Unix-epoch arrival times at 48 kHz (no overflow in the unit conversion).
        var unix = new RtpSource(1, 0, 48000);
        for (int i = 0; i < 400; i++)
        {
            unix.UpdateJitter((uint)(i * 960), 1_750_000_000_000_000 + (i * 20_000L) + (i % 2 == 0 ? 0 : 10_000));
        }

        Assert.That(unix.Jitter, Is.InRange(470u, 480u));
        Assert.That(jumpy.JitterUs, Is.InRange(9_750L, 10_000L));
    }

    [Test]
    public void ReportBlockOverALossyLinkMatchesTheLossRate()
    {
        var link = new LossyLink(seed: 7, lossRate: 0.10, baseDelayUs: 30_000, jitterUs: 15_000, duplicateRate: 0.0);
        var sender = new RtpSender(0, 8000, 42, 65000, 1000);
        byte[] buffer = new byte[200];
        RtpSource? source = null;
        int accepted = 0;
        for (long t = 0; t < 20_000_000; t += 1_000)
        {
            if (t % 20_000 == 0)
            {
                int n = sender.WritePacket(buffer, new byte[160], 160, false, t);
                link.Send(buffer.AsSpan(0, n), t);
            }

            foreach (byte[] d in link.Receive(t))
            {
                Assert.That(RtpHeader.TryParse(d, out RtpHeader h, out _), Is.True);
                source ??= new RtpSource(h.Ssrc, h.SequenceNumber, 8000);
                RtpSequenceResult r = source.UpdateSequence(h.SequenceNumber, out _);
                if (r is RtpSequenceResult.Accepted or RtpSequenceResult.Reordered)
                {
                    accepted++;
                    source.UpdateJitter(h.Timestamp, t);
                }
            }
        }

        Assert.That(source, Is.Not.Null);
        RtcpReportBlock block = source!.CreateReportBlock(20_000_000);
        double lossRate = (double)block.CumulativeLost / source.Expected;
        Assert.Multiple(() =>
        {
            Assert.That(block.Ssrc, Is.EqualTo(42u));
            Assert.That(lossRate, Is.InRange(0.08, 0.12));
            Assert.That(block.FractionLost / 256.0, Is.InRange(0.08, 0.12));
            Assert.That(block.ExtendedHighestSequence, Is.GreaterThan(65536u), "the run crossed a sequence wrap");
            // Uniform 0-15 ms delay, sampled on a 20 ms grid: mean |D| is about 5 ms = 40 units.
            Assert.That(block.Jitter, Is.InRange(20u, 70u));
        });
        // The second report covers an empty interval: no new loss.
        Assert.That(source.CreateReportBlock(21_000_000).FractionLost, Is.EqualTo(0));
    }

    [Test]
    public void SymmetricRtpLatchesOnFirstValidPacketAndResistsSinglePackets()
    {
        var sdp = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 4000);
        var nat = new IPEndPoint(IPAddress.Loopback, 40000);
        var other = new IPEndPoint(IPAddress.Loopback, 50000);
        var latch = new SymmetricRtpLatch(sdp, relatchThreshold: 3);
        Assert.That(latch.Destination, Is.EqualTo(sdp));
        Assert.That(latch.OnValidPacket(nat), Is.True);
        Assert.That(latch.Destination, Is.EqualTo(nat));
        Assert.That(latch.OnValidPacket(other), Is.False);
        Assert.That(latch.OnValidPacket(nat), Is.False, "the latched peer resets the candidate");
        Assert.That(latch.OnValidPacket(other), Is.False);
        Assert.That(latch.OnValidPacket(other), Is.False);
        Assert.That(latch.OnValidPacket(other), Is.True, "three in a row: NAT rebinding");
        Assert.That(latch.Destination, Is.EqualTo(other));
    }
}
