// Warning = warning-value *(COMMA warning-value); warn-code SP warn-agent SP warn-text (RFC 3261 §20.43).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>One warning-value: a three-digit code, the agent (hostport or pseudonym) and the quoted text.</summary>
public sealed record SipWarningHeader(int Code, string Agent, string Text)
{
    /// <summary>Parses every warning-value of one Warning header field.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipWarningHeader> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        while (true)
        {
            i = SipSyntax.SkipLws(value, i);
            // warn-code = 3DIGIT (RFC 4475 §3.1.2.5: "1812" is malformed).
            if (i + 3 > value.Length || !SipSyntax.IsDigit(value[i]) || !SipSyntax.IsDigit(value[i + 1]) || !SipSyntax.IsDigit(value[i + 2])) return false;
            int code = (value[i] - '0') * 100 + (value[i + 1] - '0') * 10 + (value[i + 2] - '0');
            i += 3;
            if (i >= value.Length || value[i] != ' ') return false;
            i++;
            int a = i;
            while (i < value.Length && value[i] != ' ') i++;
            if (i == a || i >= value.Length) return false;
            string agent = HeaderText.Str(value[a..i]);
            i++;
            if (i >= value.Length || value[i] != '"') return false;
            int end = SipSyntax.ScanQuoted(value, i);
            if (end < 0) return false;
            into.Add(new SipWarningHeader(code, agent, HeaderText.Unquote(value[i..end])));
            i = end;
            if (HeaderText.AtEnd(value, i)) return true;
            if (!HeaderText.Expect(value, ref i, (byte)',')) return false;
        }
    }

    /// <summary>Serializes as 'code agent "text"'.</summary>
    public override string ToString() => $"{Code:D3} {Agent} {SipNameAddressHeader.Quote(Text)}";
}
