// Call-Info, Alert-Info, Error-Info: "<" absoluteURI ">" *( SEMI param ) (RFC 3261 §20.4, §20.9, §20.18).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Sip.Headers;

/// <summary>One bracketed URI with parameters (purpose=icon, ...).</summary>
public sealed class SipInfoUriHeader
{
    /// <summary>The absoluteURI as written, without &lt;&gt;.</summary>
    public string Uri { get; init; } = string.Empty;

    /// <summary>Parameters in order.</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>The value of parameter <paramref name="name"/>, null when absent.</summary>
    public string? GetParameter(string name) => HeaderText.Find(Parameters, name);

    /// <summary>Parses every value of one Call-Info / Alert-Info / Error-Info header field.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipInfoUriHeader> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        while (true)
        {
            if (!HeaderText.Expect(value, ref i, (byte)'<')) return false;
            int close = value[i..].IndexOf((byte)'>');
            if (close <= 0 || !Parsing.UriScanner.TryScan(value.Slice(i, close), out _)) return false;
            string uri = HeaderText.Str(value.Slice(i, close));
            i += close + 1;
            var parameters = new List<SipHeaderParameter>();
            if (!HeaderText.Parameters(value, ref i, parameters)) return false;
            into.Add(new SipInfoUriHeader { Uri = uri, Parameters = parameters });
            if (HeaderText.AtEnd(value, i)) return true;
            if (!HeaderText.Expect(value, ref i, (byte)',')) return false;
        }
    }
}
