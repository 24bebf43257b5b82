// Replaces = callid *(SEMI replaces-param) with to-tag, from-tag, early-only (RFC 3891 §6.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>The dialog a Replaces header names.</summary>
public sealed record SipReplacesHeader(string CallId, string ToTag, string FromTag, bool EarlyOnly)
{
    /// <summary>Parses a Replaces value; to-tag and from-tag are mandatory.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipReplacesHeader? header)
    {
        header = null;
        int i = SipSyntax.SkipLws(value, 0);
        int start = i;
        while (i < value.Length && value[i] != ';' && !SipSyntax.IsLws(value[i])) i++;
        int callIdEnd = i;
        if (!HeaderScanner.IsCallId(value[start..callIdEnd])) return false;
        var parameters = new List<SipHeaderParameter>();
        if (!HeaderText.Parameters(value, ref i, parameters) || !HeaderText.AtEnd(value, i)) return false;
        string? to = HeaderText.Find(parameters, "to-tag"), from = HeaderText.Find(parameters, "from-tag");
        if (to is null || from is null) return false;
        header = new SipReplacesHeader(HeaderText.Str(value[start..callIdEnd]), to, from, HeaderText.Has(parameters, "early-only"));
        return true;
    }

    /// <summary>Serializes as "callid;to-tag=..;from-tag=..[;early-only]".</summary>
    public override string ToString() => $"{CallId};to-tag={ToTag};from-tag={FromTag}{(EarlyOnly ? ";early-only" : string.Empty)}";
}
