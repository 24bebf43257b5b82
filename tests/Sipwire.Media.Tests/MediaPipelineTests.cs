// End to end over the seeded lossy link: tone -> G.711 -> RTP -> SRTP -> 5 % loss, 40 ms jitter -> SRTP -> jitter buffer -> G.711/PLC.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Dsp;
using Sipwire.Media.Jitter;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class MediaPipelineTests
{
    private static readonly byte[] s_key = Vectors.Hex("00112233445566778899AABBCCDDEEFF");
    private static readonly byte[] s_salt = Vectors.Hex("0102030405060708090A0B0C0D0E");

    private sealed class Outcome
    {
        public short[] Audio { get; init; } = [];

        public long Unprotected { get; set; }

        public long AuthFailures { get; set; }

        public long AllocatedBytes { get; set; }
    }

    private static Outcome Run(byte[] receiverKey, double seconds)
    {
        var tone = new ToneGenerator(new ToneGeneratorSpec("1 kHz", [1000], [-10], []));
        var sender = new RtpSender(0, 8000, 0x600D, 40000, 12345);
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, receiverKey, s_salt);
        var link = new LossyLink(seed: 2024, lossRate: 0.05, baseDelayUs: 20_000, jitterUs: 40_000);
        var jitter = new JitterBuffer(new JitterBufferOptions());
        var plc = new Plc();
        RtpSource? source = null;
        short[] pcm = new short[160];
        byte[] payload = new byte[160];
        byte[] packet = new byte[RtpHeader.FixedSize + 160 + 16];
        byte[] frame = new byte[1500];
        short[] decoded = new short[160];
        short[] played = new short[160];
        var audio = new short[(int)(seconds * 8000)];
        int written = 0;
        long allocated = 0;
        var outcome = new Outcome { Audio = audio };
        for (long now = 0; now < (long)(seconds * 1_000_000); now += 1_000)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            if (now % 20_000 == 0)
            {
                tone.Generate(pcm);
                G711.EncodeULaw(pcm, payload);
                int n = sender.WritePacket(packet, payload, 160, false, now);
                tx.ProtectRtp(packet, n, out int protectedLength);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                link.Send(packet.AsSpan(0, protectedLength), now);
                before = GC.GetAllocatedBytesForCurrentThread();
            }

            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            foreach (byte[] datagram in link.Receive(now))
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                if (rx.UnprotectRtp(datagram, datagram.Length, out int rtpLength) == SrtpStatus.Ok
                    && RtpHeader.TryParse(datagram.AsSpan(0, rtpLength), out RtpHeader h, out _))
                {
                    outcome.Unprotected++;
                    source ??= new RtpSource(h.Ssrc, h.SequenceNumber, 8000);
                    if (source.UpdateSequence(h.SequenceNumber, out _) is RtpSequenceResult.Accepted or RtpSequenceResult.Reordered or RtpSequenceResult.Probation)
                    {
                        jitter.Put(h.GetPayload(datagram.AsSpan(0, rtpLength)), h.Timestamp, h.SequenceNumber, h.Marker, now);
                    }
                }

                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            if (now % 20_000 == 10_000)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                JitterBufferFrame f = jitter.Get(now, frame);
                if (f.Status == JitterBufferStatus.Frame)
                {
                    G711.DecodeULaw(frame.AsSpan(0, f.Length), decoded);
                    plc.Process(decoded, played);
                }
                else if (plc.IsConcealing || f.Status is JitterBufferStatus.Missing or JitterBufferStatus.Expand or JitterBufferStatus.Underrun)
                {
                    plc.Conceal(played);
                }
                else
                {
                    Array.Clear(decoded);
                    plc.Process(decoded, played);
                }

                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                if (written + 160 <= audio.Length)
                {
                    played.CopyTo(audio, written);
                    written += 160;
                }
            }
        }

        outcome.AuthFailures = rx.AuthenticationFailures;
        outcome.AllocatedBytes = allocated;
        return outcome;
    }

    private static double ToneLevelDbm0(ReadOnlySpan<short> x)
    {
        double re = 0;
        double im = 0;
        for (int n = 0; n < x.Length; n++)
        {
            re += x[n] * Math.Cos(2 * Math.PI * 1000 * n / 8000);
            im -= x[n] * Math.Sin(2 * Math.PI * 1000 * n / 8000);
        }

        double amplitude = 2 * Math.Sqrt((re * re) + (im * im)) / x.Length;
        return (20 * Math.Log10(Math.Max(amplitude, 1e-3) / 32768)) + 3.14;
    }

    [Test]
    public void ToneStaysContinuousThroughLossAndJitter()
    {
        Outcome o = Run(s_key, 30);
        int windows = 0;
        int continuous = 0;
        for (int start = 8000; start + 80 <= o.Audio.Length; start += 80)
        {
            windows++;
            if (ToneLevelDbm0(o.Audio.AsSpan(start, 80)) > -16)
            {
                continuous++;
            }
        }

        double ratio = (double)continuous / windows;
        TestContext.Out.WriteLine($"continuous 10 ms windows: {ratio:P2}");
        Assert.That(ratio, Is.GreaterThan(0.97), "the 1 kHz tone is within 6 dB of its level in 97 % of 10 ms windows");
        Assert.That(o.AuthFailures, Is.EqualTo(0));
        Assert.That(o.AllocatedBytes, Is.LessThan(4096), "only first-use state (the RtpSource) may allocate");
    }

    [Test]
    public void WrongKeyIsRejectedCountedAndNothingIsPlayed()
    {
        byte[] wrong = (byte[])s_key.Clone();
        wrong[15] ^= 0x01;
        Outcome o = Run(wrong, 5);
        Assert.That(o.Unprotected, Is.EqualTo(0));
        Assert.That(o.AuthFailures, Is.GreaterThan(200));
        Assert.That(Array.TrueForAll(o.Audio, s => s == 0), Is.True, "silence, never decrypted garbage");
    }
}
