// RAck = response-num LWS CSeq-num LWS Method; RSeq = response-num (RFC 3262 §7.1, §7.2).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>The RAck of a PRACK: the RSeq and CSeq of the reliable provisional response it acknowledges.</summary>
public sealed record SipRAckHeader(uint RSeq, uint CSeq, string Method)
{
    /// <summary>Parses an RAck value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipRAckHeader? header)
    {
        header = null;
        int i = 0;
        if (!HeaderText.DeltaSeconds(value, ref i, out uint rseq) || i >= value.Length || !SipSyntax.IsLws(value[i])) return false;
        if (!HeaderText.DeltaSeconds(value, ref i, out uint cseq) || i >= value.Length || !SipSyntax.IsLws(value[i])) return false;
        string? method = HeaderText.Token(value, ref i);
        if (method is null || !HeaderText.AtEnd(value, i)) return false;
        header = new SipRAckHeader(rseq, cseq, method);
        return true;
    }

    /// <summary>Parses an RSeq value: 1*DIGIT in 1..2^31-1 (RFC 3262 §3).</summary>
    public static bool TryParseRSeq(ReadOnlySpan<byte> value, out uint rseq)
    {
        int i = 0;
        return HeaderText.DeltaSeconds(value, ref i, out rseq) && HeaderText.AtEnd(value, i) && rseq is >= 1 and <= int.MaxValue;
    }

    /// <summary>Serializes as "rseq cseq METHOD".</summary>
    public override string ToString() => $"{RSeq} {CSeq} {Method}";
}
