// Stream framing (pipelined messages, keep-alives, partial bodies) and the configurable limits (513).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class FramingAndLimitsTests
{
    private static byte[] Typical(string name) => SipVectors.Read($"typical/{name}.dat");

    [Test]
    public void PipelinedMessagesWithKeepAlivesFrameOneByOne()
    {
        byte[] a = Typical("invite-sdp"), b = Typical("ok200"), c = Typical("register");
        // RFC 3261 §7.5 / RFC 5626 §3.5.1: CRLF before a start line is skipped.
        byte[] stream = [.. "\r\n\r\n"u8.ToArray(), .. a, .. b, .. "\r\n"u8.ToArray(), .. c];
        var m = new SipMessage();
        int offset = 0;
        int[] expectedLengths = [a.Length, b.Length, c.Length];
        foreach (int expected in expectedLengths)
        {
            SipParseResult r = SipParser.Parse(stream.AsMemory(offset), SipFraming.Stream, m);
            Assert.That(r.Status, Is.EqualTo(SipParseStatus.Done));
            Assert.That(m.Length, Is.EqualTo(expected));
            offset += r.Consumed;
        }
        Assert.That(offset, Is.EqualTo(stream.Length));
        Assert.That(SipParser.Parse(ReadOnlySpan<byte>.Empty, SipFraming.Stream, m), Is.EqualTo(SipParseResult.NeedMoreData()));
    }

    [Test]
    public void KeepAliveOnlyBufferCanBeDropped()
    {
        var m = new SipMessage();
        SipParseResult r = SipParser.Parse("\r\n\r\n"u8, SipFraming.Stream, m);
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.NeedMoreData));
        Assert.That(r.Consumed, Is.EqualTo(4));
    }

    [Test]
    public void PartialBodyNeedsMoreDataOnStreamButIsInvalidInDatagram()
    {
        byte[] a = Typical("invite-sdp");
        var m = new SipMessage();
        Assert.That(SipParser.Parse(a.AsSpan(0, a.Length - 1), SipFraming.Stream, m).Status, Is.EqualTo(SipParseStatus.NeedMoreData));
        SipParseResult d = SipParser.Parse(a.AsSpan(0, a.Length - 1), SipFraming.Datagram, m);
        Assert.That(d.Error, Is.EqualTo(SipParseError.ContentLengthExceedsMessage));
        Assert.That(SipErrors.ToStatusCode(d.Error), Is.EqualTo(400));
    }

    [Test]
    public void MessageSizeLimit()
    {
        byte[] a = Typical("invite-sdp");
        var options = new SipParserOptions { MaxMessageSize = a.Length - 1 };
        var m = new SipMessage();
        SipParseResult d = SipParser.Parse(a, SipFraming.Datagram, m, options);
        Assert.That(d.Error, Is.EqualTo(SipParseError.MessageTooLarge));
        Assert.That(SipErrors.ToStatusCode(d.Error), Is.EqualTo(513));
        // On a stream the header section fits but Content-Length would take it past the limit.
        SipParseResult s = SipParser.Parse(a.AsSpan(0, a.Length - 200), SipFraming.Stream, m, options);
        Assert.That(s.Error, Is.EqualTo(SipParseError.MessageTooLarge));
        Assert.That(SipParser.Parse(a, SipFraming.Datagram, m, new SipParserOptions { MaxMessageSize = a.Length }).IsDone);
    }

    [Test]
    public void StreamWithoutHeaderEndIsBoundedByTheLimit()
    {
        var options = new SipParserOptions { MaxMessageSize = 1024, MaxLineLength = 100 };
        var m = new SipMessage();
        byte[] endless = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 60)));
        Assert.That(SipParser.Parse(endless, SipFraming.Stream, m, options).Error, Is.EqualTo(SipParseError.MessageTooLarge));
        byte[] longLine = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nX-Long: " + new string('x', 200));
        Assert.That(SipParser.Parse(longLine, SipFraming.Stream, m, options).Error, Is.EqualTo(SipParseError.LineTooLong));
    }

    [Test]
    public void LineLengthAndHeaderCountLimits()
    {
        byte[] a = Typical("register");
        var m = new SipMessage();
        SipParseResult line = SipParser.Parse(a, SipFraming.Datagram, m, new SipParserOptions { MaxLineLength = 40 });
        Assert.That(line.Error, Is.EqualTo(SipParseError.LineTooLong));
        Assert.That(SipErrors.ToStatusCode(line.Error), Is.EqualTo(513));
        SipParseResult count = SipParser.Parse(a, SipFraming.Datagram, m, new SipParserOptions { MaxHeaderCount = 5 });
        Assert.That(count.Error, Is.EqualTo(SipParseError.TooManyHeaders));
        Assert.That(() => new SipParserOptions { MaxHeaderCount = 0 }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void FramingErrorsCloseAStream()
    {
        Assert.That(SipErrors.BreaksFraming(SipParseError.DuplicateContentLength), Is.True);
        Assert.That(SipErrors.BreaksFraming(SipParseError.BadVia), Is.False);
        foreach (SipParseError e in Enum.GetValues<SipParseError>())
        {
            Assert.That(SipErrors.ReasonPhrase(e), Is.Not.Empty);
            if (e != SipParseError.None) Assert.That(SipErrors.ToStatusCode(e), Is.InRange(400, 599), e.ToString());
        }
    }

    [Test]
    public void PooledBufferCarriesABuiltMessage()
    {
        using var buffer = new SipPooledBuffer(2048);
        var b = new SipMessageBuilder(buffer.Space);
        b.StatusLine(100, "Trying"u8);
        b.Via("UDP"u8, "192.0.2.1"u8, -1, "z9hG4bK1"u8, rport: false);
        b.NameAddress(SipHeaderKind.From, default, "sip:a@example.com"u8, "1"u8);
        b.NameAddress(SipHeaderKind.To, default, "sip:b@example.com"u8, default);
        b.Header(SipHeaderKind.CallId, "c@example.com"u8);
        b.CSeq(1, "INVITE"u8);
        buffer.Commit(b.Finish());
        var m = new SipMessage();
        Assert.That(SipParser.Parse(buffer.Message, SipFraming.Stream, m).IsDone);
        Assert.That(m.StatusCode, Is.EqualTo(100));
        Assert.That(m.ReasonPhrase.SequenceEqual("Trying"u8));
    }
}
