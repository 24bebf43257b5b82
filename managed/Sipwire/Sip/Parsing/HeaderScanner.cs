// Scanners for the structured header values the parser checks eagerly: name-addr lists, Via, params.
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.Sip.Parsing;

/// <summary>
/// Validating scanners over one header field value. Folded lines arrive as CR LF WS inside the
/// value and count as LWS (RFC 3261 §7.3.1). Positions are relative to the value span.
/// </summary>
internal static class HeaderScanner
{
    /// <summary>
    /// Scans one name-addr or addr-spec with its parameters at <paramref name="i"/> (§20.10, §25.1).
    /// On success <paramref name="i"/> is past trailing LWS, at ',' or the end.
    /// </summary>
    public static bool TryScanNameAddr(ReadOnlySpan<byte> s, ref int i, bool allowStar, out NameAddrParts parts)
    {
        parts = NameAddrParts.Empty;
        i = SipSyntax.SkipLws(s, i);
        int valueStart = i;
        if (i >= s.Length) return false;

        if (allowStar && s[i] == '*')
        {
            // Contact: "*" (§20.10), only valid alone; REGISTER processing checks the rest.
            int j = SipSyntax.SkipLws(s, i + 1);
            if (j == s.Length || s[j] == ',')
            {
                parts.IsStar = true;
                parts.Value = new ByteRange(valueStart, 1);
                i = j;
                return true;
            }
            // "*;expires=0" is the usual form: fall through to parameters.
            parts.IsStar = true;
            parts.Value = new ByteRange(valueStart, 1);
            i = j;
            return ScanParams(s, ref i, ref parts, valueStart);
        }

        int laquot = -1;
        if (s[i] == '"')
        {
            int end = SipSyntax.ScanQuoted(s, i);
            if (end < 0) return false;
            parts.DisplayName = new ByteRange(i, end - i);
            i = SipSyntax.SkipLws(s, end);
            if (i >= s.Length || s[i] != '<') return false;
            laquot = i;
        }
        else if (s[i] == '<')
        {
            laquot = i;
        }
        else
        {
            // Either display-name tokens followed by '<', or an addr-spec (§25.1 name-addr / addr-spec).
            int j = i, lastTokenEnd = i;
            while (j < s.Length && SipSyntax.IsToken(s[j]))
            {
                j += SipSyntax.Span(s, j, SipSyntax.Token);
                lastTokenEnd = j;
                j = SipSyntax.SkipLws(s, j);
            }
            if (j < s.Length && s[j] == '<' && lastTokenEnd > i)
            {
                parts.DisplayName = new ByteRange(i, lastTokenEnd - i);
                laquot = j;
            }
        }

        if (laquot >= 0)
        {
            // LAQUOT = SWS "<" and RAQUOT = ">" SWS: no LWS inside the brackets (RFC 4475 §3.1.2.14).
            int close = s[(laquot + 1)..].IndexOf((byte)'>');
            if (close < 0) return false;
            ReadOnlySpan<byte> uri = s.Slice(laquot + 1, close);
            if (!UriScanner.TryScan(uri, out _)) return false;
            parts.Uri = new ByteRange(laquot + 1, close);
            i = laquot + 1 + close + 1;
        }
        else
        {
            // addr-spec without <>: the URI stops at ';' ',' or LWS; §20.10 requires <> around a URI
            // holding ',', ';' or '?', so a headers component here is an error (RFC 4475 §3.1.2.13).
            int j = i;
            while (j < s.Length && s[j] is not (byte)';' and not (byte)',' && !SipSyntax.IsLws(s[j])) j++;
            ReadOnlySpan<byte> uri = s[i..j];
            if (!UriScanner.TryScan(uri, out UriParts up) || up.Headers.IsPresent) return false;
            parts.Uri = new ByteRange(i, j - i);
            i = j;
        }
        return ScanParams(s, ref i, ref parts, valueStart);
    }

    private static bool ScanParams(ReadOnlySpan<byte> s, ref int i, ref NameAddrParts parts, int valueStart)
    {
        int valueEnd = i;
        int paramStart = -1;
        while (true)
        {
            int j = SipSyntax.SkipLws(s, i);
            if (j >= s.Length || s[j] != ';') { i = j; break; }
            if (paramStart < 0) paramStart = j + 1;
            if (!TryScanGenericParam(s, ref j, out ByteRange name, out ByteRange value)) return false;
            ReadOnlySpan<byte> n = name.Slice(s);
            if (Ascii.EqualsIgnoreCase(n, "tag"u8))
            {
                // tag-param = "tag" EQUAL token
                if (!value.IsPresent || value.Length == 0 || SipSyntax.Span(s, value.Start, SipSyntax.Token) != value.Length) return false;
                parts.Tag = value;
            }
            else if (Ascii.EqualsIgnoreCase(n, "expires"u8))
            {
                // c-p-expires = "expires" EQUAL delta-seconds. RFC 3261 §20.19: a malformed value is
                // treated as 3600, so an overflow is recorded, not rejected.
                if (!value.IsPresent) return false;
                ReadOnlySpan<byte> v = value.Slice(s);
                if (v.IsEmpty || SipSyntax.Span(v, 0, SipSyntax.Digit) != v.Length) return false;
                parts.Expires = SipSyntax.TryParseDecimal(v, uint.MaxValue, out ulong e) ? (long)e : long.MaxValue;
            }
            else if (Ascii.EqualsIgnoreCase(n, "q"u8))
            {
                if (!value.IsPresent || !TryParseQValue(value.Slice(s), out int q)) return false;
                parts.QMillis = q;
            }
            valueEnd = j;
            i = j;
        }
        if (paramStart >= 0) parts.Parameters = new ByteRange(paramStart, valueEnd - paramStart);
        parts.Value = new ByteRange(valueStart, valueEnd - valueStart);
        return true;
    }

    /// <summary>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (§25.1), in thousandths.</summary>
    public static bool TryParseQValue(ReadOnlySpan<byte> v, out int millis)
    {
        millis = 0;
        if (v.IsEmpty || v[0] is not (byte)'0' and not (byte)'1') return false;
        int whole = v[0] - '0';
        if (v.Length == 1) { millis = whole * 1000; return true; }
        if (v[1] != '.' || v.Length > 5) return false;
        int frac = 0, scale = 100;
        for (int k = 2; k < v.Length; k++)
        {
            if (!SipSyntax.IsDigit(v[k])) return false;
            frac += (v[k] - '0') * scale;
            scale /= 10;
        }
        if (whole == 1 && frac != 0) return false;
        millis = whole * 1000 + frac;
        return true;
    }

    /// <summary>
    /// At a ';', scans SEMI generic-param: token [ EQUAL gen-value ], gen-value = token / host /
    /// quoted-string (§25.1). An empty parameter (";;") is an error (RFC 4475 §3.1.2.1).
    /// </summary>
    public static bool TryScanGenericParam(ReadOnlySpan<byte> s, ref int i, out ByteRange name, out ByteRange value)
    {
        value = ByteRange.None;
        int j = SipSyntax.SkipLws(s, i + 1);
        int n = SipSyntax.Span(s, j, SipSyntax.Token);
        name = new ByteRange(j, n);
        if (n == 0) return false;
        j += n;
        int k = SipSyntax.SkipLws(s, j);
        if (k < s.Length && s[k] == '=')
        {
            k = SipSyntax.SkipLws(s, k + 1);
            if (k >= s.Length) return false;
            int end;
            if (s[k] == '"')
            {
                end = SipSyntax.ScanQuoted(s, k);
                if (end < 0) return false;
            }
            else if (s[k] == '[')
            {
                int len = SipSyntax.ScanHost(s, k);
                if (len < 0) return false;
                end = k + len;
            }
            else
            {
                int len = SipSyntax.Span(s, k, SipSyntax.Token);
                // Bare IPv6 addresses (received=2001:db8::9:255, RFC 5118 §4.5) contain ':'.
                while (k + len < s.Length && s[k + len] == ':') len += 1 + SipSyntax.Span(s, k + len + 1, SipSyntax.Token);
                if (len == 0) return false;
                end = k + len;
            }
            value = new ByteRange(k, end - k);
            j = end;
        }
        i = j;
        return true;
    }

    /// <summary>
    /// Scans one via-parm at <paramref name="i"/>: sent-protocol LWS sent-by *( SEMI via-params )
    /// (§20.42, §25.1; rport per RFC 3581 §3; received may be bracketed per RFC 5118 §4.5).
    /// </summary>
    public static bool TryScanVia(ReadOnlySpan<byte> s, ref int i, out ViaParts via)
    {
        via = ViaParts.Empty;
        int j = SipSyntax.SkipLws(s, i);
        int start = j;
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH = SWS "/" SWS.
        if (!ScanTokenThenSlash(s, ref j, out via.ProtocolName, true)) return false;
        if (!ScanTokenThenSlash(s, ref j, out via.ProtocolVersion, true)) return false;
        if (!ScanTokenThenSlash(s, ref j, out via.Transport, false)) return false;
        int k = SipSyntax.SkipLws(s, j);
        if (k == j) return false; // LWS is required between sent-protocol and sent-by
        j = k;
        int hostLen = SipSyntax.ScanHost(s, j);
        if (hostLen < 0) return false;
        via.Host = new ByteRange(j, hostLen);
        j += hostLen;
        k = SipSyntax.SkipLws(s, j);
        if (k < s.Length && s[k] == ':')
        {
            k = SipSyntax.SkipLws(s, k + 1);
            int n = SipSyntax.Span(s, k, SipSyntax.Digit);
            if (n == 0 || !SipSyntax.TryParseDecimal(s.Slice(k, n), 65535, out ulong port)) return false;
            via.Port = (int)port;
            j = k + n;
        }
        int end = j;
        int paramStart = -1;
        while (true)
        {
            k = SipSyntax.SkipLws(s, j);
            if (k >= s.Length || s[k] != ';') { j = k; break; }
            if (paramStart < 0) paramStart = k + 1;
            if (!TryScanGenericParam(s, ref k, out ByteRange name, out ByteRange value)) return false;
            ReadOnlySpan<byte> n = name.Slice(s);
            ReadOnlySpan<byte> v = value.Slice(s);
            if (Ascii.EqualsIgnoreCase(n, "branch"u8))
            {
                if (!value.IsPresent || SipSyntax.Span(v, 0, SipSyntax.Token) != v.Length) return false;
                via.Branch = value;
            }
            else if (Ascii.EqualsIgnoreCase(n, "received"u8))
            {
                // via-received = "received" EQUAL (IPv4address / IPv6address); RFC 5118 §4.5: accept
                // the bracketed IPv6reference too.
                if (!value.IsPresent) return false;
                bool ok = SipSyntax.IsIPv4(v) || SipSyntax.IsIPv6(v)
                    || (v.Length > 2 && v[0] == '[' && v[^1] == ']' && SipSyntax.IsIPv6(v[1..^1]));
                if (!ok) return false;
                via.Received = value;
            }
            else if (Ascii.EqualsIgnoreCase(n, "maddr"u8))
            {
                if (!value.IsPresent || SipSyntax.ScanHost(v, 0) != v.Length) return false;
                via.Maddr = value;
            }
            else if (Ascii.EqualsIgnoreCase(n, "ttl"u8))
            {
                if (!value.IsPresent || v.Length > 3 || !SipSyntax.TryParseDecimal(v, 255, out ulong ttl)) return false;
                via.Ttl = (int)ttl;
            }
            else if (Ascii.EqualsIgnoreCase(n, "rport"u8))
            {
                // response-port = "rport" [EQUAL 1*DIGIT] (RFC 3581 §3)
                if (!value.IsPresent) via.RPort = 0;
                else if (SipSyntax.TryParseDecimal(v, 65535, out ulong rp)) via.RPort = (int)rp;
                else return false;
            }
            j = k;
            end = k;
        }
        if (paramStart >= 0) via.Parameters = new ByteRange(paramStart, end - paramStart);
        via.Value = new ByteRange(start, end - start);
        i = j;
        return true;
    }

    private static bool ScanTokenThenSlash(ReadOnlySpan<byte> s, ref int j, out ByteRange token, bool slash)
    {
        j = SipSyntax.SkipLws(s, j);
        int n = SipSyntax.Span(s, j, SipSyntax.Token);
        token = new ByteRange(j, n);
        if (n == 0) return false;
        j += n;
        if (!slash) return true;
        j = SipSyntax.SkipLws(s, j);
        if (j >= s.Length || s[j] != '/') return false;
        j++;
        return true;
    }

    /// <summary>callid = word [ "@" word ] (§25.1), LWS already trimmed.</summary>
    public static bool IsCallId(ReadOnlySpan<byte> v)
    {
        int n = SipSyntax.Span(v, 0, SipSyntax.Word);
        if (n == 0) return false;
        if (n == v.Length) return true;
        if (v[n] != '@') return false;
        int m = SipSyntax.Span(v, n + 1, SipSyntax.Word);
        return m > 0 && n + 1 + m == v.Length;
    }
}
