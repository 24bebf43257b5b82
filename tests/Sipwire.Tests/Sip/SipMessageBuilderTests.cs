// The builder writes exact bytes, refuses header injection and overflow, and its output parses back.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class SipMessageBuilderTests
{
    private static readonly byte[] s_expected = Encoding.ASCII.GetBytes(
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "v=0\n");

    private static int Build(Span<byte> buffer)
    {
        var b = new SipMessageBuilder(buffer);
        b.RequestLine(SipMethod.Invite, "sip:bob@biloxi.example.com"u8);
        b.Via("UDP"u8, "pc33.atlanta.example.com"u8, 5060, "z9hG4bK776asdhds"u8, rport: true);
        b.Header(SipHeaderKind.MaxForwards, 70);
        b.NameAddress(SipHeaderKind.To, "Bob"u8, "sip:bob@biloxi.example.com"u8, default);
        b.NameAddress(SipHeaderKind.From, "Alice"u8, "sip:alice@atlanta.example.com"u8, "1928301774"u8);
        b.Header(SipHeaderKind.CallId, "a84b4c76e66710@pc33.atlanta.example.com"u8);
        b.CSeq(314159, "INVITE"u8);
        b.NameAddress(SipHeaderKind.Contact, default, "sip:alice@pc33.atlanta.example.com"u8, default);
        return b.Finish("application/sdp"u8, "v=0\n"u8);
    }

    [Test]
    public void WritesTheExactBytesAndTheyParseBack()
    {
        Span<byte> buffer = stackalloc byte[1024];
        int n = Build(buffer);
        Assert.That(buffer[..n].ToArray(), Is.EqualTo(s_expected));
        var m = new SipMessage();
        Assert.That(SipParser.Parse(buffer[..n], SipFraming.Stream, m).IsDone);
        Assert.That(m.From.Tag.SequenceEqual("1928301774"u8));
        Assert.That(m.TopVia.RPort, Is.Zero);
        Assert.That(m.Body.SequenceEqual("v=0\n"u8));
    }

    [Test]
    public void TooSmallABufferReportsOverflowAtEveryLength()
    {
        byte[] buffer = new byte[s_expected.Length];
        for (int size = 0; size < s_expected.Length; size++) Assert.That(Build(buffer.AsSpan(0, size)), Is.EqualTo(-1), $"size {size}");
        Assert.That(Build(buffer), Is.EqualTo(s_expected.Length));
    }

    [Test]
    public void HeaderInjectionIsRefused()
    {
        Span<byte> buffer = stackalloc byte[256];
        var b = new SipMessageBuilder(buffer);
        b.StatusLine(200, "OK"u8);
        b.Header("Subject"u8, "hi\r\nVia: SIP/2.0/UDP evil"u8);
        Assert.That(b.Finish(), Is.EqualTo(-1));
        Assert.That(b.HasInvalidInput);
    }
}
