// RFC 4733 telephone-event payload, sender (end-packet redundancy, segmentation) and receiver (duplicate suppression).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Sipwire.Media.Dtmf;
using Sipwire.Media.Rtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class DtmfEventTests
{
    [Test]
    public void PayloadLayoutMatchesRfc4733Figure()
    {
        var cases = Vectors.ReadKeyValues("dtmf/rfc4733-events.txt");
        Assert.That(cases, Is.Not.Empty);
        foreach (var c in cases)
        {
            string[] f = c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ev = new TelephoneEvent(byte.Parse(f[0], CultureInfo.InvariantCulture), f[1] == "1",
                byte.Parse(f[2], CultureInfo.InvariantCulture), ushort.Parse(f[3], CultureInfo.InvariantCulture));
            byte[] bytes = new byte[4];
            ev.Write(bytes);
            Assert.That(bytes, Is.EqualTo(Vectors.Hex(f[4])), c.Value);
            Assert.That(TelephoneEvent.TryRead(bytes, out TelephoneEvent back), Is.True);
            Assert.That(back, Is.EqualTo(ev));
        }

        // The reserved R bit is ignored on receive.
        Assert.That(TelephoneEvent.TryRead(Vectors.Hex("05 4A 00A0"), out TelephoneEvent r), Is.True);
        Assert.That(r, Is.EqualTo(new TelephoneEvent(5, false, 10, 160)));
        Assert.That(TelephoneEvent.TryRead(new byte[3], out _), Is.False);
    }

    [Test]
    public void DigitCodesFollowRfc4733Section32()
    {
        var digits = Vectors.ReadKeyValues("dtmf/q23-frequencies.txt").Select(p => p.Value[0]).ToArray();
        Assert.That(digits, Has.Length.EqualTo(16));
        foreach (char d in digits)
        {
            Assert.That(TelephoneEvent.TryFromDigit(d, out byte code), Is.True);
            Assert.That(TelephoneEvent.ToDigit(code), Is.EqualTo(d));
        }

        Assert.That(TelephoneEvent.TryFromDigit('*', out byte star) && star == 10, Is.True);
        Assert.That(TelephoneEvent.TryFromDigit('#', out byte hash) && hash == 11, Is.True);
        Assert.That(TelephoneEvent.TryFromDigit('d', out byte d4) && d4 == 15, Is.True);
        Assert.That(TelephoneEvent.TryFromDigit('x', out _), Is.False);
    }

    private static List<(TelephoneEvent Event, uint Timestamp, bool Marker)> Drain(DtmfSender sender, int updates)
    {
        var packets = new List<(TelephoneEvent, uint, bool)>();
        byte[] payload = new byte[4];
        for (int i = 0; i < updates; i++)
        {
            Assert.That(sender.TryNextPacket(payload, out uint ts, out bool m), Is.True);
            TelephoneEvent.TryRead(payload, out TelephoneEvent ev);
            packets.Add((ev, ts, m));
        }

        sender.Stop();
        while (sender.TryNextPacket(payload, out uint ts, out bool m))
        {
            TelephoneEvent.TryRead(payload, out TelephoneEvent ev);
            packets.Add((ev, ts, m));
        }

        return packets;
    }

    [Test]
    public void SenderSendsUpdatesThenThreeEndPackets()
    {
        var sender = new DtmfSender(160);
        sender.Start(5, 48000, volume: 10);
        var packets = Drain(sender, 5);
        Assert.That(packets, Has.Count.EqualTo(8));
        Assert.That(packets.Select(p => p.Event.Duration).ToArray(), Is.EqualTo(new ushort[] { 0, 160, 320, 480, 640, 800, 800, 800 }));
        Assert.That(packets.Select(p => p.Marker).ToArray(), Is.EqualTo(new[] { true, false, false, false, false, false, false, false }));
        Assert.That(packets.All(p => p.Timestamp == 48000 && p.Event.Event == 5 && p.Event.Volume == 10), Is.True);
        Assert.That(packets.Select(p => p.Event.End).ToArray(), Is.EqualTo(new[] { false, false, false, false, false, true, true, true }));
        Assert.That(sender.IsActive, Is.False);
    }

    [Test]
    public void LongEventsAreSplitIntoSegments()
    {
        var sender = new DtmfSender(8000); // one packet per second at 8 kHz
        sender.Start(1, 0);
        var packets = Drain(sender, 12);
        // Packet k reports k * 8000; the 10th (72000) would overflow: it reports 0xFFFF and the next
        // segment starts at 65535 without the marker bit, counting from there.
        Assert.That(packets[8].Event.Duration, Is.EqualTo(64000));
        Assert.That(packets[9].Event.Duration, Is.EqualTo(0xFFFF));
        Assert.That(packets[9].Timestamp, Is.EqualTo(0u));
        Assert.That(packets[10].Timestamp, Is.EqualTo(65535u));
        Assert.That(packets[10].Marker, Is.False);
        Assert.That(packets[10].Event.Duration, Is.EqualTo((ushort)(80000 - 65535)));
        Assert.That(packets[^1].Event.End, Is.True);
    }

    private static List<DtmfNotification> Feed(DtmfReceiver receiver, IEnumerable<(TelephoneEvent Event, uint Timestamp)> packets)
    {
        var result = new List<DtmfNotification>();
        var buffer = new DtmfNotification[3];
        byte[] payload = new byte[4];
        long now = 0;
        foreach (var (ev, ts) in packets)
        {
            ev.Write(payload);
            int n = receiver.OnPacket(payload, ts, now += 20_000, buffer);
            result.AddRange(buffer.Take(n));
        }

        return result;
    }

    [Test]
    public void ReceiverReportsOneBeginAndOneEndDespiteDuplicates()
    {
        var sender = new DtmfSender(160);
        sender.Start(11, 1000);
        var packets = Drain(sender, 4).Select(p => (p.Event, p.Timestamp)).ToList();
        var doubled = packets.SelectMany(p => new[] { p, p }).ToList();
        var receiver = new DtmfReceiver();
        var notes = Feed(receiver, doubled);
        Assert.That(notes, Is.EqualTo(new[]
        {
            new DtmfNotification(false, 11, 1000, 0),
            new DtmfNotification(true, 11, 1000, 640),
        }));
        Assert.That(receiver.Duplicates, Is.GreaterThan(0));
    }

    [Test]
    public void ReceiverCopesWithLostStartAndLostEnd()
    {
        var receiver = new DtmfReceiver(timeoutUs: 100_000);
        // Event 1: only end packets arrive -> begin and end at once.
        var notes = Feed(receiver, [(new TelephoneEvent(1, true, 10, 800), 0u)]);
        Assert.That(notes.Select(n => n.Ended).ToArray(), Is.EqualTo(new[] { false, true }));
        // Event 2: its end packets are lost; event 3 starts -> event 2 ends first.
        notes = Feed(receiver, [(new TelephoneEvent(2, false, 10, 0), 2000u), (new TelephoneEvent(2, false, 10, 160), 2000u), (new TelephoneEvent(3, false, 10, 0), 4000u)]);
        Assert.That(notes, Is.EqualTo(new[]
        {
            new DtmfNotification(false, 2, 2000, 0),
            new DtmfNotification(true, 2, 2000, 160),
            new DtmfNotification(false, 3, 4000, 0),
        }));
        // A late update of event 2 is never re-reported.
        Assert.That(Feed(receiver, [(new TelephoneEvent(2, true, 10, 320), 2000u)]), Is.Empty);
        // Event 3's end is lost too: the timeout ends it.
        Assert.That(receiver.Poll(10_000_000, out DtmfNotification end), Is.True);
        Assert.That(end, Is.EqualTo(new DtmfNotification(true, 3, 4000, 0)));
        Assert.That(receiver.Poll(20_000_000, out _), Is.False);
    }

    [Test]
    public void DigitsSurviveALossyJitteryLink()
    {
        const string digits = "0123456789*#ABCD5551234";
        var link = new LossyLink(seed: 11, lossRate: 0.05, baseDelayUs: 30_000, jitterUs: 40_000, duplicateRate: 0.02);
        var sender = new DtmfSender(160);
        var rtp = new RtpSender(101, 8000, 0x5151, 100, 5000);
        var receiver = new DtmfReceiver();
        var received = new List<char>();
        byte[] payload = new byte[4];
        byte[] packet = new byte[64];
        var notes = new DtmfNotification[3];
        uint mediaTs = 5000;
        int index = 0;
        int tick = 0;
        for (long now = 0; now < 10_000_000; now += 1_000)
        {
            if (now % 20_000 == 0)
            {
                tick++;
                // Each digit: 100 ms tone then 100 ms pause (5 + 5 packet intervals).
                if (!sender.IsActive && index < digits.Length && tick % 10 == 0)
                {
                    TelephoneEvent.TryFromDigit(digits[index++], out byte code);
                    sender.Start(code, mediaTs);
                }
                else if (sender.IsActive && tick % 10 == 5)
                {
                    sender.Stop();
                }

                if (sender.TryNextPacket(payload, out uint ts, out bool marker))
                {
                    // RFC 4733 §2.5.1.1: the event's timestamp, not the running media timestamp.
                    ushort seq = rtp.NextSequenceNumber;
                    int n = rtp.WritePacket(packet, 101, payload, ts, marker, now);
                    Assert.That(RtpHeader.TryParse(packet.AsSpan(0, n), out RtpHeader written, out _), Is.True);
                    Assert.That((written.SequenceNumber, written.Timestamp, written.PayloadType), Is.EqualTo((seq, ts, (byte)101)));
                    link.Send(packet.AsSpan(0, n), now);
                }

                mediaTs += 160;
            }

            foreach (byte[] d in link.Receive(now))
            {
                Assert.That(RtpHeader.TryParse(d, out RtpHeader h, out _), Is.True);
                int count = receiver.OnPacket(h.GetPayload(d), h.Timestamp, now, notes);
                for (int i = 0; i < count; i++)
                {
                    if (!notes[i].Ended)
                    {
                        received.Add(TelephoneEvent.ToDigit(notes[i].Event));
                    }
                }
            }
        }

        Assert.That(new string(received.ToArray()), Is.EqualTo(digits));
    }
}
