// Adaptive jitter buffer over the seeded lossy link: delay adaptation, bounds, loss, reordering, duplicates, clock skew.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Media.Jitter;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class JitterBufferTests
{
    private sealed class RunResult
    {
        public List<JitterBufferFrame> Frames { get; } = new();

        public List<long> TargetDelays { get; } = new();

        public List<int> Buffered { get; } = new();

        public int CountAfter(int skip, JitterBufferStatus status)
        {
            int n = 0;
            for (int i = skip; i < Frames.Count; i++)
            {
                n += Frames[i].Status == status ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>
    /// 20 ms frames at 8 kHz. The sender's clock runs (1 + skew) times the receiver's; the payload
    /// carries the sequence number so the test can check what is played.
    /// </summary>
    private static RunResult Run(JitterBuffer jb, LossyLink link, double seconds, double skew = 0)
    {
        var result = new RunResult();
        byte[] payload = new byte[160];
        byte[] output = new byte[1500];
        double senderPeriodUs = 20_000 / (1 + skew);
        double nextSend = 0;
        long nextGet = 7_000; // the receiver's audio clock has its own phase
        ushort seq = 0;
        uint ts = 1_000_000;
        for (long now = 0; now < (long)(seconds * 1_000_000); now += 1_000)
        {
            while (nextSend <= now)
            {
                BinaryPrimitives.WriteUInt16BigEndian(payload, seq);
                link.Send(payload, now);
                seq++;
                ts += 160;
                nextSend += senderPeriodUs;
            }

            foreach (byte[] d in link.Receive(now))
            {
                ushort s = BinaryPrimitives.ReadUInt16BigEndian(d);
                jb.Put(d, 1_000_000 + (uint)(s * 160), s, false, now);
            }

            if (now >= nextGet)
            {
                JitterBufferFrame f = jb.Get(now, output);
                if (f.Status == JitterBufferStatus.Frame)
                {
                    Assert.That(BinaryPrimitives.ReadUInt16BigEndian(output), Is.EqualTo(f.SequenceNumber), "payload matches its slot");
                }

                result.Frames.Add(f);
                result.TargetDelays.Add(jb.TargetDelayUs);
                result.Buffered.Add(jb.BufferedFrames);
                nextGet += 20_000;
            }
        }

        return result;
    }

    private static void AssertPlayedInOrderOnce(RunResult r)
    {
        uint? last = null;
        foreach (JitterBufferFrame f in r.Frames)
        {
            if (f.Status == JitterBufferStatus.Frame)
            {
                if (last is uint l)
                {
                    Assert.That((int)(f.Timestamp - l), Is.GreaterThan(0), "frames leave in timestamp order, each once");
                }

                last = f.Timestamp;
            }
        }
    }

    [Test]
    public void SteadyLinkPlaysEveryFrameAtTheMinimumDelay()
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        RunResult r = Run(jb, new LossyLink(1, 0, 30_000, 0), 10);
        int warm = 10;
        Assert.That(r.CountAfter(warm, JitterBufferStatus.Frame), Is.EqualTo(r.Frames.Count - warm));
        Assert.That(jb.TargetDelayUs, Is.EqualTo(20_000));
        Assert.That(jb.Late, Is.EqualTo(0));
        AssertPlayedInOrderOnce(r);
    }

    [Test]
    public void FortyMsJitterAndFivePercentLossKeepsAudioContinuous()
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        var link = new LossyLink(seed: 42, lossRate: 0.05, baseDelayUs: 30_000, jitterUs: 40_000);
        RunResult r = Run(jb, link, 60);
        int warm = 100;
        int periods = r.Frames.Count - warm;
        int frames = r.CountAfter(warm, JitterBufferStatus.Frame);
        int missing = r.CountAfter(warm, JitterBufferStatus.Missing);
        Assert.Multiple(() =>
        {
            // 5 % are lost on the wire; the 95 % quantile target lets about 5 % more arrive late.
            Assert.That((double)frames / periods, Is.GreaterThan(0.86));
            Assert.That((double)jb.Late / link.Sent, Is.LessThan(0.07));
            Assert.That(jb.TargetDelayUs, Is.InRange(35_000, 60_000), "target follows the 40 ms spread");
            // An underrun needs the due frame and every later one to be lost or late at once: rare.
            Assert.That(r.CountAfter(warm, JitterBufferStatus.Underrun), Is.LessThan(periods / 100));
            Assert.That(missing, Is.GreaterThan(0), "losses are reported for concealment");
            Assert.That(jb.Restarts, Is.EqualTo(0));
        });
        AssertPlayedInOrderOnce(r);
    }

    [Test]
    public void DelayIsBoundedByMaximum()
    {
        var options = new JitterBufferOptions { MaxDelayUs = 150_000 };
        var jb = new JitterBuffer(options);
        RunResult r = Run(jb, new LossyLink(3, 0, 10_000, 600_000), 20);
        Assert.That(r.TargetDelays.TrueForAll(d => d >= options.MinDelayUs && d <= options.MaxDelayUs), Is.True);
        Assert.That(jb.TargetDelayUs, Is.EqualTo(150_000));
        Assert.That(jb.Late, Is.GreaterThan(0), "what the maximum cannot absorb arrives late and is dropped");
        AssertPlayedInOrderOnce(r);
    }

    [Test]
    public void DuplicatesAreDroppedAndCounted()
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        RunResult r = Run(jb, new LossyLink(5, 0, 20_000, 10_000, duplicateRate: 0.2), 10);
        Assert.That(jb.Duplicates, Is.GreaterThan(50));
        AssertPlayedInOrderOnce(r);
    }

    [TestCase(0.005)]
    [TestCase(-0.005)]
    [TestCase(0.02)]
    [TestCase(-0.02)]
    public void ClockSkewIsFollowedByPeriodicShrinkOrGrow(double skew)
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        RunResult r = Run(jb, new LossyLink(7, 0, 30_000, 20_000), 120, skew);
        int warm = 200;
        Assert.Multiple(() =>
        {
            if (skew > 0)
            {
                // The sender produces more than we play: drop about skew * frames.
                Assert.That(jb.Shrinks, Is.GreaterThan((long)(skew * 6000 * 0.7)));
            }
            else
            {
                Assert.That(jb.Expansions, Is.GreaterThan((long)(-skew * 6000 * 0.7)));
            }

            Assert.That(jb.Restarts, Is.EqualTo(0));
            Assert.That(r.Buffered.GetRange(warm, r.Buffered.Count - warm).TrueForAll(b => b <= 8), Is.True, "the buffer does not fill up");
            Assert.That((double)r.CountAfter(warm, JitterBufferStatus.Frame) / (r.Frames.Count - warm), Is.GreaterThan(0.9));
        });
        AssertPlayedInOrderOnce(r);
    }

    [Test]
    public void LatePacketIsRejected()
    {
        var jb = new JitterBuffer(new JitterBufferOptions { InitialDelayUs = 20_000, MinDelayUs = 20_000 });
        byte[] output = new byte[200];
        Assert.That(jb.Get(0, output).Status, Is.EqualTo(JitterBufferStatus.Buffering));
        Assert.That(jb.Put(new byte[160], 0, 0, false, 0), Is.EqualTo(JitterBufferPutResult.Accepted));
        Assert.That(jb.Put(new byte[160], 320, 2, false, 40_000), Is.EqualTo(JitterBufferPutResult.Accepted));
        Assert.That(jb.Get(40_000, output).Status, Is.EqualTo(JitterBufferStatus.Frame));
        Assert.That(jb.Get(60_000, output).Status, Is.EqualTo(JitterBufferStatus.Missing));
        Assert.That(jb.Put(new byte[160], 160, 1, false, 61_000), Is.EqualTo(JitterBufferPutResult.Late));
        Assert.That(jb.Late, Is.EqualTo(1));
        Assert.That(jb.Put(new byte[1501], 480, 3, false, 61_000), Is.EqualTo(JitterBufferPutResult.TooLarge));
    }

    [Test]
    public void TimestampJumpBeyondTheBufferRestarts()
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        Assert.That(jb.Put(new byte[10], 1000, 0, false, 0), Is.EqualTo(JitterBufferPutResult.Accepted));
        Assert.That(jb.Put(new byte[10], 1000 + (160 * 1000), 1, false, 20_000), Is.EqualTo(JitterBufferPutResult.Restarted));
        Assert.That(jb.Restarts, Is.EqualTo(1));
        Assert.That(jb.BufferedFrames, Is.EqualTo(1));
    }

    [Test]
    public void TimestampWrapIsTransparent()
    {
        var jb = new JitterBuffer(new JitterBufferOptions { InitialDelayUs = 20_000 });
        byte[] output = new byte[200];
        uint ts = uint.MaxValue - (160 * 5) + 1;
        int frames = 0;
        for (int i = 0; i < 20; i++)
        {
            jb.Put(new byte[160], ts + (uint)(i * 160), (ushort)i, false, i * 20_000L);
            if (jb.Get((i * 20_000L) + 10_000, output).Status == JitterBufferStatus.Frame)
            {
                frames++;
            }
        }

        Assert.That(frames, Is.GreaterThanOrEqualTo(17));
        Assert.That(jb.Restarts, Is.EqualTo(0));
    }

    [Test]
    public void PutAndGetAllocateNothing()
    {
        var jb = new JitterBuffer(new JitterBufferOptions());
        byte[] payload = new byte[160];
        byte[] output = new byte[1500];
        for (int i = 0; i < 100; i++)
        {
            jb.Put(payload, (uint)(i * 160), (ushort)i, false, i * 20_000L);
            jb.Get((i * 20_000L) + 5_000, output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < 1100; i++)
        {
            jb.Put(payload, (uint)(i * 160), (ushort)i, false, i * 20_000L);
            jb.Get((i * 20_000L) + 5_000, output);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
