// CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>A CSeq value: sequence number (32 bits) and method.</summary>
public sealed record SipCSeqHeader(uint Number, string Method)
{
    /// <summary>Parses a CSeq value; false when malformed or the number exceeds 2^32-1.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipCSeqHeader? header)
    {
        header = null;
        int i = 0;
        if (!HeaderText.DeltaSeconds(value, ref i, out uint n)) return false;
        if (i >= value.Length || !SipSyntax.IsLws(value[i])) return false;
        string? method = HeaderText.Token(value, ref i);
        if (method is null || !HeaderText.AtEnd(value, i)) return false;
        header = new SipCSeqHeader(n, method);
        return true;
    }

    /// <summary>Serializes as "number METHOD".</summary>
    public override string ToString() => $"{Number} {Method}";
}
