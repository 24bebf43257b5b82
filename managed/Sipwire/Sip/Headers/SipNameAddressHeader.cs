// A materialized name-addr / addr-spec header value (From, To, Contact, Route, Record-Route, Refer-To, ...).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>
/// One value of a header built on name-addr / addr-spec (RFC 3261 §20.10, §20.20, §20.30, §20.34, §20.39;
/// Refer-To RFC 3515 §2.1, Referred-By RFC 3892, P-Asserted-Identity RFC 3325, Path RFC 3327, Service-Route RFC 3608).
/// </summary>
public sealed class SipNameAddressHeader
{
    /// <summary>Display name, unquoted and unescaped; null when absent.</summary>
    public string? DisplayName { get; init; }

    /// <summary>True when the display name was (or must be written as) a quoted-string.</summary>
    public bool DisplayNameQuoted { get; init; }

    /// <summary>The URI; null only for Contact "*".</summary>
    public SipUri? Uri { get; init; }

    /// <summary>Contact: the value is "*" (§10.2.2).</summary>
    public bool IsStar { get; init; }

    /// <summary>Header parameters (after the URI) in order.</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>The tag parameter (§19.3), null when absent.</summary>
    public string? Tag => HeaderText.Find(Parameters, "tag");

    /// <summary>Contact ;expires= (§20.10), null when absent or malformed.</summary>
    public uint? Expires => uint.TryParse(HeaderText.Find(Parameters, "expires"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint e) ? e : null;

    /// <summary>Contact ;q= in thousandths (§20.10), null when absent or malformed.</summary>
    public int? QMillis
    {
        get
        {
            string? q = HeaderText.Find(Parameters, "q");
            return q is not null && HeaderScanner.TryParseQValue(Encoding.ASCII.GetBytes(q), out int m) ? m : null;
        }
    }

    /// <summary>The value of parameter <paramref name="name"/>, null when absent or a flag.</summary>
    public string? GetParameter(string name) => HeaderText.Find(Parameters, name);

    /// <summary>Parses every comma-separated value of one header field into <paramref name="into"/>.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipNameAddressHeader> into, bool allowStar = false)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        while (true)
        {
            if (!HeaderScanner.TryScanNameAddr(value, ref i, allowStar, out NameAddrParts p)) return false;
            var parameters = new List<SipHeaderParameter>();
            if (p.Parameters.IsPresent)
            {
                int k = p.Parameters.Start - 1;
                if (!HeaderText.Parameters(value[..p.Value.End], ref k, parameters)) return false;
            }
            SipUri? uri = null;
            if (!p.IsStar && !SipUri.TryParse(p.Uri.Slice(value), out uri)) return false;
            string? display = null;
            bool quoted = false;
            if (p.DisplayName.IsPresent)
            {
                ReadOnlySpan<byte> d = p.DisplayName.Slice(value);
                quoted = d[0] == '"';
                display = quoted ? HeaderText.Unquote(d) : HeaderText.Str(d);
            }
            into.Add(new SipNameAddressHeader { DisplayName = display, DisplayNameQuoted = quoted, Uri = uri, IsStar = p.IsStar, Parameters = parameters });
            if (i >= value.Length) return true;
            if (value[i] != ',') return false;
            i++;
        }
    }

    /// <summary>Parses a single-value field (From, To, Refer-To...); false when malformed or multi-valued.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipNameAddressHeader? header)
    {
        var list = new List<SipNameAddressHeader>(1);
        header = TryParseList(value, list) && list.Count == 1 ? list[0] : null;
        return header is not null;
    }

    /// <summary>Serializes as name-addr: [display-name] &lt;URI&gt; *(;param). The display name is quoted when it is not a token sequence.</summary>
    public override string ToString()
    {
        if (IsStar) return AppendParams(new StringBuilder("*")).ToString();
        var b = new StringBuilder(64);
        if (DisplayName is not null) b.Append(DisplayNameQuoted ? Quote(DisplayName) : QuoteIfNeeded(DisplayName)).Append(' ');
        b.Append('<').Append(Uri).Append('>');
        return AppendParams(b).ToString();
    }

    private StringBuilder AppendParams(StringBuilder b)
    {
        foreach (SipHeaderParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Quoted ? Quote(p.Value) : p.Value);
        }
        return b;
    }

    internal static string QuoteIfNeeded(string s)
    {
        foreach (string word in s.Split(' '))
        {
            if (word.Length == 0) return Quote(s);
            foreach (char c in word)
            {
                if (c > 0x7F || !SipSyntax.IsToken((byte)c)) return Quote(s);
            }
        }
        return s;
    }

    internal static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
