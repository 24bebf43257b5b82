// SIP, SIPS and tel URIs: parse, serialize, and compare per RFC 3261 §19.1.4 and RFC 3966 §4.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>
/// A parsed URI. Components keep their escapes as written so <see cref="ToString"/> reproduces the
/// input; <see cref="Equals(SipUri?)"/> applies the scheme's comparison rules (unescaping first).
/// </summary>
public sealed class SipUri : IEquatable<SipUri>
{
    private SipUri(SipUriScheme scheme, string schemeText)
    {
        Scheme = scheme;
        SchemeText = schemeText;
    }

    /// <summary>Builds a sip: or sips: URI from components (escape them yourself when needed).</summary>
    public SipUri(bool secure, string? user, string host, int port = -1)
        : this(secure ? SipUriScheme.Sips : SipUriScheme.Sip, secure ? "sips" : "sip")
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        User = user;
        Host = host;
        Port = port;
    }

    /// <summary>The scheme.</summary>
    public SipUriScheme Scheme { get; }

    /// <summary>The scheme as written.</summary>
    public string SchemeText { get; }

    /// <summary>sip/sips: user part as written; tel: the telephone-subscriber number.</summary>
    public string? User { get; init; }

    /// <summary>sip/sips: password as written, null when absent.</summary>
    public string? Password { get; init; }

    /// <summary>sip/sips: host (IPv6 references keep their brackets); empty for tel and others.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Port, or -1 when absent.</summary>
    public int Port { get; init; } = -1;

    /// <summary>URI parameters in order.</summary>
    public IReadOnlyList<SipUriParameter> Parameters { get; init; } = [];

    /// <summary>Header components (after '?') in order.</summary>
    public IReadOnlyList<SipUriParameter> Headers { get; init; } = [];

    /// <summary>For <see cref="SipUriScheme.Other"/>: everything after "scheme:".</summary>
    public string? Opaque { get; init; }

    /// <summary>The value of parameter <paramref name="name"/> (case-insensitive); null when absent or a flag.</summary>
    public string? GetParameter(string name)
    {
        foreach (SipUriParameter p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }

    /// <summary>True when parameter <paramref name="name"/> is present (e.g. ;lr).</summary>
    public bool HasParameter(string name)
    {
        foreach (SipUriParameter p in Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Parses a URI; false (never an exception) when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out SipUri? uri)
    {
        uri = null;
        if (!UriScanner.TryScan(text, out UriParts p)) return false;
        string scheme = Ascii(p.Scheme.Slice(text));
        if (p.SchemeKind is 1 or 2)
        {
            uri = new SipUri(p.SchemeKind == 1 ? SipUriScheme.Sip : SipUriScheme.Sips, scheme)
            {
                User = p.User.IsPresent ? Utf8(p.User.Slice(text)) : null,
                Password = p.Password.IsPresent ? Utf8(p.Password.Slice(text)) : null,
                Host = Ascii(p.Host.Slice(text)),
                Port = p.Port,
                Parameters = SplitPairs(p.Parameters.Slice(text), (byte)';'),
                Headers = SplitPairs(p.Headers.Slice(text), (byte)'&'),
            };
            return true;
        }
        ReadOnlySpan<byte> rest = p.Opaque.Slice(text);
        if (p.SchemeKind == 3)
        {
            // RFC 3966 §3: telephone-subscriber = global-number / local-number; ";" par.
            int semi = rest.IndexOf((byte)';');
            ReadOnlySpan<byte> number = semi < 0 ? rest : rest[..semi];
            IReadOnlyList<SipUriParameter> pars = semi < 0 ? [] : SplitPairs(rest[(semi + 1)..], (byte)';');
            if (!IsTelNumber(number, pars)) return false;
            uri = new SipUri(SipUriScheme.Tel, scheme) { User = Utf8(number), Parameters = pars };
            return true;
        }
        uri = new SipUri(SipUriScheme.Other, scheme) { Opaque = Utf8(rest) };
        return true;
    }

    /// <summary>Parses a URI from a string.</summary>
    public static bool TryParse(string text, out SipUri? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(Encoding.UTF8.GetBytes(text), out uri);
    }

    /// <summary>Serializes the URI (escapes as stored).</summary>
    public override string ToString()
    {
        var b = new StringBuilder(64);
        b.Append(SchemeText).Append(':');
        if (Scheme == SipUriScheme.Other) return b.Append(Opaque).ToString();
        if (Scheme == SipUriScheme.Tel)
        {
            b.Append(User);
        }
        else
        {
            if (User is not null)
            {
                b.Append(User);
                if (Password is not null) b.Append(':').Append(Password);
                b.Append('@');
            }
            b.Append(Host);
            if (Port >= 0) b.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        }
        foreach (SipUriParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Value);
        }
        for (int i = 0; i < Headers.Count; i++)
        {
            b.Append(i == 0 ? '?' : '&').Append(Headers[i].Name).Append('=').Append(Headers[i].Value);
        }
        return b.ToString();
    }

    /// <summary>URI equality: RFC 3261 §19.1.4 for sip/sips, RFC 3966 §4 for tel, exact text otherwise.</summary>
    public bool Equals(SipUri? other)
    {
        if (other is null || other.Scheme != Scheme) return false;
        switch (Scheme)
        {
            case SipUriScheme.Sip:
            case SipUriScheme.Sips:
                // §19.1.4: userinfo case-sensitive after unescaping; host case-insensitive; ports must
                // both be absent or equal (an absent port is not the default port).
                if (!string.Equals(Unescape(User), Unescape(other.User), StringComparison.Ordinal)) return false;
                if (!string.Equals(Unescape(Password), Unescape(other.Password), StringComparison.Ordinal)) return false;
                if (!string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) || Port != other.Port) return false;
                // user, ttl, method, maddr, transport must match when either side has them; other
                // parameters only when both have them.
                foreach (string name in s_strictParams)
                {
                    if (HasParameter(name) != other.HasParameter(name)) return false;
                }
                // A repeated parameter name counts by its first occurrence on both sides.
                foreach (SipUriParameter p in Parameters)
                {
                    if (!other.HasParameter(p.Name)) continue;
                    if (!string.Equals(Unescape(GetParameter(p.Name)), Unescape(other.GetParameter(p.Name)), StringComparison.OrdinalIgnoreCase)) return false;
                }
                // Header components: all must be present in both and match.
                return SameSet(Headers, other.Headers, caseInsensitiveValues: false);
            case SipUriScheme.Tel:
                // RFC 3966 §4: digits equal after removing visual separators; same parameter names
                // in any order, values case-insensitive.
                return string.Equals(StripVisual(User), StripVisual(other.User), StringComparison.OrdinalIgnoreCase)
                    && SameSet(Parameters, other.Parameters, caseInsensitiveValues: true);
            default:
                return string.Equals(SchemeText, other.SchemeText, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(Opaque, other.Opaque, StringComparison.Ordinal);
        }
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SipUri u && Equals(u);

    /// <inheritdoc/>
    public override int GetHashCode() => Scheme switch
    {
        SipUriScheme.Tel => HashCode.Combine(Scheme, StripVisual(User)?.ToUpperInvariant()),
        SipUriScheme.Other => HashCode.Combine(Scheme, Opaque),
        _ => HashCode.Combine(Scheme, Unescape(User), Host.ToUpperInvariant(), Port),
    };

    private static readonly string[] s_strictParams = ["user", "ttl", "method", "maddr", "transport"];

    private static bool SameSet(IReadOnlyList<SipUriParameter> a, IReadOnlyList<SipUriParameter> b, bool caseInsensitiveValues)
    {
        if (a.Count != b.Count) return false;
        foreach (SipUriParameter p in a)
        {
            SipUriParameter? match = null;
            foreach (SipUriParameter q in b)
            {
                if (string.Equals(Unescape(p.Name), Unescape(q.Name), StringComparison.OrdinalIgnoreCase)) { match = q; break; }
            }
            if (match is null) return false;
            SipUriParameter first = a[0];
            foreach (SipUriParameter q in a)
            {
                if (string.Equals(Unescape(p.Name), Unescape(q.Name), StringComparison.OrdinalIgnoreCase)) { first = q; break; }
            }
            if (!string.Equals(Unescape(first.Value), Unescape(match.Value), caseInsensitiveValues ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.4: escaped and unescaped forms are equivalent).</summary>
    public static string? Unescape(string? s)
    {
        if (s is null || !s.Contains('%', StringComparison.Ordinal)) return s;
        var bytes = new List<byte>(s.Length);
        byte[] raw = Encoding.UTF8.GetBytes(s);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && SipSyntax.Is(raw[i + 1], SipSyntax.Hex) && SipSyntax.Is(raw[i + 2], SipSyntax.Hex))
            {
                bytes.Add((byte)(HexVal(raw[i + 1]) * 16 + HexVal(raw[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }
        // Latin-1 keeps every byte (including %00, RFC 4475 §3.1.1.4) distinct and comparable.
        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    private static int HexVal(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string? StripVisual(string? s)
    {
        if (s is null) return null;
        var b = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c is not '-' and not '.' and not '(' and not ')') b.Append(c);
        }
        return b.ToString();
    }

    /// <summary>RFC 3966 §3: global-number "+" digits with visual separators; local-number needs ;phone-context.</summary>
    private static bool IsTelNumber(ReadOnlySpan<byte> n, IReadOnlyList<SipUriParameter> pars)
    {
        if (n.IsEmpty) return false;
        bool global = n[0] == '+';
        int digits = 0;
        for (int i = global ? 1 : 0; i < n.Length; i++)
        {
            byte c = n[i];
            if (SipSyntax.IsDigit(c)) digits++;
            else if (!global && (SipSyntax.Is(c, SipSyntax.Hex) || c is (byte)'*' or (byte)'#')) digits++;
            else if (c is not (byte)'-' and not (byte)'.' and not (byte)'(' and not (byte)')') return false;
        }
        if (digits == 0) return false;
        if (global) return true;
        foreach (SipUriParameter p in pars)
        {
            if (string.Equals(p.Name, "phone-context", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(p.Value)) return true;
        }
        return false;
    }

    private static List<SipUriParameter> SplitPairs(ReadOnlySpan<byte> s, byte separator)
    {
        if (s.IsEmpty) return [];
        var list = new List<SipUriParameter>();
        foreach (Range r in s.Split(separator))
        {
            ReadOnlySpan<byte> item = s[r];
            int eq = item.IndexOf((byte)'=');
            list.Add(eq < 0 ? new SipUriParameter(Utf8(item), null) : new SipUriParameter(Utf8(item[..eq]), Utf8(item[(eq + 1)..])));
        }
        return list;
    }

    private static string Ascii(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);

    private static string Utf8(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);
}
