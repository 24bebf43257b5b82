// SPDX-License-Identifier: MIT
// Parses "Scheme name=value, name="quoted", ..." header values (RFC 3261 §25.1 challenge/credentials).

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Auth;

/// <summary>
/// The scheme and auth-params of one WWW-Authenticate, Proxy-Authenticate, Authorization or
/// Proxy-Authorization value. Names are case-insensitive; quoted-string escapes are undone.
/// </summary>
public sealed class AuthParams
{
    private readonly List<KeyValuePair<string, string>> _params;

    private AuthParams(string scheme, List<KeyValuePair<string, string>> parameters)
    {
        Scheme = scheme;
        _params = parameters;
    }

    /// <summary>The auth scheme, e.g. "Digest".</summary>
    public string Scheme { get; }

    /// <summary>The parameters in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _params;

    /// <summary>The value of the first parameter named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, string> pair in _params)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return pair.Value;
                }
            }
            return null;
        }
    }

    /// <summary>Parses a header value; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryParse(string value, out AuthParams? result, out string error)
    {
        result = null;
        int i = SkipLws(value, 0);
        int start = i;
        while (i < value.Length && IsTokenChar(value[i]))
        {
            i++;
        }
        if (i == start)
        {
            error = "no auth scheme";
            return false;
        }
        string scheme = value[start..i];
        var parameters = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        i = SkipLws(value, i);
        while (i < value.Length)
        {
            start = i;
            while (i < value.Length && IsTokenChar(value[i]))
            {
                i++;
            }
            if (i == start)
            {
                error = $"expected a parameter name at offset {i}";
                return false;
            }
            string name = value[start..i];
            i = SkipLws(value, i);
            if (i >= value.Length || value[i] != '=')
            {
                error = $"parameter '{name}' has no '=' value";
                return false;
            }
            i = SkipLws(value, i + 1);
            string parameterValue;
            if (i < value.Length && value[i] == '"')
            {
                if (!TryReadQuoted(value, ref i, out parameterValue))
                {
                    error = $"parameter '{name}' has an unterminated quoted string";
                    return false;
                }
            }
            else
            {
                start = i;
                while (i < value.Length && IsTokenChar(value[i]))
                {
                    i++;
                }
                if (i == start)
                {
                    error = $"parameter '{name}' has an empty value";
                    return false;
                }
                parameterValue = value[start..i];
            }
            // RFC 7616 §3.3: each parameter appears at most once.
            if (!seen.Add(name))
            {
                error = $"parameter '{name}' appears twice";
                return false;
            }
            parameters.Add(new(name, parameterValue));
            i = SkipLws(value, i);
            if (i < value.Length)
            {
                if (value[i] != ',')
                {
                    error = $"expected ',' after parameter '{name}' at offset {i}";
                    return false;
                }
                i = SkipLws(value, i + 1);
                if (i >= value.Length)
                {
                    error = "trailing ','";
                    return false;
                }
            }
        }
        result = new AuthParams(scheme, parameters);
        error = string.Empty;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> as a quoted-string, escaping '"' and '\' (RFC 3261 §25.1).</summary>
    public static void AppendQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        sb.Append('"');
    }

    private static bool TryReadQuoted(string value, ref int i, out string text)
    {
        var sb = new StringBuilder();
        for (i++; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                sb.Append(value[++i]);
            }
            else if (c == '"')
            {
                i++;
                text = sb.ToString();
                return true;
            }
            else
            {
                sb.Append(c);
            }
        }
        text = string.Empty;
        return false;
    }

    // LWS = [*WSP CRLF] 1*WSP; the parser's unfolded values may still hold CRLF + WSP.
    private static int SkipLws(string value, int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }
        return i;
    }

    // RFC 3261 §25.1 token characters.
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
}
