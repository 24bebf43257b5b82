// Timestamp = 1*(DIGIT) [ "." *(DIGIT) ] [ LWS delay ] (RFC 3261 §20.38).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>A Timestamp value and its optional delay, as written (decimal numbers).</summary>
public sealed record SipTimestampHeader(string Value, string? Delay)
{
    /// <summary>Parses a Timestamp value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipTimestampHeader? header)
    {
        header = null;
        int i = SipSyntax.SkipLws(value, 0);
        int a = i;
        if (!Number(value, ref i)) return false;
        string v = HeaderText.Str(value[a..i]);
        string? delay = null;
        int j = SipSyntax.SkipLws(value, i);
        if (j < value.Length)
        {
            if (j == i) return false;
            int b = j;
            if (!Number(value, ref j) || !HeaderText.AtEnd(value, j)) return false;
            delay = HeaderText.Str(value[b..j]);
        }
        header = new SipTimestampHeader(v, delay);
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> s, ref int i)
    {
        int n = SipSyntax.Span(s, i, SipSyntax.Digit);
        if (n == 0) return false;
        i += n;
        if (i < s.Length && s[i] == '.') i += 1 + SipSyntax.Span(s, i + 1, SipSyntax.Digit);
        return true;
    }
}
