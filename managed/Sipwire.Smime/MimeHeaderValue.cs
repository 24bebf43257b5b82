// A parsed MIME header value with parameters: "multipart/signed; protocol=\"...\"; boundary=b" (RFC 2045 §5.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Smime;

/// <summary>The value of a Content-Type or Content-Disposition header: a lower-cased main value and its parameters.</summary>
internal sealed class MimeHeaderValue
{
    private const int MaxParameters = 32;
    private readonly List<KeyValuePair<string, string>> _parameters;

    private MimeHeaderValue(string value, List<KeyValuePair<string, string>> parameters)
    {
        Value = value;
        _parameters = parameters;
    }

    /// <summary>The main value, lower case ("application/pkcs7-mime", "attachment").</summary>
    public string Value { get; }

    /// <summary>The parameter named <paramref name="name"/> (case-insensitive, RFC 2045 §5.1), unquoted; null when absent.</summary>
    public string? Get(string name)
    {
        foreach (KeyValuePair<string, string> p in _parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }

    /// <summary>Parses <paramref name="text"/>; false when it is not "token[/token] *(; name=value)".</summary>
    public static bool TryParse(string? text, out MimeHeaderValue? result)
    {
        result = null;
        if (text is null) return false;
        int i = 0;
        SkipSpace(text, ref i);
        int start = i;
        while (i < text.Length && text[i] != ';' && !char.IsWhiteSpace(text[i])) i++;
        string value = text[start..i].ToLowerInvariant();
        if (value.Length == 0 || !IsTokenOrType(value)) return false;
        var parameters = new List<KeyValuePair<string, string>>();
        SkipSpace(text, ref i);
        while (i < text.Length)
        {
            if (text[i] != ';') return false;
            i++;
            SkipSpace(text, ref i);
            if (i == text.Length) break; // a trailing ';' is common and harmless
            start = i;
            while (i < text.Length && IsTokenChar(text[i])) i++;
            string name = text[start..i];
            SkipSpace(text, ref i);
            if (name.Length == 0 || i == text.Length || text[i] != '=') return false;
            i++;
            SkipSpace(text, ref i);
            string? parameterValue = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
            if (parameterValue is null) return false;
            if (parameters.Count == MaxParameters) return false;
            parameters.Add(new KeyValuePair<string, string>(name, parameterValue));
            SkipSpace(text, ref i);
        }
        result = new MimeHeaderValue(value, parameters);
        return true;
    }

    /// <summary>Quotes <paramref name="value"/> when it is not a token (RFC 2045 §5.1 tspecials).</summary>
    public static string QuoteIfNeeded(string value)
    {
        bool token = value.Length > 0;
        foreach (char c in value) token &= IsTokenChar(c);
        if (token) return value;
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    private static string? ReadQuoted(string text, ref int i)
    {
        var sb = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            char c = text[i++];
            if (c == '"') return sb.ToString();
            if (c == '\\')
            {
                if (i == text.Length) return null;
                c = text[i++];
            }
            sb.Append(c);
        }
        return null; // unterminated quoted-string
    }

    private static string? ReadToken(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && IsTokenChar(text[i])) i++;
        return i == start ? null : text[start..i];
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n') i++;
    }

    private static bool IsTokenOrType(string value)
    {
        int slashes = 0;
        foreach (char c in value)
        {
            if (c == '/') slashes++;
            else if (!IsTokenChar(c)) return false;
        }
        return slashes <= 1 && value[0] != '/' && value[^1] != '/';
    }

    // RFC 2045 §5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    private static bool IsTokenChar(char c) =>
        c is > ' ' and < (char)127 && "()<>@,;:\\\"/[]?=".IndexOf(c, StringComparison.Ordinal) < 0;
}
