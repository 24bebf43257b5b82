// Vectors with a `.expect` file (typical/ and own/): verdict, reason, status and selected header values.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class ExpectVectorTests
{
    private static IEnumerable<string> ExpectFiles() =>
        Directory.EnumerateFiles(SipVectors.Directory, "*.expect", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SipVectors.Directory, f)).Order(StringComparer.Ordinal);

    private static Dictionary<string, string> ReadExpect(string relative)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Path.Combine(SipVectors.Directory, relative)))
        {
            int c = line.IndexOf(':', StringComparison.Ordinal);
            if (c > 0) d[line[..c]] = line[(c + 1)..].Trim();
        }
        return d;
    }

    [TestCaseSource(nameof(ExpectFiles))]
    public void MessageMatchesItsExpectation(string expectFile)
    {
        Dictionary<string, string> e = ReadExpect(expectFile);
        byte[] bytes = SipVectors.Read(Path.ChangeExtension(expectFile, ".dat"));
        var m = new SipMessage();
        SipParseResult r = SipParser.Parse(bytes.AsMemory(), SipFraming.Datagram, m);
        if (e["verdict"] == "invalid")
        {
            Assert.That(r.Status, Is.EqualTo(SipParseStatus.Invalid));
            Assert.That(r.Error.ToString(), Is.EqualTo(e["reason"]));
            Assert.That(SipErrors.ToStatusCode(r.Error).ToString(CultureInfo.InvariantCulture), Is.EqualTo(e["status"]));
            return;
        }
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Done), $"{r.Error} at {r.Position}");
        foreach ((string key, string want) in e)
        {
            if (key is "verdict" or "source") continue;
            Assert.That(Read(m, key), Is.EqualTo(want), key);
        }

        // Stream framing: whole, every strict prefix (NeedMoreData), and one byte at a time.
        var s = new SipMessage();
        Assert.That(SipParser.Parse(bytes.AsMemory(), SipFraming.Stream, s).Consumed, Is.EqualTo(bytes.Length));
        for (int n = 0; n < bytes.Length; n++)
            Assert.That(SipParser.Parse(bytes.AsSpan(0, n), SipFraming.Stream, s).Status, Is.EqualTo(SipParseStatus.NeedMoreData), $"prefix {n}");
        var grown = new List<byte>();
        SipParseResult last = default;
        foreach (byte b in bytes)
        {
            grown.Add(b);
            last = SipParser.Parse(grown.ToArray(), SipFraming.Stream, s);
            if (last.Status != SipParseStatus.NeedMoreData) break;
        }
        Assert.That(last.Status, Is.EqualTo(SipParseStatus.Done));
        foreach ((string key, string want) in e)
        {
            if (key is "verdict" or "source") continue;
            Assert.That(Read(s, key), Is.EqualTo(want), "stream " + key);
        }
    }

    private static string Text(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static string Read(SipMessage m, string key) => key switch
    {
        "start" => m.IsRequest ? $"request {Text(m.MethodName)} {Text(m.RequestUri)}" : $"response {m.StatusCode}",
        "via.transport" => Text(m.TopVia.Transport),
        "via.host" => Text(m.TopVia.Host),
        "via.port" => m.TopVia.Port.ToString(CultureInfo.InvariantCulture),
        "via.branch" => Text(m.TopVia.Branch),
        "via.received" => Text(m.TopVia.Received),
        "via.rport" => m.TopVia.RPort.ToString(CultureInfo.InvariantCulture),
        "call-id" => Text(m.CallId),
        "cseq" => $"{m.CSeqNumber} {Text(m.CSeqMethodName)}",
        "from.tag" => Text(m.From.Tag),
        "to.tag" => Text(m.To.Tag),
        "max-forwards" => m.MaxForwards.ToString(CultureInfo.InvariantCulture),
        "content-length" => m.ContentLength.ToString(CultureInfo.InvariantCulture),
        "contact" => m.Contact.IsStar ? "*" : Text(m.Contact.Uri),
        "contact.expires" => m.Contact.Expires.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"unknown expectation key '{key}'"),
    };
}
