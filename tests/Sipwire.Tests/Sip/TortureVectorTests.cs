// RFC 4475 and RFC 5118 torture messages: every manifest verdict through the parser and the request checks.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class TortureVectorTests
{
    private static IEnumerable<SipVectorRow> Rows() => SipVectors.Manifest("rfc4475").Concat(SipVectors.Manifest("rfc5118"));

    private static IEnumerable<SipVectorRow> ValidRows() => Rows().Where(r => r.Verdict == "valid");

    [TestCaseSource(nameof(Rows))]
    public void BytesMatchTheManifest(SipVectorRow row)
    {
        byte[] bytes = SipVectors.Read(row.File);
        Assert.That(bytes, Has.Length.EqualTo(int.Parse(row.Columns["bytes"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(row.Columns["sha256"]));
    }

    [TestCaseSource(nameof(Rows))]
    public void DatagramVerdictMatchesTheManifest(SipVectorRow row)
    {
        byte[] bytes = SipVectors.Read(row.File);
        var message = new SipMessage();
        SipParseResult r = SipParser.Parse(bytes.AsMemory(), SipFraming.Datagram, message);
        if (row.Verdict == "valid")
        {
            Assert.That(r.Status, Is.EqualTo(SipParseStatus.Done), $"{r.Error} at {r.Position}");
            return;
        }
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Invalid), "an invalid vector parsed");
        Assert.That(r.Position, Is.InRange(0, bytes.Length));
        if (row.Kind == "extra") return;
        int expected = row.Expected.StartsWith("505", StringComparison.Ordinal) ? 505 : 400;
        // Responses are dropped (RFC 3261 §18.1.2); a request gets the mapped status.
        bool isResponse = bytes.AsSpan().StartsWith("SIP/"u8);
        if (isResponse) Assert.That(row.Expected, Does.Contain("drop"));
        else Assert.That(SipErrors.ToStatusCode(r.Error), Is.EqualTo(expected), r.Error.ToString());
    }

    // The RFC 5118 archive copies use bare LF line ends (tolerated: RFC 3261 §7 asks for CRLF, real
    // peers send LF). Two lack the empty line that ends the header section and two keep the CRLF-era
    // Content-Length with a shorter LF body; those must be rejected for exactly that reason.
    [TestCase("rfc5118/archive/ipv6-good.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/ipv6-bad.dat", SipParseError.BadRequestUri)]
    [TestCase("rfc5118/archive/port-ambiguous.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/port-unambiguous.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/via-received-param-with-delim.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/via-received-param-no-delim.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/ipv6-in-sdp.dat", SipParseError.ContentLengthExceedsMessage)]
    [TestCase("rfc5118/archive/mult-ip-in-header.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/mult-ip-in-sdp.dat", SipParseError.ContentLengthExceedsMessage)]
    [TestCase("rfc5118/archive/ipv4-mapped-ipv6.dat", SipParseError.None)]
    [TestCase("rfc5118/archive/ipv6-bug-abnf-3-colons.dat", SipParseError.HeadersNotTerminated)]
    [TestCase("rfc5118/archive/ipv6-correct-abnf-2-colons.dat", SipParseError.HeadersNotTerminated)]
    public void Rfc5118ArchiveCopiesWithBareLf(string archiveFile, SipParseError expected)
    {
        var m = new SipMessage();
        SipParseResult r = SipParser.Parse(SipVectors.Read(archiveFile).AsMemory(), SipFraming.Datagram, m);
        Assert.That(r.Error, Is.EqualTo(expected));
        Assert.That(r.Status, Is.EqualTo(expected == SipParseError.None ? SipParseStatus.Done : SipParseStatus.Invalid));
    }

    [TestCaseSource(nameof(ValidRows))]
    public void ValidVectorFramesOnAStreamWholeBytewiseAndByPrefix(SipVectorRow row)
    {
        byte[] bytes = SipVectors.Read(row.File);
        var datagram = new SipMessage();
        Assert.That(SipParser.Parse(bytes.AsMemory(), SipFraming.Datagram, datagram).IsDone);
        var m = new SipMessage();
        SipParseResult whole = SipParser.Parse(bytes.AsMemory(), SipFraming.Stream, m);
        if (datagram.ContentLength < 0)
        {
            // RFC 3261 §18.3: without Content-Length the message cannot be framed on a stream.
            Assert.That(whole.Error, Is.EqualTo(SipParseError.MissingContentLength));
            return;
        }
        Assert.That(whole.Status, Is.EqualTo(SipParseStatus.Done), $"{whole.Error} at {whole.Position}");
        Assert.That(whole.Consumed, Is.EqualTo(datagram.Length));
        Assert.That(m.CallId.SequenceEqual(datagram.CallId), Is.True);
        Assert.That(m.Body.SequenceEqual(datagram.Body), Is.True);

        // Every strict prefix is an incomplete message.
        for (int n = 0; n < whole.Consumed; n++)
        {
            SipParseResult p = SipParser.Parse(bytes.AsSpan(0, n), SipFraming.Stream, m);
            Assert.That(p.Status, Is.EqualTo(SipParseStatus.NeedMoreData), $"prefix of {n} bytes: {p.Error} at {p.Position}");
        }

        // Byte by byte into a growing receive buffer, as a TCP reader sees it.
        var buffer = new List<byte>();
        SipParseResult last = default;
        foreach (byte b in bytes)
        {
            buffer.Add(b);
            last = SipParser.Parse(buffer.ToArray().AsSpan(), SipFraming.Stream, m);
            if (last.Status != SipParseStatus.NeedMoreData) break;
        }
        Assert.That(last.Status, Is.EqualTo(SipParseStatus.Done));
        Assert.That(last.Consumed, Is.EqualTo(datagram.Length));
        Assert.That(m.CSeqNumber, Is.EqualTo(datagram.CSeqNumber));
    }
}
