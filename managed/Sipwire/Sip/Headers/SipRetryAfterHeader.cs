// Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>A Retry-After value.</summary>
public sealed class SipRetryAfterHeader
{
    /// <summary>Seconds to wait (at most 2^32-1; RFC 4475 §3.1.2.5 treats larger as malformed).</summary>
    public uint DeltaSeconds { get; init; }

    /// <summary>The comment without its parentheses, null when absent.</summary>
    public string? Comment { get; init; }

    /// <summary>Parameters (duration, ...).</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>The duration parameter, null when absent or malformed.</summary>
    public uint? Duration => uint.TryParse(HeaderText.Find(Parameters, "duration"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint d) ? d : null;

    /// <summary>Parses a Retry-After value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipRetryAfterHeader? header)
    {
        header = null;
        int i = 0;
        if (!HeaderText.DeltaSeconds(value, ref i, out uint delta)) return false;
        string? comment = null;
        int j = SipSyntax.SkipLws(value, i);
        if (j < value.Length && value[j] == '(')
        {
            // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, nesting allowed.
            int depth = 0, k = j;
            for (; k < value.Length; k++)
            {
                if (value[k] == '\\') { k++; continue; }
                if (value[k] == '(') depth++;
                else if (value[k] == ')' && --depth == 0) break;
            }
            if (depth != 0 || k >= value.Length) return false;
            comment = HeaderText.Str(value[(j + 1)..k]);
            i = k + 1;
        }
        var parameters = new List<SipHeaderParameter>();
        if (!HeaderText.Parameters(value, ref i, parameters) || !HeaderText.AtEnd(value, i)) return false;
        header = new SipRetryAfterHeader { DeltaSeconds = delta, Comment = comment, Parameters = parameters };
        return true;
    }
}
