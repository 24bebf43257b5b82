// Two RTCP reporters talking over a delayed link: SR/RR choice, CNAME, loss and round-trip time, BYE.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class RtcpReporterTests
{
    [Test]
    public void PhonesExchangeReportsAndMeasureRoundTrip()
    {
        long t0 = 1_750_000_000_000_000;
        var aSender = new RtpSender(0, 8000, 0xA, 1, 0);
        var bSender = new RtpSender(0, 8000, 0xB, 1, 0);
        var a = new RtcpReporter(aSender, "a@192.0.2.1");
        var b = new RtcpReporter(bSender, "b@192.0.2.2");
        var bSourceOfA = new RtpSource(0xA, 1, 8000);
        b.AddSource(bSourceOfA);
        byte[] rtp = new byte[200];
        // A sends 100 packets; B receives all but every 10th (10 % loss); one-way delay 30 ms.
        for (int i = 0; i < 100; i++)
        {
            long t = t0 + (i * 20_000L);
            int n = aSender.WritePacket(rtp, new byte[160], 160, false, t);
            Assert.That(RtpHeader.TryParse(rtp.AsSpan(0, n), out RtpHeader h, out _), Is.True);
            if (i % 10 != 5)
            {
                bSourceOfA.UpdateSequence(h.SequenceNumber, out _);
                bSourceOfA.UpdateJitter(h.Timestamp, t + 30_000);
            }
        }

        byte[] buffer = new byte[512];
        long tSr = t0 + 2_000_000;
        int srLength = a.WriteReport(buffer, tSr);
        Assert.That(buffer[1], Is.EqualTo((byte)RtcpPacketType.SenderReport), "A sent RTP: SR");
        Assert.That(b.OnCompound(buffer.AsSpan(0, srLength), tSr + 30_000), Is.EqualTo(RtcpParseError.None));
        Assert.That(b.RemoteCname, Is.EqualTo("a@192.0.2.1"));

        // B answers 500 ms later with an RR (B has sent nothing) about A.
        long tRr = tSr + 530_000;
        int rrLength = b.WriteReport(buffer, tRr);
        Assert.That(buffer[1], Is.EqualTo((byte)RtcpPacketType.ReceiverReport));
        Assert.That(a.OnCompound(buffer.AsSpan(0, rrLength), tRr + 30_000), Is.EqualTo(RtcpParseError.None));
        Assert.That(a.LastRemoteReport, Is.Not.Null);
        RtcpReportBlock report = a.LastRemoteReport!.Value;
        // Probation takes sequence 1; from base 2 to 100, 99 expected and 10 lost (6, 16, ..., 96):
        // fraction 10/99 * 256 = 25.
        Assert.That(report.CumulativeLost, Is.EqualTo(10));
        Assert.That(report.FractionLost, Is.EqualTo(25));
        Assert.That(a.RoundTripUs, Is.InRange(59_900L, 60_100L));

        // BYE removes the source.
        int byeLength = a.WriteReport(buffer, tRr + 100_000, bye: true);
        Assert.That(b.OnCompound(buffer.AsSpan(0, byeLength), tRr + 130_000), Is.EqualTo(RtcpParseError.None));
        Assert.That(b.ByesReceived, Is.EqualTo(1));
        Assert.That(b.FindSource(0xA), Is.Null);
        Assert.That(b.OnCompound(new byte[] { 0x81, 0xCA, 0, 0 }, 0), Is.EqualTo(RtcpParseError.BadFirstPacket));
    }
}
