// Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate (RFC 3261 §20.7, §20.27, §20.28, §20.44, §25.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Sip.Headers;

/// <summary>
/// A challenge or credentials: auth-scheme LWS auth-param *(COMMA auth-param). Any scheme parses
/// (RFC 4475 §3.3.7: an unknown scheme is not a syntax error); Digest fields are read by name.
/// Authentication-Info (§20.6) has no scheme: use <see cref="TryParseParameters"/>.
/// </summary>
public sealed class SipAuthHeader
{
    /// <summary>The scheme ("Digest"); compare case-insensitively.</summary>
    public string Scheme { get; init; } = "Digest";

    /// <summary>auth-params in order, quoted values unescaped.</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>The value of auth-param <paramref name="name"/> (realm, nonce, uri, response, qop, ...), null when absent.</summary>
    public string? GetParameter(string name) => HeaderText.Find(Parameters, name);

    /// <summary>Parses one challenge or credentials value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipAuthHeader? header)
    {
        header = null;
        int i = 0;
        string? scheme = HeaderText.Token(value, ref i);
        if (scheme is null) return false;
        var parameters = new List<SipHeaderParameter>();
        if (!HeaderText.AtEnd(value, i) && !ParseParams(value, ref i, parameters)) return false;
        header = new SipAuthHeader { Scheme = scheme, Parameters = parameters };
        return true;
    }

    /// <summary>Parses a bare auth-param list (Authentication-Info).</summary>
    public static bool TryParseParameters(ReadOnlySpan<byte> value, List<SipHeaderParameter> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        return ParseParams(value, ref i, into);
    }

    private static bool ParseParams(ReadOnlySpan<byte> s, ref int i, List<SipHeaderParameter> into)
    {
        while (true)
        {
            // auth-param = auth-param-name EQUAL ( token / quoted-string )
            string? name = HeaderText.Token(s, ref i);
            if (name is null || !HeaderText.Expect(s, ref i, (byte)'=')) return false;
            i = Parsing.SipSyntax.SkipLws(s, i);
            if (i < s.Length && s[i] == '"')
            {
                int end = Parsing.SipSyntax.ScanQuoted(s, i);
                if (end < 0) return false;
                into.Add(new SipHeaderParameter(name, HeaderText.Unquote(s[i..end]), true));
                i = end;
            }
            else
            {
                string? v = HeaderText.Token(s, ref i);
                if (v is null) return false;
                into.Add(new SipHeaderParameter(name, v));
            }
            if (HeaderText.AtEnd(s, i)) return true;
            if (!HeaderText.Expect(s, ref i, (byte)',')) return false;
        }
    }

    /// <summary>Serializes as "Scheme name=value, name="quoted"".</summary>
    public override string ToString()
    {
        var b = new StringBuilder(Scheme);
        for (int k = 0; k < Parameters.Count; k++)
        {
            SipHeaderParameter p = Parameters[k];
            b.Append(k == 0 ? " " : ", ").Append(p.Name).Append('=').Append(p.Quoted ? SipNameAddressHeader.Quote(p.Value ?? string.Empty) : p.Value);
        }
        return b.ToString();
    }
}
