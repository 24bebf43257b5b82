// SDP parse/serialize: RFC 5118 IPv6 bodies, RFC 4568 a=crypto, rtpmap/fmtp/ptime/direction, errors.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sdp;
using Sipwire.Sip;
using Sipwire.Tests.Sip;

namespace Sipwire.Tests.Sdp;

[TestFixture]
public sealed class SdpSessionDescriptionTests
{
    private static readonly string[] s_formats = ["0", "8", "9", "101"];
    private static readonly string[] s_types = ["IP4", "IP6"];
    private static readonly string[] s_sessionParams = ["KDR=1"];

    private static SdpSessionDescription BodyOf(string vector)
    {
        var m = new SipMessage();
        Assert.That(SipParser.Parse(SipVectors.Read(vector).AsMemory(), SipFraming.Datagram, m).IsDone);
        SdpError e = SdpSessionDescription.TryParse(m.Body, out SdpSessionDescription? s, out int line);
        Assert.That(e, Is.EqualTo(SdpError.None), $"line {line}");
        return s!;
    }

    [Test]
    public void TypicalInviteBodyRoundTripsByteForByte()
    {
        var m = new SipMessage();
        Assert.That(SipParser.Parse(SipVectors.Read("typical/invite-sdp.dat").AsMemory(), SipFraming.Datagram, m).IsDone);
        SdpSessionDescription s = BodyOf("typical/invite-sdp.dat");
        Assert.That(s.ToBytes(), Is.EqualTo(m.Body.ToArray()));
        SdpMediaDescription audio = s.Media.Single();
        Assert.That(audio.Port, Is.EqualTo(49172));
        Assert.That(audio.Formats, Is.EqualTo(s_formats));
        Assert.That(audio.RtpMaps.Select(r => (r.PayloadType, r.EncodingName, r.ClockRate)),
            Is.EqualTo(new[] { (0, "PCMU", 8000), (8, "PCMA", 8000), (9, "G722", 8000), (101, "telephone-event", 8000) }));
        Assert.That(audio.GetFmtp(101), Is.EqualTo("0-16"));
        Assert.That(audio.PTime, Is.EqualTo(20));
        Assert.That(audio.GetDirection(s.Direction), Is.EqualTo(SdpDirection.SendRecv));
        Assert.That(s.Connection, Is.EqualTo(new SdpConnection("IN", "IP4", "192.0.2.101")));
    }

    [Test]
    public void Rfc5118Ipv6InSdp()
    {
        SdpSessionDescription s = BodyOf("rfc5118/ipv6-in-sdp.dat");
        Assert.That(s.Origin.AddressType, Is.EqualTo("IP6"));
        Assert.That(s.Origin.Address, Is.EqualTo("2001:db8::20"));
        Assert.That(s.Connection, Is.EqualTo(new SdpConnection("IN", "IP6", "2001:db8::20")));
    }

    [Test]
    public void Rfc5118MultipleAddressesPerMedia()
    {
        SdpSessionDescription s = BodyOf("rfc5118/mult-ip-in-sdp.dat");
        Assert.That(s.Connection, Is.Null);
        Assert.That(s.Media.Select(m => m.Connections.Single().AddressType), Is.EqualTo(s_types));
    }

    [Test]
    public void CryptoAttributeOfRfc4568()
    {
        // RFC 4568 §9.1 example key-params with lifetime and MKI; session parameter after it.
        string body = "v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n" +
            "m=audio 4000 RTP/SAVP 0\r\n" +
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 KDR=1\r\n" +
            "a=sendonly\r\n";
        Assert.That(SdpSessionDescription.TryParse(Encoding.ASCII.GetBytes(body), out SdpSessionDescription? s, out _), Is.EqualTo(SdpError.None));
        SdpCrypto c = s!.Media[0].Cryptos.Single();
        Assert.That(c.Tag, Is.EqualTo(1));
        Assert.That(c.Suite, Is.EqualTo("AES_CM_128_HMAC_SHA1_80"));
        Assert.That(c.Keys.Single(), Is.EqualTo(new SdpCryptoKey("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "2^20", "1", 32)));
        Assert.That(c.SessionParameters, Is.EqualTo(s_sessionParams));
        Assert.That(s.Media[0].GetDirection(s.Direction), Is.EqualTo(SdpDirection.SendOnly));
        Assert.That(s.ToString(), Is.EqualTo(body));
    }

    [TestCase("v=1\r\n", SdpError.BadVersion, 1)]
    [TestCase("v=0\r\ns=-\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", SdpError.MissingField, 3)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n", SdpError.MissingConnection, 0)]
    [TestCase("v=0\r\no=- 1 1 IN IP6 192.0.2.300\r\ns=-\r\nt=0 0\r\n", SdpError.BadOrigin, 2)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP6 2001:db8:::::1\r\nt=0 0\r\n", SdpError.BadConnection, 4)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", SdpError.BadMedia, 6)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", SdpError.BadAttribute, 7)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5004 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 key:abc\r\n", SdpError.BadAttribute, 7)]
    [TestCase("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nmedia\r\n", SdpError.BadLine, 6)]
    public void MalformedBodiesAreRejectedWithLine(string body, SdpError expected, int line)
    {
        SdpError e = SdpSessionDescription.TryParse(Encoding.ASCII.GetBytes(body), out SdpSessionDescription? s, out int at);
        Assert.That(e, Is.EqualTo(expected));
        Assert.That(s, Is.Null);
        if (line > 0) Assert.That(at, Is.EqualTo(line));
    }
}
