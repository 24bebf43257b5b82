// Session-Expires = delta-seconds *(SEMI se-params), refresher=uac/uas; Min-SE (RFC 4028 §4, §5).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Sip.Headers;

/// <summary>A Session-Expires or Min-SE value.</summary>
public sealed class SipSessionExpiresHeader
{
    /// <summary>The interval in seconds.</summary>
    public uint DeltaSeconds { get; init; }

    /// <summary>Parameters (refresher, ...).</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>"uac", "uas", or null when absent.</summary>
    public string? Refresher => HeaderText.Find(Parameters, "refresher");

    /// <summary>Parses a Session-Expires or Min-SE value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipSessionExpiresHeader? header)
    {
        header = null;
        int i = 0;
        if (!HeaderText.DeltaSeconds(value, ref i, out uint delta)) return false;
        var parameters = new List<SipHeaderParameter>();
        if (!HeaderText.Parameters(value, ref i, parameters) || !HeaderText.AtEnd(value, i)) return false;
        string? r = HeaderText.Find(parameters, "refresher");
        if (r is not null && !string.Equals(r, "uac", StringComparison.OrdinalIgnoreCase) && !string.Equals(r, "uas", StringComparison.OrdinalIgnoreCase)) return false;
        header = new SipSessionExpiresHeader { DeltaSeconds = delta, Parameters = parameters };
        return true;
    }

    /// <summary>Serializes as "delta;params".</summary>
    public override string ToString()
    {
        var b = new StringBuilder().Append(DeltaSeconds);
        foreach (SipHeaderParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Value);
        }
        return b.ToString();
    }
}
