// Two media sessions over real UDP sockets on loopback (127.0.0.1 and ::1), and a port already in use.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Media.Tests.Session;

[TestFixture]
public sealed class UdpMediaPacketIoTests
{
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void ToneCrossesLoopbackBothWays(string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        (UdpMediaPacketIo ioA, UdpMediaPacketIo ioB) = (OpenPair(ip), OpenPair(ip));
        using var a = new MediaSession(SimulatedCall.Audio(AudioCodec.Pcma, 8, ioB.LocalRtp), ioA, null, 0);
        using var b = new MediaSession(SimulatedCall.Audio(AudioCodec.Pcma, 8, ioA.LocalRtp), ioB, null, 0);
        var toneA = new ToneSource(700, a.SampleRate);
        var toneB = new ToneSource(450, b.SampleRate);
        var playedA = new List<short>();
        var playedB = new List<short>();
        short[] frame = new short[a.FrameSamples];
        long now = 0;
        for (int i = 0; i < 150; i++)
        {
            // Virtual time over real sockets: loopback datagrams are waiting as soon as sendto returns.
            a.Poll(now);
            b.Poll(now);
            a.ReadAudio(frame, now);
            playedA.AddRange(frame);
            b.ReadAudio(frame, now);
            playedB.AddRange(frame);
            toneA.Fill(frame);
            a.WriteAudio(frame, now);
            toneB.Fill(frame);
            b.WriteAudio(frame, now);
            now += 20_000;
        }

        Assert.That(toneA.ContinuousFraction(playedB, a.SampleRate, a.SampleRate), Is.GreaterThanOrEqualTo(0.99));
        Assert.That(toneB.ContinuousFraction(playedA, a.SampleRate, a.SampleRate), Is.GreaterThanOrEqualTo(0.99));
        Assert.That(ioA.SocketErrors + ioB.SocketErrors, Is.Zero);
    }

    [Test]
    public void APortInUseFailsWithASocketErrorAndLeaksNothing()
    {
        using UdpMediaPacketIo first = OpenPair(IPAddress.Loopback);
        var e = Assert.Throws<SocketException>(() => _ = new UdpMediaPacketIo(IPAddress.Loopback, first.LocalRtp.Port));
        Assert.That(e!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
        // RTCP's port taken alone: the RTP socket opened first must be closed again.
        var e2 = Assert.Throws<SocketException>(() => _ = new UdpMediaPacketIo(IPAddress.Loopback, first.LocalRtp.Port - 1));
        Assert.That(e2!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
        using var again = new UdpMediaPacketIo(IPAddress.Loopback, first.LocalRtp.Port - 2);
        Assert.That(again.LocalRtp.Port, Is.EqualTo(first.LocalRtp.Port - 2));
    }

    private static UdpMediaPacketIo OpenPair(IPAddress address)
    {
        // An even port pair that is free now (RFC 3550 §11); retry on a race with another process.
        var random = new Random();
        for (int attempt = 0; ; attempt++)
        {
            int port = 20000 + (2 * random.Next(0, 10000));
            try
            {
                return new UdpMediaPacketIo(address, port);
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }
}
