// A materialized Via header value (RFC 3261 §20.42; rport RFC 3581; IPv6 RFC 5118).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip.Headers;

/// <summary>One via-parm: sent-protocol, sent-by and via-params.</summary>
public sealed class SipViaHeader
{
    /// <summary>Protocol name ("SIP").</summary>
    public string ProtocolName { get; init; } = "SIP";

    /// <summary>Protocol version ("2.0").</summary>
    public string ProtocolVersion { get; init; } = "2.0";

    /// <summary>Transport ("UDP", "TCP", "TLS", "SCTP", "WS", ...).</summary>
    public string Transport { get; init; } = "UDP";

    /// <summary>sent-by host (IPv6 references keep brackets).</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>sent-by port, -1 when absent.</summary>
    public int Port { get; init; } = -1;

    /// <summary>via-params in order.</summary>
    public IReadOnlyList<SipHeaderParameter> Parameters { get; init; } = [];

    /// <summary>branch, null when absent.</summary>
    public string? Branch => HeaderText.Find(Parameters, "branch");

    /// <summary>received, null when absent.</summary>
    public string? Received => HeaderText.Find(Parameters, "received");

    /// <summary>maddr, null when absent.</summary>
    public string? Maddr => HeaderText.Find(Parameters, "maddr");

    /// <summary>ttl, null when absent.</summary>
    public int? Ttl => int.TryParse(HeaderText.Find(Parameters, "ttl"), NumberStyles.None, CultureInfo.InvariantCulture, out int t) ? t : null;

    /// <summary>True when rport is present (RFC 3581 §3).</summary>
    public bool HasRPort => HeaderText.Has(Parameters, "rport");

    /// <summary>The rport value, null when absent or empty.</summary>
    public int? RPort => int.TryParse(HeaderText.Find(Parameters, "rport"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : null;

    /// <summary>Parses every via-parm of one Via header field.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> value, List<SipViaHeader> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int i = 0;
        while (true)
        {
            if (!HeaderScanner.TryScanVia(value, ref i, out ViaParts v)) return false;
            var parameters = new List<SipHeaderParameter>();
            if (v.Parameters.IsPresent)
            {
                int k = v.Parameters.Start - 1;
                if (!HeaderText.Parameters(value[..v.Value.End], ref k, parameters)) return false;
            }
            into.Add(new SipViaHeader
            {
                ProtocolName = HeaderText.Str(v.ProtocolName.Slice(value)),
                ProtocolVersion = HeaderText.Str(v.ProtocolVersion.Slice(value)),
                Transport = HeaderText.Str(v.Transport.Slice(value)),
                Host = HeaderText.Str(v.Host.Slice(value)),
                Port = v.Port,
                Parameters = parameters,
            });
            if (i >= value.Length) return true;
            if (value[i] != ',') return false;
            i++;
        }
    }

    /// <summary>Serializes as "SIP/2.0/UDP host[:port];params".</summary>
    public override string ToString()
    {
        var b = new StringBuilder(64);
        b.Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port >= 0) b.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        foreach (SipHeaderParameter p in Parameters)
        {
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Quoted ? SipNameAddressHeader.Quote(p.Value) : p.Value);
        }
        return b.ToString();
    }
}
