// Character classes and small scanners of the RFC 3261 §25.1 grammar, over bytes.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Sip.Parsing;

/// <summary>Table-driven character classes of RFC 3261 §25.1 and helpers the header parsers share.</summary>
internal static class SipSyntax
{
    internal const ushort Token = 1;           // token
    internal const ushort Word = 2;            // word (Call-ID)
    internal const ushort Unreserved = 4;      // alphanum / mark
    internal const ushort UserChar = 8;        // unreserved / user-unreserved (escaped handled apart)
    internal const ushort PasswordChar = 16;   // unreserved / "&" "=" "+" "$" ","
    internal const ushort ParamChar = 32;      // unreserved / param-unreserved
    internal const ushort HeaderChar = 64;     // unreserved / hnv-unreserved
    internal const ushort HostChar = 128;      // alphanum / "-" / "." (hostname, IPv4)
    internal const ushort Digit = 256;
    internal const ushort Hex = 512;
    internal const ushort Alpha = 1024;
    internal const ushort SchemeChar = 2048;   // ALPHA / DIGIT / "+" / "-" / "."
    internal const ushort UriChar = 4096;      // any visible ASCII except '<' '>' '"' (absoluteURI characters)

    private static readonly ushort[] s_classes = BuildClasses();

    private static ushort[] BuildClasses()
    {
        var t = new ushort[256];
        for (int c = 0; c < 256; c++)
        {
            bool alpha = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
            bool digit = c is >= '0' and <= '9';
            ushort v = 0;
            if (alpha) v |= Alpha;
            if (digit) v |= Digit;
            if (digit || c is >= 'a' and <= 'f' or >= 'A' and <= 'F') v |= Hex;
            bool alnum = alpha || digit;
            bool mark = "-_.!~*'()".Contains((char)c, StringComparison.Ordinal) && c < 128;
            if (alnum || ("-.!%*_+`'~".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= Token;
            if (alnum || ("-.!%*_+`'~()<>:\\\"/[]?{}".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= Word;
            if (alnum || mark) v |= Unreserved;
            if (alnum || mark || ("&=+$,;?/".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= UserChar;
            if (alnum || mark || ("&=+$,".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= PasswordChar;
            if (alnum || mark || ("[]/:&+$".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= ParamChar;
            if (alnum || mark || ("[]/?:+$".Contains((char)c, StringComparison.Ordinal) && c < 128)) v |= HeaderChar;
            if (alnum || c is '-' or '.') v |= HostChar;
            if (alnum || c is '+' or '-' or '.') v |= SchemeChar;
            if (c > 0x20 && c < 0x7F && c is not '<' and not '>' and not '"') v |= UriChar;
            t[c] = v;
        }
        return t;
    }

    internal static bool Is(byte c, ushort cls) => (s_classes[c] & cls) != 0;

    internal static bool IsToken(byte c) => (s_classes[c] & Token) != 0;

    internal static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    /// <summary>Whitespace inside a header value: SP, HT, and the CR LF of folded lines (§7.3.1: folding is LWS).</summary>
    internal static bool IsLws(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>Advances past LWS.</summary>
    internal static int SkipLws(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsLws(s[i])) i++;
        return i;
    }

    /// <summary>Length of the run of bytes of class <paramref name="cls"/> starting at <paramref name="i"/>.</summary>
    internal static int Span(ReadOnlySpan<byte> s, int i, ushort cls)
    {
        int j = i;
        while (j < s.Length && (s_classes[s[j]] & cls) != 0) j++;
        return j - i;
    }

    /// <summary>
    /// Length of a run of <paramref name="cls"/> bytes where '%' HEX HEX escapes are also allowed
    /// (§25.1 escaped); -1 when a '%' is not followed by two hex digits.
    /// </summary>
    internal static int SpanEscaped(ReadOnlySpan<byte> s, int i, ushort cls)
    {
        int j = i;
        while (j < s.Length)
        {
            byte c = s[j];
            if (c == '%')
            {
                if (j + 2 >= s.Length || !Is(s[j + 1], Hex) || !Is(s[j + 2], Hex)) return -1;
                j += 3;
                continue;
            }
            if ((s_classes[c] & cls) == 0) break;
            j++;
        }
        return j - i;
    }

    /// <summary>Trims LWS from both ends.</summary>
    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s, out int leading)
    {
        int a = 0, b = s.Length;
        while (a < b && IsLws(s[a])) a++;
        while (b > a && IsLws(s[b - 1])) b--;
        leading = a;
        return s[a..b];
    }

    /// <summary>Parses 1*DIGIT into a value no larger than <paramref name="max"/>; leading zeros allowed.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> s, ulong max, out ulong value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        foreach (byte c in s)
        {
            uint d = (uint)(c - '0');
            if (d > 9) return false;
            value = value * 10 + d;
            if (value > max) return false;
        }
        return true;
    }

    /// <summary>
    /// Scans a quoted-string starting at the opening DQUOTE; returns the index just past the closing
    /// DQUOTE, or -1 when it never closes or holds a byte qdtext/quoted-pair forbid (§25.1).
    /// </summary>
    internal static int ScanQuoted(ReadOnlySpan<byte> s, int i)
    {
        i++;
        while (i < s.Length)
        {
            byte c = s[i];
            if (c == '"') return i + 1;
            if (c == '\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (i + 1 >= s.Length) return -1;
                byte q = s[i + 1];
                if (q is 0x0A or 0x0D || q > 0x7F) return -1;
                i += 2;
                continue;
            }
            // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII; CR LF only as folding.
            if (c < 0x20 && c is not (byte)'\t' and not (byte)'\r' and not (byte)'\n') return -1;
            if (c == 0x7F) return -1;
            i++;
        }
        return -1;
    }

    /// <summary>
    /// Scans a host (§25.1 host = hostname / IPv4address / IPv6reference) at <paramref name="i"/>;
    /// returns its length or -1.
    /// </summary>
    internal static int ScanHost(ReadOnlySpan<byte> s, int i)
    {
        if (i < s.Length && s[i] == '[')
        {
            int close = s[i..].IndexOf((byte)']');
            if (close < 0) return -1;
            return IsIPv6(s.Slice(i + 1, close - 1)) ? close + 1 : -1;
        }
        int n = Span(s, i, HostChar);
        if (n == 0) return -1;
        return IsHostname(s.Slice(i, n)) ? n : -1;
    }

    /// <summary>hostname = *( domainlabel "." ) toplabel [ "." ] or an IPv4address (§25.1).</summary>
    internal static bool IsHostname(ReadOnlySpan<byte> h)
    {
        if (h.IsEmpty) return false;
        int labelStart = 0;
        for (int i = 0; i <= h.Length; i++)
        {
            if (i == h.Length || h[i] == '.')
            {
                int len = i - labelStart;
                if (len == 0) return i == h.Length && i > 0; // a trailing "." is allowed
                if (h[labelStart] == '-' || h[i - 1] == '-') return false;
                labelStart = i + 1;
            }
            else if (!Is(h[i], HostChar))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// IPv6address of RFC 3261 §25.1 / RFC 4291 text form, inside the brackets. Also tolerates the
    /// three-colon form the RFC 3261 ABNF bug allows ("2001:db8:::192.0.2.1"), as RFC 5118 §4.10 asks.
    /// </summary>
    internal static bool IsIPv6(ReadOnlySpan<byte> a)
    {
        if (a.Length < 2 || a.Length > 45) return false;
        int groups = 0;
        bool doubleColon = false;
        int i = 0;
        if (a[0] == ':')
        {
            if (a[1] != ':') return false;
            doubleColon = true;
            i = 2;
            if (i == a.Length) return true;
        }
        while (i < a.Length)
        {
            // Either an embedded IPv4 tail or a hex group.
            int hex = 0;
            while (i + hex < a.Length && Is(a[i + hex], Hex) && hex < 5) hex++;
            if (i + hex < a.Length && a[i + hex] == '.')
            {
                if (!IsIPv4(a[i..])) return false;
                groups += 2;
                i = a.Length;
                break;
            }
            if (hex is 0 or > 4) return false;
            groups++;
            i += hex;
            if (i == a.Length) break;
            if (a[i] != ':') return false;
            i++;
            if (i < a.Length && a[i] == ':')
            {
                if (doubleColon) return false;
                doubleColon = true;
                i++;
                // RFC 5118 §4.10: tolerate a third colon before an embedded IPv4 part.
                if (i < a.Length && a[i] == ':' && a[(i + 1)..].IndexOf((byte)'.') >= 0) i++;
                if (i == a.Length) break;
            }
            else if (i == a.Length)
            {
                return false; // a single trailing colon
            }
        }
        return doubleColon ? groups <= 7 : groups == 8;
    }

    /// <summary>IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each 0-255.</summary>
    internal static bool IsIPv4(ReadOnlySpan<byte> a)
    {
        int parts = 0, i = 0;
        while (true)
        {
            int n = 0, v = 0;
            while (i < a.Length && IsDigit(a[i]) && n < 4) { v = v * 10 + (a[i] - '0'); i++; n++; }
            if (n is 0 or > 3 || v > 255) return false;
            parts++;
            if (i == a.Length) return parts == 4;
            if (a[i] != '.' || parts == 4) return false;
            i++;
        }
    }
}
