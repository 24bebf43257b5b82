// PIDF (RFC 3863) parse/build against tests/vectors/presence, round trips, and malformed documents refused with a reason.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Presence;
using Sipwire.Tests.Sip;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class PidfTests
{
    private static readonly string s_dir = Path.GetFullPath(Path.Combine(SipVectors.Directory, "..", "presence"));

    public static IEnumerable<TestCaseData> Vectors()
    {
        string[] lines = File.ReadAllLines(Path.Combine(s_dir, "manifest.tsv"));
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            string[] c = line.Split('\t');
            yield return new TestCaseData(c[0], c[1], c[2]).SetName("Pidf_" + c[0]);
        }
    }

    private static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(s_dir, file));

    [TestCaseSource(nameof(Vectors))]
    public void VectorParsesOrIsRefusedWithItsReason(string file, string verdict, string expected)
    {
        bool ok = PidfDocument.TryParse(Read(file), out PidfDocument? doc, out string error);
        if (verdict == "valid")
        {
            Assert.That(ok, Is.True, error);
            // Every valid document survives a write and a read unchanged.
            Assert.That(PidfDocument.TryParse(doc!.ToXml(), out PidfDocument? again, out error), Is.True, error);
            Assert.That(again, Is.EqualTo(doc));
            return;
        }
        Assert.That(ok, Is.False);
        Assert.That(doc, Is.Null);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void Rfc3863ExampleFields()
    {
        Assert.That(PidfDocument.TryParse(Read("rfc3863-example.xml"), out PidfDocument? d, out string error), Is.True, error);
        Assert.That(d!.Entity, Is.EqualTo("pres:someone@example.com"));
        Assert.That(d.Tuples.Select(t => t.Id), Is.EqualTo(new[] { "bs35r9", "eg92n8" }));
        PidfTuple t = d.Tuples[0];
        Assert.That(t.Basic, Is.EqualTo(PresenceBasic.Open));
        Assert.That(t.Contact, Is.EqualTo("im:someone@mobilecarrier.net"));
        Assert.That(t.ContactPriority, Is.EqualTo(0.8m));
        Assert.That(t.Notes, Is.EqualTo(new[] { new PidfNote("Don't Disturb Me!", "en"), new PidfNote("Ne derangez pas, s'il vous plait", "fr") }));
        Assert.That(t.Timestamp, Is.EqualTo(new DateTimeOffset(2001, 10, 27, 16, 49, 29, TimeSpan.Zero)));
        Assert.That(d.Tuples[1].ContactPriority, Is.EqualTo(1.0m));
        Assert.That(d.Notes.Single(), Is.EqualTo(new PidfNote("I'll be in Tokyo next week")));
    }

    [Test]
    public void ReferencesAndCdataAreDecoded()
    {
        Assert.That(PidfDocument.TryParse(Read("prefixed-escapes.xml"), out PidfDocument? d, out string error), Is.True, error);
        Assert.That(d!.Entity, Is.EqualTo("sip:a&b@example.test"));
        Assert.That(d.Tuples[0].Notes[0].Text, Is.EqualTo("<away> été <lunch & more>"));
    }

    [Test]
    public void BuiltDocumentEscapesAndReadsBack()
    {
        var doc = new PidfDocument
        {
            Entity = "sip:alice@example.test;x=\"q\"",
            Tuples =
            [
                new PidfTuple
                {
                    Id = "phone-1", Basic = PresenceBasic.Closed, Contact = "sip:alice@10.0.0.1", ContactPriority = 0.5m,
                    Notes = [new PidfNote("In a meeting <until 3> & then \"lunch\"", "en")], Timestamp = new DateTimeOffset(2026, 11, 25, 19, 0, 0, 123, TimeSpan.Zero),
                },
                new PidfTuple { Id = "t2" },
            ],
            Notes = [new PidfNote("line1\nline2")],
        };
        byte[] xml = doc.ToXml();
        string text = Encoding.UTF8.GetString(xml);
        Assert.That(text, Does.Contain("&lt;until 3&gt; &amp; then"));
        Assert.That(text, Does.Contain("entity=\"sip:alice@example.test;x=&quot;q&quot;\""));
        Assert.That(PidfDocument.TryParse(xml, out PidfDocument? back, out string error), Is.True, error);
        Assert.That(back, Is.EqualTo(doc));
        Assert.Throws<ArgumentException>(() => new PidfDocument { Entity = "pres:a@b", Tuples = [new PidfTuple { Id = "1bad" }] }.ToXml());
    }

    [Test]
    public void EveryTruncationOfAValidDocumentIsRefused()
    {
        byte[] xml = Read("rfc3863-example.xml");
        int end = Encoding.UTF8.GetString(xml).LastIndexOf("</presence>", StringComparison.Ordinal);
        for (int n = 0; n < end; n++)
        {
            Assert.That(PidfDocument.TryParse(xml.AsSpan(0, n), out _, out string error), Is.False, $"prefix of {n} bytes");
            Assert.That(error, Is.Not.Empty);
        }
    }
}
