// media-type / media-range with parameters: Content-Type and Accept (RFC 3261 §20.1, §20.15).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Sip.Headers;

/// <summary>type "/" subtype *( ";" parameter ); Accept entries may use "*".</summary>
public sealed class SipMediaTypeHeader
{
    /// <summary>Top-level type ("application").</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>Subtype ("sdp").</summary>
    public string Subtype { get; init; } = string.Empty;

    /// <summary>Parameters in order (charset, boundary, q, ...).</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>True when type and subtype match (case-insensitive, "*" in this value matches anything).</summary>
    public bool Matches(string type, string subtype) =>
        (Type == "*" || string.Equals(Type, type, StringComparison.OrdinalIgnoreCase))
        && (Subtype == "*" || string.Equals(Subtype, subtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of parameter <paramref name="name"/>, null when absent.</summary>
    public string? GetParameter(string name) => HeaderText.Find(Parameters, name);

    /// <summary>Parses a comma-separated list (Accept); an empty value is an empty list.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipMediaTypeHeader> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        if (HeaderText.AtEnd(value, 0)) return true;
        while (true)
        {
            string? type = HeaderText.Token(value, ref i);
            if (type is null || !HeaderText.Expect(value, ref i, (byte)'/')) return false;
            string? sub = HeaderText.Token(value, ref i);
            if (sub is null) return false;
            var parameters = new List<SipHeaderParameter>();
            if (!HeaderText.Parameters(value, ref i, parameters)) return false;
            into.Add(new SipMediaTypeHeader { Type = type, Subtype = sub, Parameters = parameters });
            if (HeaderText.AtEnd(value, i)) return true;
            if (!HeaderText.Expect(value, ref i, (byte)',')) return false;
        }
    }

    /// <summary>Parses a single media type (Content-Type).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipMediaTypeHeader? header)
    {
        var list = new List<SipMediaTypeHeader>(1);
        header = TryParseList(value, list) && list.Count == 1 ? list[0] : null;
        return header is not null;
    }

    /// <summary>Serializes as "type/subtype;params".</summary>
    public override string ToString()
    {
        var b = new StringBuilder(Type).Append('/').Append(Subtype);
        foreach (SipHeaderParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Quoted ? SipNameAddressHeader.Quote(p.Value) : p.Value);
        }
        return b.ToString();
    }
}
