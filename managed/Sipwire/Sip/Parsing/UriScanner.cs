// Validates a URI and locates its components: SIP/SIPS per RFC 3261 §19.1 / §25.1, others as absoluteURI.
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.Sip.Parsing;

/// <summary>Scans URI text without allocating.</summary>
internal static class UriScanner
{
    /// <summary>
    /// Scans <paramref name="uri"/> (the whole text, nothing around it). SIP and SIPS URIs are
    /// checked against the §25.1 grammar; other schemes must be an absoluteURI (RFC 2396 characters,
    /// no whitespace), which RFC 3261 allows anywhere a URI appears.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> uri, out UriParts parts)
    {
        parts = UriParts.Empty;
        int schemeLen = SipSyntax.Span(uri, 0, SipSyntax.SchemeChar);
        if (schemeLen == 0 || schemeLen >= uri.Length || uri[schemeLen] != ':' || !SipSyntax.Is(uri[0], SipSyntax.Alpha))
            return false;
        parts.Scheme = new ByteRange(0, schemeLen);
        ReadOnlySpan<byte> scheme = uri[..schemeLen];
        int start = schemeLen + 1;
        if (Ascii.EqualsIgnoreCase(scheme, "sip"u8)) parts.SchemeKind = 1;
        else if (Ascii.EqualsIgnoreCase(scheme, "sips"u8)) parts.SchemeKind = 2;
        else if (Ascii.EqualsIgnoreCase(scheme, "tel"u8)) parts.SchemeKind = 3;

        if (parts.SchemeKind is 1 or 2)
            return ScanSip(uri, start, ref parts);
        if (parts.SchemeKind == 3)
            return ScanTel(uri, start, ref parts);

        // absoluteURI = scheme ":" ( hier-part / opaque-part ): visible characters, none of <>" or LWS.
        if (start == uri.Length) return false;
        for (int i = start; i < uri.Length; i++)
        {
            if (!SipSyntax.Is(uri[i], SipSyntax.UriChar)) return false;
        }
        parts.Opaque = new ByteRange(start, uri.Length - start);
        return true;
    }

    /// <summary>
    /// RFC 3966 §3: telephone-subscriber = global-number / local-number, then *( ";" par ) with
    /// pname/pvalue of paramchar; a local number needs a phone-context parameter (§5.1.5).
    /// </summary>
    private static bool ScanTel(ReadOnlySpan<byte> uri, int i, ref UriParts parts)
    {
        int start = i;
        bool global = i < uri.Length && uri[i] == '+';
        if (global) i++;
        int digits = 0;
        while (i < uri.Length && uri[i] != ';')
        {
            byte c = uri[i];
            if (SipSyntax.IsDigit(c) || (!global && (SipSyntax.Is(c, SipSyntax.Hex) || c is (byte)'*' or (byte)'#'))) digits++;
            else if (c is not (byte)'-' and not (byte)'.' and not (byte)'(' and not (byte)')') return false;
            i++;
        }
        if (digits == 0) return false;
        parts.User = new ByteRange(start, i - start);
        bool phoneContext = false;
        int paramStart = i;
        while (i < uri.Length)
        {
            // uri[i] == ';'
            int n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.ParamChar);
            if (n <= 0) return false;
            bool isContext = Ascii.EqualsIgnoreCase(uri.Slice(i + 1, n), "phone-context"u8);
            i += 1 + n;
            if (i < uri.Length && uri[i] == '=')
            {
                n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.ParamChar);
                if (n <= 0) return false;
                phoneContext |= isContext;
                i += 1 + n;
            }
            if (i < uri.Length && uri[i] != ';') return false;
        }
        if (i > paramStart) parts.Parameters = new ByteRange(paramStart + 1, i - paramStart - 1);
        parts.Opaque = new ByteRange(start, uri.Length - start);
        return global || phoneContext;
    }

    private static bool ScanSip(ReadOnlySpan<byte> uri, int i, ref UriParts parts)
    {
        // userinfo ends at the first '@': no component after it may hold an unescaped '@'
        // (user, password, paramchar and hnv-unreserved all exclude it, §25.1).
        int at = uri[i..].IndexOf((byte)'@');
        if (at >= 0)
        {
            int userLen = SipSyntax.SpanEscaped(uri, i, SipSyntax.UserChar);
            if (userLen <= 0) return false;
            parts.User = new ByteRange(i, userLen);
            int j = i + userLen;
            if (j < uri.Length && uri[j] == ':')
            {
                int pwLen = SipSyntax.SpanEscaped(uri, j + 1, SipSyntax.PasswordChar);
                if (pwLen < 0) return false;
                parts.Password = new ByteRange(j + 1, pwLen);
                j += 1 + pwLen;
            }
            if (j != i + at) return false;
            i = j + 1;
        }
        int hostLen = SipSyntax.ScanHost(uri, i);
        if (hostLen < 0) return false;
        parts.Host = new ByteRange(i, hostLen);
        i += hostLen;
        if (i < uri.Length && uri[i] == ':')
        {
            int n = SipSyntax.Span(uri, i + 1, SipSyntax.Digit);
            if (n == 0 || !SipSyntax.TryParseDecimal(uri.Slice(i + 1, n), 65535, out ulong port)) return false;
            parts.Port = (int)port;
            i += 1 + n;
        }
        int paramStart = i;
        while (i < uri.Length && uri[i] == ';')
        {
            // uri-parameter = pname [ "=" pvalue ]; pname = 1*paramchar, pvalue = 1*paramchar.
            int n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.ParamChar);
            if (n <= 0) return false;
            i += 1 + n;
            if (i < uri.Length && uri[i] == '=')
            {
                n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.ParamChar);
                if (n <= 0) return false;
                i += 1 + n;
            }
        }
        if (i > paramStart) parts.Parameters = new ByteRange(paramStart + 1, i - paramStart - 1);
        if (i < uri.Length && uri[i] == '?')
        {
            int hStart = i + 1;
            do
            {
                // header = hname "=" hvalue; hname = 1*( hnv-unreserved / unreserved / escaped ).
                int n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.HeaderChar);
                if (n <= 0) return false;
                i += 1 + n;
                if (i >= uri.Length || uri[i] != '=') return false;
                n = SipSyntax.SpanEscaped(uri, i + 1, SipSyntax.HeaderChar);
                if (n < 0) return false;
                i += 1 + n;
            }
            while (i < uri.Length && uri[i] == '&');
            parts.Headers = new ByteRange(hStart, i - hStart);
        }
        return i == uri.Length;
    }
}
