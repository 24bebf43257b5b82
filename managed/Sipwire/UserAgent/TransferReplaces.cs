// The value of a Replaces header field (RFC 3891 §6.1): the dialog an INVITE replaces.
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.UserAgent;

/// <summary>A parsed Replaces value: <c>callid;to-tag=x;from-tag=y[;early-only]</c>.</summary>
/// <param name="CallId">The Call-ID of the dialog to replace.</param>
/// <param name="ToTag">The tag of the side receiving the Replaces (its local tag, RFC 3891 §3).</param>
/// <param name="FromTag">The tag of the other side of that dialog (the receiver's remote tag).</param>
/// <param name="EarlyOnly">The early-only flag: replace only a dialog that is not yet confirmed.</param>
internal readonly record struct TransferReplaces(string CallId, string ToTag, string FromTag, bool EarlyOnly)
{
    /// <summary>Parses a Replaces value; false when the Call-ID or either tag is missing or malformed (RFC 3891 §6.1).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out TransferReplaces replaces) => TryParse(Encoding.UTF8.GetString(value), out replaces);

    /// <inheritdoc cref="TryParse(ReadOnlySpan{byte}, out TransferReplaces)"/>
    public static bool TryParse(string value, out TransferReplaces replaces)
    {
        replaces = default;
        // RFC 3891 §6.1: Replaces = callid *(SEMI replaces-param); callid is word ["@" word], which
        // holds no ';', so the parameters split cleanly.
        string[] parts = value.Split(';');
        string callId = parts[0].Trim();
        if (callId.Length == 0 || !IsCallId(callId)) return false;
        string? toTag = null, fromTag = null;
        bool early = false;
        for (int i = 1; i < parts.Length; i++)
        {
            string p = parts[i].Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            string name = (eq < 0 ? p : p[..eq]).Trim();
            string? v = eq < 0 ? null : p[(eq + 1)..].Trim();
            if (name.Equals("to-tag", StringComparison.OrdinalIgnoreCase))
            {
                if (toTag is not null || !IsToken(v)) return false;
                toTag = v;
            }
            else if (name.Equals("from-tag", StringComparison.OrdinalIgnoreCase))
            {
                if (fromTag is not null || !IsToken(v)) return false;
                fromTag = v;
            }
            else if (name.Equals("early-only", StringComparison.OrdinalIgnoreCase))
            {
                if (v is not null) return false;
                early = true;
            }
            else if (!IsToken(name) || (v is not null && !IsGenValue(v)))
            {
                return false; // generic-param: token [EQUAL gen-value]; anything else is malformed
            }
        }
        if (toTag is null || fromTag is null) return false;
        replaces = new TransferReplaces(callId, toTag, fromTag, early);
        return true;
    }

    /// <summary>The header value: <c>callid;to-tag=..;from-tag=..</c> (plus <c>;early-only</c>).</summary>
    public override string ToString() => $"{CallId};to-tag={ToTag};from-tag={FromTag}{(EarlyOnly ? ";early-only" : "")}";

    // RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").
    private static bool IsToken(string? s)
    {
        if (string.IsNullOrEmpty(s)) return false;
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"-.!%*_+`'~".Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    // RFC 3261 §25.1: gen-value = token / host / quoted-string. Nothing else may reach a header
    // we write (no CR, LF or other control characters).
    private static bool IsGenValue(string s)
    {
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            foreach (char c in s)
            {
                if (char.IsControl(c)) return false;
            }
            return true;
        }
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"-.!%*_+`'~:[]".Contains(c, StringComparison.Ordinal)) return false;
        }
        return s.Length > 0;
    }

    // RFC 3261 §25.1: callid = word ["@" word]; word adds ( ) < > : \ DQUOTE / [ ] ? { } to token.
    private static bool IsCallId(string s)
    {
        int at = s.IndexOf('@', StringComparison.Ordinal);
        if (at == 0 || at == s.Length - 1 || (at > 0 && s.IndexOf('@', at + 1) >= 0)) return false;
        foreach (char c in s)
        {
            if (c == '@') continue;
            if (!char.IsAsciiLetterOrDigit(c) && !"-.!%*_+`'~()<>:\\\"/[]?{}".Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
