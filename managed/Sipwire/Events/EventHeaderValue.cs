// The Event header field (RFC 6665 §8.2.1): an event package with its id and other parameters.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Events;

/// <summary>
/// An Event (or one Allow-Events) value: "presence", "ua-profile;profile-type=device;vendor=acme",
/// "dialog;id=42". Parsed, never thrown on: bad input gives false and a reason.
/// </summary>
public sealed record EventHeaderValue
{
    /// <summary>The event type: package name with optional template suffixes ("presence.winfo").</summary>
    public required string Package { get; init; }

    /// <summary>The id parameter, or null (RFC 6665 §8.2.1: it tells apart subscriptions of one dialog).</summary>
    public string? Id { get; init; }

    /// <summary>Every parameter except id, in order; a value is null for a bare name. Quoted values are unquoted.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; } = [];

    /// <summary>The value of parameter <paramref name="name"/> (case-insensitive name), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (KeyValuePair<string, string?> p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }

    /// <summary>
    /// RFC 6665 §8.2.1 / §4.1.2: two Event values name the same subscription when the event types
    /// match token for token (case-sensitive) and their id parameters are equal (both absent counts as equal).
    /// </summary>
    public bool Matches(EventHeaderValue other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Package, other.Package, StringComparison.Ordinal) && string.Equals(Id, other.Id, StringComparison.Ordinal);
    }

    /// <summary>Parses "event-type *( ;param )".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EventHeaderValue? value, out string error)
    {
        value = null;
        List<string> parts = SplitParameters(text, out error);
        if (parts.Count == 0) return false;
        string type = parts[0].Trim();
        if (!IsEventType(type))
        {
            error = $"'{type}' is not an event type (token-nodot *(\".\" token-nodot))";
            return false;
        }
        string? id = null;
        var parameters = new List<KeyValuePair<string, string?>>();
        for (int i = 1; i < parts.Count; i++)
        {
            string p = parts[i].Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            string name = (eq < 0 ? p : p[..eq]).Trim();
            string? v = eq < 0 ? null : Unquote(p[(eq + 1)..].Trim());
            if (!IsToken(name))
            {
                error = $"'{name}' is not a parameter name";
                return false;
            }
            if (name.Equals("id", StringComparison.OrdinalIgnoreCase)) id = v ?? "";
            else parameters.Add(new(name, v));
        }
        value = new EventHeaderValue { Package = type, Id = id, Parameters = parameters };
        error = "";
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(Package);
        foreach (KeyValuePair<string, string?> p in Parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is null) continue;
            sb.Append('=');
            if (IsToken(p.Value)) sb.Append(p.Value);
            else sb.Append('"').Append(p.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }
        if (Id is not null) sb.Append(";id=").Append(Id);
        return sb.ToString();
    }

    internal static List<string> SplitParameters(ReadOnlySpan<char> text, out string error)
    {
        error = "";
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length)
            {
                char c = text[i];
                if (c is '\r' or '\n' || (c < ' ' && c != '\t'))
                {
                    error = "control character in header value";
                    return [];
                }
                if (quoted)
                {
                    if (c == '\\') i++;
                    else if (c == '"') quoted = false;
                    continue;
                }
                if (c == '"') quoted = true;
                if (c != ';') continue;
            }
            parts.Add(text[start..Math.Min(i, text.Length)].ToString());
            start = i + 1;
        }
        if (quoted)
        {
            error = "unterminated quoted string";
            return [];
        }
        if (parts.Count == 0 || parts[0].Trim().Length == 0) error = "empty value";
        return parts;
    }

    internal static string Unquote(string v)
    {
        if (v.Length < 2 || v[0] != '"' || v[^1] != '"') return v;
        var sb = new StringBuilder(v.Length);
        for (int i = 1; i < v.Length - 1; i++)
        {
            if (v[i] == '\\' && i + 1 < v.Length - 1) i++;
            sb.Append(v[i]);
        }
        return sb.ToString();
    }

    // RFC 3261 §25.1 token characters.
    internal static bool IsToken(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c, StringComparison.Ordinal))) return false;
        }
        return true;
    }

    private static bool IsEventType(string s)
    {
        if (!IsToken(s) || s[0] == '.' || s[^1] == '.') return false;
        return !s.Contains("..", StringComparison.Ordinal);
    }
}
