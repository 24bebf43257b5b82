// SPDX-License-Identifier: MIT
// SDP offer/answer (RFC 3264) and SDES keys (RFC 4568): codecs, directions, declines, SRTP, failures.

using System;
using System.Linq;
using System.Net;
using System.Text;
using NUnit.Framework;
using Sipwire.Sdp;
using Sipwire.Session;

namespace Sipwire.Tests.Session;

[TestFixture]
public sealed class SdpNegotiatorTests
{
    private static readonly IPAddress s_alice = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress s_bob = IPAddress.Parse("192.0.2.20");

    [Test]
    public void OfferAndAnswerAgreeOnTheFirstCommonCodec()
    {
        var alice = new SdpNegotiator(new SessionCapabilities { Codecs = [AudioCodec.G722, AudioCodec.Pcmu, AudioCodec.Pcma] }, s_alice, 40000);
        var bob = new SdpNegotiator(new SessionCapabilities { Codecs = [AudioCodec.Pcma, AudioCodec.Pcmu] }, s_bob, 50000);

        SdpSessionDescription offer = Wire(alice.CreateOffer());
        Assert.That(offer.Media[0].Formats, Is.EqualTo(new[] { "9", "0", "8", "101" }));
        OfferAnswerResult answered = bob.Answer(offer);
        Assert.That(answered.Succeeded, Is.True, answered.Failure);
        // RFC 3264 §6.1: the answer keeps the offer's order and numbers, minus what Bob lacks.
        SdpSessionDescription answer = Wire(answered.Answer!);
        Assert.That(answer.Media[0].Formats, Is.EqualTo(new[] { "0", "8", "101" }));
        Assert.That(answered.Audio!.SendCodec, Is.EqualTo(AudioCodec.Pcmu));
        Assert.That(answered.Audio.Remote, Is.EqualTo(new IPEndPoint(s_alice, 40000)));
        Assert.That(answered.Audio.TelephoneEventPayloadType, Is.EqualTo(101));

        OfferAnswerResult applied = alice.ApplyAnswer(answer);
        Assert.That(applied.Succeeded, Is.True, applied.Failure);
        Assert.That(applied.Audio!.SendCodec, Is.EqualTo(AudioCodec.Pcmu));
        Assert.That(applied.Audio.SendPayloadType, Is.Zero);
        Assert.That(applied.Audio.Remote, Is.EqualTo(new IPEndPoint(s_bob, 50000)));
        Assert.That(applied.Audio.Send && applied.Audio.Receive, Is.True);
        Assert.That(applied.Audio.PTimeMs, Is.EqualTo(20));
        Assert.That(applied.Audio.Srtp, Is.Null);
    }

    [Test]
    public void OtherMediaAreDeclinedWithPortZero()
    {
        // After RFC 3264 §10.1: audio and video offered, an audio-only answerer declines video.
        const string offerText =
            "v=0\r\no=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\ns=\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\n"
            + "m=audio 49170 RTP/AVP 0 8 97\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:97 iLBC/8000\r\n"
            + "m=video 51372 RTP/AVP 31 32\r\na=rtpmap:31 H261/90000\r\na=rtpmap:32 MPV/90000\r\n";
        var bob = new SdpNegotiator(new SessionCapabilities(), s_bob, 50000);
        OfferAnswerResult result = bob.Answer(Parse(offerText));
        Assert.That(result.Succeeded, Is.True, result.Failure);
        SdpSessionDescription answer = Wire(result.Answer!);
        Assert.That(answer.Media, Has.Count.EqualTo(2));
        Assert.That(answer.Media[0].Formats, Is.EqualTo(new[] { "0", "8" }));
        Assert.That(answer.Media[1].Media, Is.EqualTo("video"));
        Assert.That(answer.Media[1].Port, Is.Zero);
        Assert.That(result.Audio!.Remote, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.0.2.101"), 49170)));
    }

    [Test]
    public void HoldAndResumeFollowTheDirectionRules()
    {
        var alice = new SdpNegotiator(new SessionCapabilities(), s_alice, 40000);
        var bob = new SdpNegotiator(new SessionCapabilities(), s_bob, 50000);
        Assert.That(alice.ApplyAnswer(Wire(bob.Answer(Wire(alice.CreateOffer())).Answer!)).Succeeded, Is.True);
        ulong firstVersion = alice.CreateOffer().Origin.SessionVersion;

        // RFC 3264 §8.4: hold is a sendonly offer, answered recvonly.
        alice.LocalDirection = SdpDirection.SendOnly;
        SdpSessionDescription hold = Wire(alice.CreateOffer());
        Assert.That(hold.Media[0].GetDirection(hold.Direction), Is.EqualTo(SdpDirection.SendOnly));
        Assert.That(hold.Origin.SessionVersion, Is.EqualTo(firstVersion + 1), "§8: a changed offer has the next version");
        OfferAnswerResult held = bob.Answer(hold);
        SdpSessionDescription heldAnswer = Wire(held.Answer!);
        Assert.That(heldAnswer.Media[0].GetDirection(heldAnswer.Direction), Is.EqualTo(SdpDirection.RecvOnly));
        Assert.That(held.Audio!.Send, Is.False);
        Assert.That(held.Audio.Receive, Is.True);
        OfferAnswerResult aliceHeld = alice.ApplyAnswer(heldAnswer);
        Assert.That(aliceHeld.Audio!.Send && !aliceHeld.Audio.Receive, Is.True);

        alice.LocalDirection = SdpDirection.SendRecv;
        SdpSessionDescription resume = Wire(alice.CreateOffer());
        Assert.That(resume.Origin.SessionVersion, Is.EqualTo(firstVersion + 2));
        OfferAnswerResult resumed = bob.Answer(resume);
        Assert.That(resumed.Audio!.Send && resumed.Audio.Receive, Is.True);
    }

    [Test]
    public void UnchangedOfferKeepsItsVersion()
    {
        var alice = new SdpNegotiator(new SessionCapabilities(), s_alice, 40000);
        ulong first = alice.CreateOffer().Origin.SessionVersion;
        ulong second = alice.CreateOffer().Origin.SessionVersion;
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Rfc2543HoldAddressStopsSending()
    {
        const string offerText = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n";
        OfferAnswerResult result = new SdpNegotiator(new SessionCapabilities(), s_bob, 50000).Answer(Parse(offerText));
        Assert.That(result.Succeeded, Is.True, result.Failure);
        Assert.That(result.Audio!.Send, Is.False);
    }

    [Test]
    public void OpusKeepsTheOfferersDynamicPayloadTypes()
    {
        const string offerText = "v=0\r\no=- 1 2 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n"
            + "m=audio 30000 RTP/AVP 111 0 110\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\na=rtpmap:110 telephone-event/48000\r\na=ptime:40\r\n";
        var bob = new SdpNegotiator(new SessionCapabilities { Codecs = [AudioCodec.Opus, AudioCodec.Pcmu] }, IPAddress.IPv6Loopback, 50000);
        OfferAnswerResult result = bob.Answer(Parse(offerText));
        Assert.That(result.Succeeded, Is.True, result.Failure);
        Assert.That(result.Audio!.SendPayloadType, Is.EqualTo(111));
        Assert.That(result.Audio.SendCodec.Matches("OPUS", 48000, 2), Is.True);
        Assert.That(result.Audio.TelephoneEventPayloadType, Is.EqualTo(110));
        Assert.That(result.Audio.PTimeMs, Is.EqualTo(40));
        Assert.That(result.Audio.Remote, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 30000)));
        SdpSessionDescription answer = Wire(result.Answer!);
        Assert.That(answer.Connection!.AddressType, Is.EqualTo("IP6"));
        Assert.That(answer.Media[0].Formats, Is.EqualTo(new[] { "111", "0", "110" }));
    }

    [Test]
    public void SdesKeysCrossOver()
    {
        var alice = new SdpNegotiator(new SessionCapabilities { Srtp = SrtpPolicy.Required }, s_alice, 40000);
        var bob = new SdpNegotiator(new SessionCapabilities { Srtp = SrtpPolicy.Accepted }, s_bob, 50000);
        SdpSessionDescription offer = Wire(alice.CreateOffer());
        Assert.That(offer.Media[0].Protocol, Is.EqualTo("RTP/SAVP"));
        Assert.That(offer.Media[0].Cryptos.Select(c => c.Suite), Is.EqualTo(SdpNegotiator.SrtpSuites));
        OfferAnswerResult answered = bob.Answer(offer);
        Assert.That(answered.Succeeded, Is.True, answered.Failure);
        SdpCrypto chosen = Wire(answered.Answer!).Media[0].Cryptos.Single();
        Assert.That(chosen.Tag, Is.EqualTo(1));
        Assert.That(chosen.Suite, Is.EqualTo("AES_CM_128_HMAC_SHA1_80"));
        OfferAnswerResult applied = alice.ApplyAnswer(Wire(answered.Answer!));
        Assert.That(applied.Succeeded, Is.True, applied.Failure);
        SrtpKeys a = applied.Audio!.Srtp!;
        SrtpKeys b = answered.Audio!.Srtp!;
        Assert.That(a.LocalKeySalt, Is.EqualTo(b.RemoteKeySalt));
        Assert.That(a.RemoteKeySalt, Is.EqualTo(b.LocalKeySalt));
        Assert.That(a.LocalKeySalt, Has.Length.EqualTo(30));
        Assert.That(a.LocalKeySalt, Is.Not.EqualTo(a.RemoteKeySalt));
    }

    [TestCase(SrtpPolicy.Required, "RTP/AVP", "", "SRTP is required")]
    [TestCase(SrtpPolicy.Off, "RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n", "SRTP is not enabled")]
    [TestCase(SrtpPolicy.Accepted, "RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n", "no acceptable a=crypto")]
    [TestCase(SrtpPolicy.Accepted, "RTP/SAVP", "a=crypto:1 F8_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n", "no acceptable a=crypto")]
    [TestCase(SrtpPolicy.Off, "RTP/AVPF", "", "transport RTP/AVPF is not supported")]
    public void UnacceptableTransportsAndKeysFail(SrtpPolicy policy, string protocol, string crypto, string reason)
    {
        string offerText = $"v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 {protocol} 0\r\n{crypto}";
        OfferAnswerResult result = new SdpNegotiator(new SessionCapabilities { Srtp = policy }, s_bob, 50000).Answer(Parse(offerText));
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Failure, Does.Contain(reason));
    }

    [TestCase("m=audio 4000 RTP/AVP 97\r\na=rtpmap:97 iLBC/8000\r\n", "no common codec")]
    [TestCase("m=video 4000 RTP/AVP 31\r\n", "no audio stream")]
    [TestCase("m=audio 0 RTP/AVP 0\r\n", "no audio stream")]
    public void OffersWithoutUsableAudioFail(string media, string reason)
    {
        string offerText = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" + media;
        OfferAnswerResult result = new SdpNegotiator(new SessionCapabilities(), s_bob, 50000).Answer(Parse(offerText));
        Assert.That(result.Failure, Does.Contain(reason));
    }

    [Test]
    public void AnswersThatBreakTheOfferAreRefused()
    {
        var alice = new SdpNegotiator(new SessionCapabilities(), s_alice, 40000);
        alice.CreateOffer();
        const string head = "v=0\r\no=- 1 2 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n";
        Assert.That(alice.ApplyAnswer(Parse(head + "m=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n")).Failure, Does.Contain("2 media streams"));
        Assert.That(alice.ApplyAnswer(Parse(head + "m=audio 0 RTP/AVP 0\r\n")).Failure, Does.Contain("declined"));
        Assert.That(alice.ApplyAnswer(Parse(head + "m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n")).Failure, Does.Contain("no codec we offered"));
        Assert.That(alice.ApplyAnswer(Parse(head + "m=audio 4000 RTP/SAVP 0\r\n")).Failure, Does.Contain("changed the transport"));
    }

    [Test]
    public void InvalidLocalSettingsAreNamed()
    {
        Assert.That(() => new SdpNegotiator(new SessionCapabilities(), s_alice, 40001), Throws.ArgumentException.With.Message.Contains("even"));
        Assert.That(() => new SdpNegotiator(new SessionCapabilities { Codecs = [] }, s_alice, 40000), Throws.ArgumentException.With.Message.Contains("Codecs"));
        Assert.That(() => new SdpNegotiator(new SessionCapabilities { PTimeMs = 25 }, s_alice, 40000), Throws.ArgumentException.With.Message.Contains("PTimeMs"));
    }

    // What the peer gets: our SDP serialized and parsed again.
    private static SdpSessionDescription Wire(SdpSessionDescription session) => Parse(session.ToString());

    private static SdpSessionDescription Parse(string text)
    {
        SdpError error = SdpSessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out SdpSessionDescription? session, out int line);
        Assert.That(error, Is.EqualTo(SdpError.None), $"line {line}: {text}");
        return session!;
    }
}
