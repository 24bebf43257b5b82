// CallMedia follows a call's events: start on answer or early media, update on re-INVITE, stop (RTCP BYE, sockets closed) on end.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Media.Session;
using Sipwire.Session;
using Sipwire.UserAgent;

namespace Sipwire.Media.Tests.Session;

[TestFixture]
public sealed class CallMediaTests
{
    [Test]
    public void FollowsTheCallFromEarlyMediaToHangup()
    {
        var network = new SimulatedMediaNetwork(1);
        var ios = new List<SimulatedPacketIo>();
        long now = 0;
        using var media = new CallMedia(() =>
        {
            var io = network.CreateEndpoint(SimulatedCall.AddressA.Address, SimulatedCall.AddressA.Port);
            ios.Add(io);
            return io;
        }, new MediaSessionOptions { RtcpSeed = 1 }, () => now);
        NegotiatedAudio early = SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB, send: false, receive: true);
        NegotiatedAudio active = SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB);
        NegotiatedAudio held = SimulatedCall.Audio(AudioCodec.Pcmu, 0, SimulatedCall.AddressB, send: true, receive: false);

        media.OnCallEvent(new CallEvent(CallEventKind.Ringing, 180, "Ringing", false, null));
        Assert.That(media.Session, Is.Null, "180 without SDP: no media yet");
        media.OnCallEvent(new CallEvent(CallEventKind.Ringing, 183, "Session Progress", false, early));
        Assert.That(media.Session, Is.Not.Null, "183 with an answer starts early media (RFC 3960)");
        MediaSession session = media.Session!;

        media.OnCallEvent(new CallEvent(CallEventKind.Established, 200, "OK", false, active));
        Assert.That(media.Session, Is.SameAs(session), "the answer updates the early-media session, same SSRC");
        Assert.That(session.Audio.Send, Is.True);

        media.OnCallEvent(new CallEvent(CallEventKind.MediaUpdated, 200, "OK", true, held));
        Assert.That(session.Audio.Receive, Is.False);

        var g729 = new AudioCodec("G729", 8000, 1, 18);
        media.OnCallEvent(new CallEvent(CallEventKind.MediaUpdated, 200, "OK", false, SimulatedCall.Audio(g729, 18, SimulatedCall.AddressB)));
        Assert.That(media.LastError, Does.Contain("G729"), "a codec we cannot run is reported, the media stays");
        Assert.That(media.Session, Is.SameAs(session));

        now = 1_000_000;
        media.OnCallEvent(new CallEvent(CallEventKind.Ended, 200, "BYE", true, null));
        Assert.That(media.Session, Is.Null);
        Assert.That(session.IsStopped, Is.True);
        Assert.That(ios.Single().Disposed, Is.True);
        Assert.That(ios.Single().RtcpSent, Is.EqualTo(1), "RTCP BYE on the way out (RFC 3550 §6.6)");
    }

    [Test]
    public void AFailedStartIsReportedAndTheCallGoesOn()
    {
        var network = new SimulatedMediaNetwork(1);
        var media = new CallMedia(() => network.CreateEndpoint(SimulatedCall.AddressA.Address, 40000), null, () => 0);
        string? failure = null;
        media.Failed += f => failure = f;
        var g729 = new AudioCodec("G729", 8000, 1, 18);
        media.OnCallEvent(new CallEvent(CallEventKind.Established, 200, "OK", false, SimulatedCall.Audio(g729, 18, SimulatedCall.AddressB)));
        Assert.That(media.Session, Is.Null);
        Assert.That(failure, Does.StartWith("media did not start"));
        media.OnCallEvent(new CallEvent(CallEventKind.Ended, 200, "BYE", false, null));
        media.Dispose();
    }
}
