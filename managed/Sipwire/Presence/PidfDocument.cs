// A PIDF presence document (RFC 3863): the entity, its tuples and notes; parse and write application/pidf+xml.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sipwire.Presence;

/// <summary>
/// The Presence Information Data Format. <see cref="TryParse"/> checks what RFC 3863 §4 requires
/// (root presence in the PIDF namespace with an entity URI, tuples with unique ids and exactly one
/// status, basic open/closed, priority 0..1, dateTime timestamps, mustUnderstand extensions we do
/// not know are refused, §4.3); <see cref="ToXml"/> writes a document that reads back equal.
/// </summary>
public sealed record PidfDocument
{
    /// <summary>The PIDF namespace (RFC 3863 §4.1).</summary>
    public const string Namespace = "urn:ietf:params:xml:ns:pidf";

    /// <summary>The media type (RFC 3863 §7).</summary>
    public const string ContentType = "application/pidf+xml";

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>The presentity URI: the entity attribute ("pres:alice@example.test" or a SIP URI).</summary>
    public required string Entity { get; init; }

    /// <summary>Tuples in document order.</summary>
    public IReadOnlyList<PidfTuple> Tuples { get; init; } = [];

    /// <summary>Notes about the presentity as a whole.</summary>
    public IReadOnlyList<PidfNote> Notes { get; init; } = [];

    /// <summary>Parses an application/pidf+xml body.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out PidfDocument? document, out string error)
    {
        document = null;
        if (!XmlLiteParser.TryParse(utf8, out XmlElement? root, out error)) return false;
        if (root!.Namespace != Namespace || root.LocalName != "presence") return Fail($"root element is {root}, not {{{Namespace}}}presence", out error);
        string? entity = root.Attribute("entity");
        if (string.IsNullOrWhiteSpace(entity) || !entity.Contains(':', StringComparison.Ordinal)) return Fail("presence has no entity URI (§4.1.1)", out error);
        var tuples = new List<PidfTuple>();
        var notes = new List<PidfNote>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlElement c in root.Children)
        {
            if (c.Namespace != Namespace)
            {
                if (!CheckExtension(c, out error)) return false;
                continue;
            }
            switch (c.LocalName)
            {
                case "tuple":
                    if (!TryTuple(c, out PidfTuple? t, out error)) return false;
                    if (!ids.Add(t!.Id)) return Fail($"tuple id '{t.Id}' repeated", out error);
                    tuples.Add(t);
                    break;
                case "note":
                    notes.Add(Note(c));
                    break;
                default:
                    return Fail($"unexpected element '{c.LocalName}' in presence", out error);
            }
        }
        document = new PidfDocument { Entity = entity, Tuples = tuples, Notes = notes };
        error = "";
        return true;
    }

    private static bool TryTuple(XmlElement e, out PidfTuple? tuple, out string error)
    {
        tuple = null;
        string? id = e.Attribute("id");
        if (string.IsNullOrEmpty(id) || !IsXmlId(id)) return Fail($"tuple id '{id}' is not an XML ID (§4.1.2)", out error);
        XmlElement? status = null;
        string? contact = null;
        decimal? priority = null;
        DateTimeOffset? timestamp = null;
        var notes = new List<PidfNote>();
        foreach (XmlElement c in e.Children)
        {
            if (c.Namespace != Namespace)
            {
                if (!CheckExtension(c, out error)) return false;
                continue;
            }
            switch (c.LocalName)
            {
                case "status" when status is null:
                    status = c;
                    break;
                case "status":
                    return Fail($"tuple '{id}' has two status elements", out error);
                case "contact" when contact is null:
                    contact = c.Text.Trim();
                    if (c.Attribute("priority") is { } p)
                    {
                        // §4.1.5: a decimal 0..1 with at most three decimals.
                        if (!decimal.TryParse(p, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal q) || q > 1 || decimal.Round(q, 3) != q)
                            return Fail($"contact priority '{p}' is not 0..1", out error);
                        priority = q;
                    }
                    break;
                case "contact":
                    return Fail($"tuple '{id}' has two contact elements", out error);
                case "note":
                    notes.Add(Note(c));
                    break;
                case "timestamp":
                    if (!DateTimeOffset.TryParse(c.Text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset ts) || !c.Text.Contains('T', StringComparison.Ordinal))
                        return Fail($"timestamp '{c.Text.Trim()}' is not an xs:dateTime", out error);
                    timestamp = ts;
                    break;
                default:
                    return Fail($"unexpected element '{c.LocalName}' in tuple", out error);
            }
        }
        if (status is null) return Fail($"tuple '{id}' has no status (§4.1.3)", out error);
        PresenceBasic? basic = null;
        foreach (XmlElement s in status.Children)
        {
            if (s.Namespace != Namespace)
            {
                if (!CheckExtension(s, out error)) return false;
                continue;
            }
            if (s.LocalName != "basic" || basic is not null) return Fail($"unexpected element '{s.LocalName}' in status", out error);
            basic = s.Text.Trim() switch
            {
                "open" => PresenceBasic.Open,
                "closed" => PresenceBasic.Closed,
                _ => null,
            };
            if (basic is null) return Fail($"basic '{s.Text.Trim()}' is neither open nor closed (§4.1.4)", out error);
        }
        tuple = new PidfTuple { Id = id, Basic = basic, Contact = contact, ContactPriority = priority, Notes = notes, Timestamp = timestamp };
        error = "";
        return true;
    }

    // RFC 3863 §4.3: an extension element we do not know is ignored unless it says mustUnderstand.
    private static bool CheckExtension(XmlElement e, out string error)
    {
        string? mu = e.Attribute("mustUnderstand", Namespace);
        if (mu is "true" or "1") return Fail($"extension {e} must be understood (§4.3)", out error);
        error = "";
        return true;
    }

    private static PidfNote Note(XmlElement e) => new(e.Text, e.Attribute("lang", XmlNamespace));

    private static bool IsXmlId(string id)
    {
        if (!(char.IsLetter(id[0]) || id[0] == '_')) return false;
        foreach (char c in id)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.')) return false;
        }
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    /// <summary>Writes the document as UTF-8 XML (RFC 3863 §4).</summary>
    /// <exception cref="ArgumentException">A tuple id is not an XML ID or a priority is outside 0..1.</exception>
    public byte[] ToXml()
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"").Append(Namespace).Append("\" entity=\"");
        Escape(sb, Entity, attribute: true);
        sb.Append("\">\n");
        foreach (PidfTuple t in Tuples)
        {
            if (string.IsNullOrEmpty(t.Id) || !IsXmlId(t.Id)) throw new ArgumentException($"tuple id '{t.Id}' is not an XML ID.");
            sb.Append(" <tuple id=\"").Append(t.Id).Append("\">\n  <status>");
            if (t.Basic is { } b) sb.Append("<basic>").Append(b == PresenceBasic.Open ? "open" : "closed").Append("</basic>");
            sb.Append("</status>\n");
            if (t.Contact is not null)
            {
                sb.Append("  <contact");
                if (t.ContactPriority is { } p)
                {
                    if (p is < 0 or > 1) throw new ArgumentException($"priority {p} is outside 0..1.");
                    sb.Append(" priority=\"").Append(p.ToString("0.###", CultureInfo.InvariantCulture)).Append('"');
                }
                sb.Append('>');
                Escape(sb, t.Contact, attribute: false);
                sb.Append("</contact>\n");
            }
            foreach (PidfNote n in t.Notes) WriteNote(sb, n, "  ");
            if (t.Timestamp is { } ts) sb.Append("  <timestamp>").Append(ts.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append("</timestamp>\n");
            sb.Append(" </tuple>\n");
        }
        foreach (PidfNote n in Notes) WriteNote(sb, n, " ");
        sb.Append("</presence>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void WriteNote(StringBuilder sb, PidfNote n, string indent)
    {
        sb.Append(indent).Append("<note");
        if (n.Language is not null)
        {
            sb.Append(" xml:lang=\"");
            Escape(sb, n.Language, attribute: true);
            sb.Append('"');
        }
        sb.Append('>');
        Escape(sb, n.Text, attribute: false);
        sb.Append("</note>\n");
    }

    private static void Escape(StringBuilder sb, string text, bool attribute)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                case '\r' or '\n' or '\t' when attribute: sb.Append("&#").Append((int)c).Append(';'); break;
                case '\r': sb.Append("&#13;"); break;
                default:
                    // XML 1.0 §2.2: other control characters cannot appear in a document at all.
                    if (c < ' ' && c is not ('\t' or '\n')) throw new ArgumentException("control character in PIDF text.");
                    sb.Append(c);
                    break;
            }
        }
    }

    /// <summary>Equal content: entity, tuples and notes element by element.</summary>
    public bool Equals(PidfDocument? other) =>
        other is not null && Entity == other.Entity && Same(Notes, other.Notes) && Tuples.Count == other.Tuples.Count && TuplesEqual(Tuples, other.Tuples);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Entity, Tuples.Count, Notes.Count);

    private static bool TuplesEqual(IReadOnlyList<PidfTuple> a, IReadOnlyList<PidfTuple> b)
    {
        for (int i = 0; i < a.Count; i++)
        {
            PidfTuple x = a[i], y = b[i];
            if (x.Id != y.Id || x.Basic != y.Basic || x.Contact != y.Contact || x.ContactPriority != y.ContactPriority || x.Timestamp != y.Timestamp || !Same(x.Notes, y.Notes)) return false;
        }
        return true;
    }

    private static bool Same(IReadOnlyList<PidfNote> a, IReadOnlyList<PidfNote> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }
}
