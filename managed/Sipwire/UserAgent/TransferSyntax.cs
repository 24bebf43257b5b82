// Text rules of call transfer: Refer-To values, URI header escaping, message/sipfrag status lines, Subscription-State and Event: refer.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using System.Text;

namespace Sipwire.UserAgent;

internal static class TransferSyntax
{
    /// <summary>
    /// The URI of a Refer-To value (RFC 3515 §2.1: name-addr or addr-spec, then header
    /// parameters). A URI with '?', ';' or ',' must be in angle brackets (RFC 3261 §20), so an
    /// addr-spec ends at the first ';'. False when the brackets are unbalanced or the URI is empty.
    /// </summary>
    public static bool TryGetUri(ReadOnlySpan<byte> value, out string uri)
    {
        uri = "";
        string v = Encoding.UTF8.GetString(value).Trim();
        int i = 0;
        bool quoted = false;
        int lt = -1;
        for (; i < v.Length; i++)
        {
            char c = v[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') quoted = true;
            else if (c == '<')
            {
                lt = i;
                break;
            }
        }
        if (quoted) return false;
        if (lt < 0)
        {
            int semi = v.IndexOf(';', StringComparison.Ordinal);
            uri = (semi < 0 ? v : v[..semi]).Trim();
            return uri.Length > 0 && uri.IndexOfAny([' ', '\t', '>', '"']) < 0;
        }
        int gt = v.IndexOf('>', lt + 1);
        if (gt < 0) return false;
        uri = v[(lt + 1)..gt].Trim();
        return uri.Length > 0 && uri.IndexOfAny([' ', '\t', '<']) < 0;
    }

    /// <summary>
    /// Escapes a value for the header part of a SIP URI (RFC 3261 §25.1: hvalue = *( hnv-unreserved
    /// / unreserved / escaped )), as RFC 3891 §5 requires for the Replaces value in a Refer-To:
    /// '@' becomes %40, ';' %3B, '=' %3D.
    /// </summary>
    public static string EscapeHeaderValue(string value)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.!~*'()[]/?:+$".Contains(c, StringComparison.Ordinal)) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Appends <c>name=escaped-value</c> to the header part of <paramref name="uri"/> ('?' first, '&amp;' after, RFC 3261 §19.1.1).</summary>
    public static string WithHeader(string uri, string name, string value) =>
        uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + EscapeHeaderValue(value);

    /// <summary>
    /// The status line of a message/sipfrag body (RFC 3420 §2; RFC 3515 §2.4.5 requires at least
    /// the status line): "SIP/2.0 SP 3DIGIT SP reason". False when the body starts otherwise.
    /// </summary>
    public static bool TryParseSipfragStatus(ReadOnlySpan<byte> body, out int statusCode, out string reason)
    {
        statusCode = 0;
        reason = "";
        int eol = body.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> line = eol < 0 ? body : body[..eol];
        if (!line.StartsWith("SIP/2.0 "u8) || line.Length < 11) return false;
        ReadOnlySpan<byte> digits = line.Slice(8, 3);
        foreach (byte d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return false;
        }
        if (line.Length > 11 && line[11] != ' ') return false;
        statusCode = (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
        if (statusCode is < 100 or > 699) return false;
        reason = line.Length > 12 ? Encoding.UTF8.GetString(line[12..]).Trim() : "";
        return true;
    }

    /// <summary>
    /// Subscription-State (RFC 6665 §8.2.3): substate-value *( SEMI subexp-params ). Returns the
    /// state in lower case ("active", "pending", "terminated" or an extension), the expires
    /// parameter (-1 when absent) and the reason parameter (null when absent).
    /// </summary>
    public static bool TryParseSubscriptionState(ReadOnlySpan<byte> value, out string state, out int expires, out string? reason)
    {
        string[] parts = Encoding.UTF8.GetString(value).Split(';');
        state = parts[0].Trim().ToLowerInvariant();
        expires = -1;
        reason = null;
        if (state.Length == 0) return false;
        for (int i = 1; i < parts.Length; i++)
        {
            string p = parts[i].Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) continue;
            string name = p[..eq].Trim();
            string v = p[(eq + 1)..].Trim();
            if (name.Equals("expires", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out expires)) return false;
            }
            else if (name.Equals("reason", StringComparison.OrdinalIgnoreCase))
            {
                reason = v.ToLowerInvariant();
            }
        }
        return true;
    }

    /// <summary>
    /// Reads an Event value (RFC 6665 §8.2.1): true when the package is "refer"; <paramref name="id"/>
    /// is the id parameter (RFC 3515 §2.4.6: the CSeq number of the REFER), or -1 when absent.
    /// </summary>
    public static bool IsReferEvent(ReadOnlySpan<byte> value, out long id)
    {
        id = -1;
        string[] parts = Encoding.UTF8.GetString(value).Split(';');
        if (!parts[0].Trim().Equals("refer", StringComparison.OrdinalIgnoreCase)) return false;
        for (int i = 1; i < parts.Length; i++)
        {
            string p = parts[i].Trim();
            if (!p.StartsWith("id=", StringComparison.OrdinalIgnoreCase)) continue;
            if (!long.TryParse(p.AsSpan(3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id)) id = -2; // an id that matches no REFER
        }
        return true;
    }

    /// <summary>True when a comma-separated option-tag list (Require, Supported) holds <paramref name="tag"/>.</summary>
    public static bool HasOptionTag(ReadOnlySpan<byte> value, string tag)
    {
        foreach (string t in Encoding.UTF8.GetString(value).Split(','))
        {
            if (t.Trim().Equals(tag, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>A header value on one line: folding (CRLF and the whitespace after it, RFC 3261 §7.3.1) becomes one space, other control characters go.</summary>
    public static string Unfold(string value)
    {
        var sb = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value)
        {
            if (c is '\r' or '\n' or '\t' or ' ')
            {
                space = true;
                continue;
            }
            if (char.IsControl(c)) continue;
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Text safe for a reason phrase or a quoted string: control characters and quotes removed.</summary>
    public static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsControl(c) && c is not '"' and not '\\') sb.Append(c);
        }
        return sb.ToString();
    }
}
