// RTCP SR/RR/SDES/BYE compound packets, LSR/DLSR round trip, and the §6.3 transmission interval.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class RtcpTests
{
    [Test]
    public void CompoundSrSdesByeRoundTrips()
    {
        var blocks = new[]
        {
            new RtcpReportBlock(0x11111111, 25, 1234, 70000, 42, 0x12345678, 0x00010000),
            new RtcpReportBlock(0x22222222, 0, -3, 5, 0, 0, 0),
        };
        var info = new RtcpSenderInfo(0xAABBCCDD, 0xE1234567_89ABCDEF, 160000, 1000, 160000);
        byte[] buffer = new byte[512];
        var writer = new RtcpWriter(buffer);
        Assert.That(writer.WriteSenderReport(info, blocks), Is.True);
        Assert.That(writer.WriteSdesCname(0xAABBCCDD, "phone@192.0.2.1"u8), Is.True);
        Assert.That(writer.WriteBye(new uint[] { 0xAABBCCDD }, "hangup"u8), Is.True);
        ReadOnlySpan<byte> compound = buffer.AsSpan(0, writer.Written);
        Assert.That(compound.Length % 4, Is.EqualTo(0));
        Assert.That(compound.Length, Is.EqualTo(28 + 48 + 4 + 24 + 4 + 4 + 8));
        Assert.That(RtcpCompoundReader.Validate(compound), Is.EqualTo(RtcpParseError.None));

        var reader = new RtcpCompoundReader(compound);
        Assert.That(reader.TryReadNext(out RtcpPacket sr), Is.True);
        Assert.That(sr.PacketType, Is.EqualTo((byte)RtcpPacketType.SenderReport));
        Assert.That(sr.TryGetSenderInfo(out RtcpSenderInfo readInfo), Is.True);
        Assert.That(readInfo, Is.EqualTo(info));
        Assert.That(sr.ReportBlockCount, Is.EqualTo(2));
        Assert.That(sr.GetReportBlock(0), Is.EqualTo(blocks[0]));
        Assert.That(sr.GetReportBlock(1), Is.EqualTo(blocks[1]), "negative cumulative loss survives 24-bit sign extension");

        Assert.That(reader.TryReadNext(out RtcpPacket sdes), Is.True);
        Assert.That(sdes.TryGetCname(0xAABBCCDD, out ReadOnlySpan<byte> cname), Is.True);
        Assert.That(Encoding.UTF8.GetString(cname), Is.EqualTo("phone@192.0.2.1"));
        Assert.That(sdes.TryGetCname(0x12345678, out _), Is.False);

        Assert.That(reader.TryReadNext(out RtcpPacket bye), Is.True);
        Assert.That(bye.PacketType, Is.EqualTo((byte)RtcpPacketType.Bye));
        Assert.That(bye.GetByeSsrc(0), Is.EqualTo(0xAABBCCDDu));
        Assert.That(Encoding.UTF8.GetString(bye.ByeReason), Is.EqualTo("hangup"));
        Assert.That(reader.TryReadNext(out _), Is.False);
    }

    [Test]
    public void ParsesAHandWrittenReceiverReportWithPaddedSdes()
    {
        // RR (RC=1) from 0x01020304 about 0x0A0B0C0D: fraction 0x40, cumulative lost 0xFFFFFE (-2),
        // ext seq 0x00010005, jitter 0x20, LSR 0x11223344, DLSR 0x00008000;
        // then SDES with CNAME "ab" (2 items bytes + null => 8-byte chunk after SSRC).
        byte[] packet = Vectors.Hex(
            "81C90007 01020304 0A0B0C0D 40FFFFFE 00010005 00000020 11223344 00008000" +
            "81CA0003 01020304 01026162 00000000");
        Assert.That(RtcpCompoundReader.Validate(packet), Is.EqualTo(RtcpParseError.None));
        var reader = new RtcpCompoundReader(packet);
        Assert.That(reader.TryReadNext(out RtcpPacket rr), Is.True);
        Assert.That(rr.Ssrc, Is.EqualTo(0x01020304u));
        RtcpReportBlock b = rr.GetReportBlock(0);
        Assert.That(b, Is.EqualTo(new RtcpReportBlock(0x0A0B0C0D, 0x40, -2, 0x00010005, 0x20, 0x11223344, 0x8000)));
        Assert.That(reader.TryReadNext(out RtcpPacket sdes), Is.True);
        Assert.That(sdes.TryGetCname(0x01020304, out ReadOnlySpan<byte> cname), Is.True);
        Assert.That(cname.ToArray(), Is.EqualTo("ab"u8.ToArray()));
    }

    [TestCase("81CA0002 01020304 01026162 00000000", RtcpParseError.BadFirstPacket)]
    [TestCase("41C90001 01020304", RtcpParseError.BadVersion)]
    [TestCase("81C90007 01020304 0A0B0C0D", RtcpParseError.Truncated)]
    [TestCase("81C90001 01020304", RtcpParseError.BadBody)]
    [TestCase("A0C90001 01020304", RtcpParseError.BadFirstPacket)]
    [TestCase("80C90001 01020304 A0CB0001 00000000", RtcpParseError.BadPadding)]
    [TestCase("80C9", RtcpParseError.Truncated)]
    public void RejectsInvalidCompounds(string hex, RtcpParseError expected)
    {
        Assert.That(RtcpCompoundReader.Validate(Vectors.Hex(hex)), Is.EqualTo(expected));
    }

    [Test]
    public void RoundTripTimeFromLsrAndDlsr()
    {
        // Sender sends an SR at t0; it reaches the receiver 40 ms later; the receiver holds it
        // 250 ms before sending its RR, which takes 60 ms back: RTT = 100 ms (RFC 3550 Figure 2).
        long t0 = 1_700_000_000_000_000;
        ulong ntp = NtpTime.FromUnixMicroseconds(t0);
        var source = new RtpSource(7, 100, 8000);
        source.UpdateSequence(100, out _);
        source.UpdateSequence(101, out _);
        source.OnSenderReport(ntp, t0 + 40_000);
        RtcpReportBlock block = source.CreateReportBlock(t0 + 290_000);
        Assert.That(block.LastSr, Is.EqualTo(NtpTime.Middle32(ntp)));
        Assert.That(block.DelaySinceLastSr, Is.EqualTo(250_000L * 65536 / 1_000_000));
        long? rtt = block.RoundTripMicroseconds(t0 + 350_000);
        Assert.That(rtt, Is.Not.Null);
        Assert.That(rtt!.Value, Is.InRange(99_900L, 100_100L));
        Assert.That(new RtcpReportBlock(1, 0, 0, 0, 0, 0, 0).RoundTripMicroseconds(t0), Is.Null);
    }

    [Test]
    public void NtpTimestampOfTheUnixEpochAndHalfSecond()
    {
        Assert.That(NtpTime.FromUnixMicroseconds(0), Is.EqualTo(2_208_988_800UL << 32));
        Assert.That(NtpTime.FromUnixMicroseconds(500_000) & 0xFFFFFFFF, Is.EqualTo(0x80000000UL));
    }

    [Test]
    public void IntervalFollowsRfc3550Section63()
    {
        // Two members, 64 kbit/s: RTCP gets 400 B/s; 100-byte packets give 0.5 s < minimum, so
        // Td = 2.5 s for the first report (initial halves the 5 s minimum), then 5 s.
        var scheduler = new RtcpScheduler(64_000, 100, 0, new Random(1)) { Members = 2 };
        Assert.That(scheduler.DeterministicIntervalSeconds, Is.EqualTo(2.5));
        double c = Math.E - 1.5;
        Assert.That(scheduler.NextTransmissionUs / 1e6, Is.InRange(2.5 * 0.5 / c * 0.999, 2.5 * 1.5 / c * 1.001));
        scheduler.OnSent(100, 3_000_000);
        Assert.That(scheduler.Initial, Is.False);
        Assert.That(scheduler.DeterministicIntervalSeconds, Is.EqualTo(5.0));

        // 1000 receivers, no senders: 100 * 1000 / 400 = 250 s.
        scheduler.Members = 1000;
        Assert.That(scheduler.DeterministicIntervalSeconds, Is.EqualTo(250.0).Within(1e-9));
        // 10 senders among 1000 and we send: senders share 25 % (100 B/s) among 10: 10 s.
        scheduler.Senders = 10;
        scheduler.WeSent = true;
        Assert.That(scheduler.DeterministicIntervalSeconds, Is.EqualTo(10.0).Within(1e-9));
        // ... and a receiver shares 75 % (300 B/s) among 990: 330 s.
        scheduler.WeSent = false;
        Assert.That(scheduler.DeterministicIntervalSeconds, Is.EqualTo(330.0).Within(1e-9));
    }

    [Test]
    public void TimerReconsiderationDefersWhenMembershipGrew()
    {
        var scheduler = new RtcpScheduler(64_000, 100, 0, new Random(3)) { Members = 2 };
        long first = scheduler.NextTransmissionUs;
        Assert.That(scheduler.OnTimer(first - 1), Is.False, "not due yet");
        // Meanwhile 500 members joined: the recomputed interval is far beyond tp + T, so defer.
        scheduler.Members = 500;
        Assert.That(scheduler.OnTimer(first), Is.False);
        Assert.That(scheduler.NextTransmissionUs, Is.GreaterThan(first));
        // Send at the deferred time with 500 members; then 498 leave (BYE): reverse
        // reconsideration pulls the next report in by the membership ratio (§6.3.4).
        long deferred = scheduler.NextTransmissionUs;
        for (int i = 0; i < 100 && !scheduler.OnTimer(deferred); i++)
        {
            // Each expiry draws a new random interval; it may defer again (§6.3.6).
            deferred = scheduler.NextTransmissionUs;
        }

        scheduler.OnSent(100, deferred);
        long next = scheduler.NextTransmissionUs;
        scheduler.Members = 2;
        scheduler.OnMembersDecreased(deferred + 1_000_000);
        long expected = deferred + 1_000_000 + ((next - deferred - 1_000_000) * 2 / 500);
        Assert.That(scheduler.NextTransmissionUs, Is.EqualTo(expected).Within(1));
    }

    [Test]
    public void AverageSizeIsAnExponentialAverage()
    {
        var scheduler = new RtcpScheduler(64_000, 100, 0, new Random(1));
        scheduler.OnReceived(260);
        Assert.That(scheduler.AverageRtcpSize, Is.EqualTo(110.0));
    }

    [Test]
    public void WriterRefusesWhenFull()
    {
        byte[] small = new byte[20];
        var writer = new RtcpWriter(small);
        Assert.That(writer.WriteReceiverReport(1, ReadOnlySpan<RtcpReportBlock>.Empty), Is.True);
        Assert.That(writer.WriteSdesCname(1, "0123456789"u8), Is.False);
        Assert.That(writer.Written, Is.EqualTo(8));
    }
}
