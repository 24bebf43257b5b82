// The checks a UAS or proxy applies to a well-formed request before processing it (RFC 3261 §8.2, §16.3).
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>
/// Request checks above the grammar, each answering with a <see cref="SipParseError"/> that
/// <see cref="SipErrors"/> turns into the response (416, 420, 415, 483, 406, 400). Allocation-free.
/// </summary>
public static class SipRequestChecks
{
    /// <summary>§8.2.2.1: a Request-URI scheme other than sip/sips (and tel when <paramref name="acceptTel"/>) gets 416.</summary>
    public static SipParseError CheckRequestUriScheme(SipMessage request, bool acceptTel = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UriScanner.TryScan(request.RequestUri, out UriParts p)) return SipParseError.BadRequestUri;
        return p.SchemeKind is 1 or 2 || (acceptTel && p.SchemeKind == 3) ? SipParseError.None : SipParseError.UnsupportedUriScheme;
    }

    /// <summary>
    /// §8.2.2.3 (UAS: Require) and §16.3 item 5 (proxy: Proxy-Require): the first option tag that is not
    /// in <paramref name="supported"/> gives 420; <paramref name="unsupported"/> locates it in the message.
    /// </summary>
    public static SipParseError CheckRequire(SipMessage request, bool asProxy, ReadOnlySpan<string> supported, out ByteRange unsupported)
    {
        ArgumentNullException.ThrowIfNull(request);
        unsupported = ByteRange.None;
        SipHeaderKind kind = asProxy ? SipHeaderKind.ProxyRequire : SipHeaderKind.Require;
        ReadOnlySpan<byte> msg = request.Span;
        for (int h = request.IndexOfHeader(kind); h >= 0; h = request.IndexOfHeader(kind, h + 1))
        {
            ByteRange vr = request.GetHeader(h).Value;
            ReadOnlySpan<byte> v = vr.Slice(msg);
            int i = 0;
            while (i < v.Length)
            {
                i = SipSyntax.SkipLws(v, i);
                int n = SipSyntax.Span(v, i, SipSyntax.Token);
                if (n > 0 && !Contains(supported, v.Slice(i, n)))
                {
                    unsupported = new ByteRange(vr.Start + i, n);
                    return SipParseError.BadExtension;
                }
                i = SipSyntax.SkipLws(v, i + n);
                if (i < v.Length && v[i] != ',') return SipParseError.BadHeaderValue;
                i++;
            }
        }
        return SipParseError.None;
    }

    /// <summary>§8.2.3: a body whose Content-Type is not in <paramref name="accepted"/> (e.g. "application/sdp") gets 415.</summary>
    public static SipParseError CheckContentType(SipMessage request, ReadOnlySpan<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Body.IsEmpty) return SipParseError.None;
        ReadOnlySpan<byte> ct = request.ContentType;
        int semi = ct.IndexOf((byte)';');
        ReadOnlySpan<byte> type = SipSyntax.Trim(semi < 0 ? ct : ct[..semi], out _);
        return MediaTypeIn(accepted, type) ? SipParseError.None : SipParseError.UnsupportedMediaType;
    }

    /// <summary>
    /// RFC 4475 §3.3.15 / RFC 3261 §8.2.3 / §20.1: when the request has Accept and none of its entries
    /// matches what the UAS answers with (<paramref name="answerTypes"/>), 406.
    /// </summary>
    public static SipParseError CheckAccept(SipMessage request, ReadOnlySpan<string> answerTypes)
    {
        ArgumentNullException.ThrowIfNull(request);
        int h = request.IndexOfHeader(SipHeaderKind.Accept);
        if (h < 0) return SipParseError.None;
        for (; h >= 0; h = request.IndexOfHeader(SipHeaderKind.Accept, h + 1))
        {
            ReadOnlySpan<byte> v = request.GetHeaderValue(h);
            if (v.IsEmpty) continue;
            foreach (Range r in v.Split((byte)','))
            {
                ReadOnlySpan<byte> item = v[r];
                int semi = item.IndexOf((byte)';');
                ReadOnlySpan<byte> type = SipSyntax.Trim(semi < 0 ? item : item[..semi], out _);
                if (type.SequenceEqual("*/*"u8) || MediaTypeIn(answerTypes, type)) return SipParseError.None;
                int slash = type.IndexOf((byte)'/');
                if (slash > 0 && type[(slash + 1)..].SequenceEqual("*"u8))
                {
                    foreach (string a in answerTypes)
                    {
                        if (a.Length > slash && a[slash] == '/' && Ascii.EqualsIgnoreCase(type[..slash], a.AsSpan(0, slash))) return SipParseError.None;
                    }
                }
            }
        }
        return SipParseError.NotAcceptable;
    }

    /// <summary>§16.3 item 2: a proxy answers a request with Max-Forwards 0 (other than OPTIONS addressed to it) with 483.</summary>
    public static SipParseError CheckMaxForwards(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MaxForwards == 0 ? SipParseError.TooManyHops : SipParseError.None;
    }

    /// <summary>RFC 4475 §3.3.4 / RFC 3261 §10.3: a registrar needs a SIP or SIPS URI in To (the address-of-record).</summary>
    public static SipParseError CheckAddressOfRecord(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!UriScanner.TryScan(request.To.Uri, out UriParts p) || p.SchemeKind is not (1 or 2)) return SipParseError.BadAddressOfRecord;
        return SipParseError.None;
    }

    private static bool Contains(ReadOnlySpan<string> set, ReadOnlySpan<byte> token)
    {
        // RFC 3261 §7.3.1: field values are case-insensitive unless a field says otherwise; option
        // tags (§19.2) say nothing more.
        foreach (string s in set)
        {
            if (Ascii.EqualsIgnoreCase(token, s)) return true;
        }
        return false;
    }

    private static bool MediaTypeIn(ReadOnlySpan<string> set, ReadOnlySpan<byte> type)
    {
        // §7.3.1 / RFC 2045: media type and subtype names are case-insensitive.
        foreach (string s in set)
        {
            if (Ascii.EqualsIgnoreCase(type, s)) return true;
        }
        return false;
    }
}
