// A token with parameters: Event, Allow-Events, Content-Disposition, Subscription-State, Accept-Encoding/Language, Priority, Reason, Privacy.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Sip.Headers;

/// <summary>
/// token *( SEMI generic-param ), the shape of Event (RFC 6665 §8.2.1), Subscription-State (§8.2.3),
/// Content-Disposition (RFC 3261 §20.11), Accept-Encoding/Language entries (§20.2, §20.3), Reason
/// (RFC 3326 §2) and the option-tag lists (Require, Supported, Unsupported, Proxy-Require, Allow).
/// </summary>
public sealed class SipTokenHeader
{
    /// <summary>The token (event package, disposition type, substate, coding, option tag, method...).</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>Parameters in order.</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>The value of parameter <paramref name="name"/>, null when absent or a flag.</summary>
    public string? GetParameter(string name) => HeaderText.Find(Parameters, name);

    /// <summary>Subscription-State / Session-Expires style integer parameter (expires, retry-after), null when absent or malformed.</summary>
    public uint? GetUIntParameter(string name) =>
        uint.TryParse(HeaderText.Find(Parameters, name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint v) ? v : null;

    /// <summary>Parses a comma-separated list of token *( ;param ); an empty value is an empty list.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipTokenHeader> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        if (HeaderText.AtEnd(value, 0)) return true;
        while (true)
        {
            string? t = HeaderText.Token(value, ref i);
            if (t is null) return false;
            var parameters = new List<SipHeaderParameter>();
            if (!HeaderText.Parameters(value, ref i, parameters)) return false;
            into.Add(new SipTokenHeader { Value = t, Parameters = parameters });
            if (HeaderText.AtEnd(value, i)) return true;
            if (!HeaderText.Expect(value, ref i, (byte)',')) return false;
        }
    }

    /// <summary>Parses exactly one token *( ;param ) (Event, Subscription-State, Content-Disposition).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipTokenHeader? header)
    {
        var list = new List<SipTokenHeader>(1);
        header = TryParseList(value, list) && list.Count == 1 ? list[0] : null;
        return header is not null;
    }

    /// <summary>Parses a plain option-tag or method list (Require, Supported, Unsupported, Proxy-Require, Allow).</summary>
    public static bool TryParseTokens(ReadOnlySpan<byte> value, List<string> into) => HeaderText.TokenList(value, into);

    /// <summary>Serializes as "token;params".</summary>
    public override string ToString()
    {
        var b = new StringBuilder(Value);
        foreach (SipHeaderParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Quoted ? SipNameAddressHeader.Quote(p.Value) : p.Value);
        }
        return b.ToString();
    }
}
