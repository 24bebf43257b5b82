// Shared tokenizer for the typed header parsers: LWS, tokens, quoted strings, parameters, comma lists.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>Small allocating helpers over a header value (folded CR LF count as LWS, §7.3.1).</summary>
internal static class HeaderText
{
    public static string Str(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    /// <summary>Reads a token at <paramref name="i"/> (after LWS); null when there is none.</summary>
    public static string? Token(ReadOnlySpan<byte> s, ref int i)
    {
        i = SipSyntax.SkipLws(s, i);
        int n = SipSyntax.Span(s, i, SipSyntax.Token);
        if (n == 0) return null;
        string t = Str(s.Slice(i, n));
        i += n;
        return t;
    }

    /// <summary>True and advances when the next non-LWS byte is <paramref name="c"/>.</summary>
    public static bool Expect(ReadOnlySpan<byte> s, ref int i, byte c)
    {
        int j = SipSyntax.SkipLws(s, i);
        if (j < s.Length && s[j] == c)
        {
            i = j + 1;
            return true;
        }
        return false;
    }

    /// <summary>True when only LWS remains.</summary>
    public static bool AtEnd(ReadOnlySpan<byte> s, int i) => SipSyntax.SkipLws(s, i) == s.Length;

    /// <summary>Unescapes a quoted-string (with its quotes) into its text; folding becomes one SP.</summary>
    public static string Unquote(ReadOnlySpan<byte> q)
    {
        var bytes = new List<byte>(q.Length);
        for (int k = 1; k < q.Length - 1; k++)
        {
            byte c = q[k];
            if (c == '\\' && k + 1 < q.Length - 1) { bytes.Add(q[++k]); continue; }
            if (c is (byte)'\r' or (byte)'\n')
            {
                while (k + 1 < q.Length - 1 && SipSyntax.IsLws(q[k + 1])) k++;
                bytes.Add((byte)' ');
                continue;
            }
            bytes.Add(c);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Reads *( SEMI generic-param ) at <paramref name="i"/> into <paramref name="into"/>.</summary>
    public static bool Parameters(ReadOnlySpan<byte> s, ref int i, List<SipHeaderParameter> into)
    {
        while (true)
        {
            int j = SipSyntax.SkipLws(s, i);
            if (j >= s.Length || s[j] != ';') return true;
            if (!HeaderScanner.TryScanGenericParam(s, ref j, out ByteRange name, out ByteRange value)) return false;
            if (!value.IsPresent) into.Add(new SipHeaderParameter(Str(name.Slice(s)), null));
            else if (value.Length > 0 && s[value.Start] == '"') into.Add(new SipHeaderParameter(Str(name.Slice(s)), Unquote(value.Slice(s)), true));
            else into.Add(new SipHeaderParameter(Str(name.Slice(s)), Str(value.Slice(s))));
            i = j;
        }
    }

    /// <summary>The value of parameter <paramref name="name"/> (case-insensitive), null when absent.</summary>
    public static string? Find(IReadOnlyList<SipHeaderParameter> parameters, string name)
    {
        foreach (SipHeaderParameter p in parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }

    /// <summary>True when parameter <paramref name="name"/> is present.</summary>
    public static bool Has(IReadOnlyList<SipHeaderParameter> parameters, string name)
    {
        foreach (SipHeaderParameter p in parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>delta-seconds = 1*DIGIT, at most 2^32-1 (§25.1, RFC 4475 §3.1.2.4).</summary>
    public static bool DeltaSeconds(ReadOnlySpan<byte> s, ref int i, out uint value)
    {
        value = 0;
        i = SipSyntax.SkipLws(s, i);
        int n = SipSyntax.Span(s, i, SipSyntax.Digit);
        if (n == 0 || !SipSyntax.TryParseDecimal(s.Slice(i, n), uint.MaxValue, out ulong v)) return false;
        value = (uint)v;
        i += n;
        return true;
    }

    /// <summary>Reads a comma-separated list of tokens (Require, Supported, Allow, ...); false on anything else.</summary>
    public static bool TokenList(ReadOnlySpan<byte> s, List<string> into)
    {
        int i = 0;
        if (AtEnd(s, 0)) return true; // an empty list (e.g. "Supported:") is allowed
        while (true)
        {
            string? t = Token(s, ref i);
            if (t is null) return false;
            into.Add(t);
            if (AtEnd(s, i)) return true;
            if (!Expect(s, ref i, (byte)',')) return false;
        }
    }
}
