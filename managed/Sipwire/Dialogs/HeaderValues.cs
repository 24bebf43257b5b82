// Splits comma-separated header values (Record-Route, Route) outside quotes and angle brackets (RFC 3261 §7.3.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;

namespace Sipwire.Dialogs;

internal static class HeaderValues
{
    /// <summary>Appends every value of every <paramref name="kind"/> header of <paramref name="m"/>, in message order.</summary>
    public static void Collect(SipMessage m, SipHeaderKind kind, List<string> into)
    {
        for (int i = m.IndexOfHeader(kind); i >= 0; i = m.IndexOfHeader(kind, i + 1))
        {
            ReadOnlySpan<byte> v = m.GetHeaderValue(i);
            bool quoted = false;
            int depth = 0;
            int start = 0;
            for (int j = 0; j <= v.Length; j++)
            {
                if (j < v.Length)
                {
                    byte c = v[j];
                    if (quoted)
                    {
                        if (c == '\\') j++;
                        else if (c == '"') quoted = false;
                        continue;
                    }
                    if (c == '"') quoted = true;
                    else if (c == '<') depth++;
                    else if (c == '>') depth--;
                    if (c != ',' || depth > 0) continue;
                }
                string item = Encoding.UTF8.GetString(v[start..j]).Trim();
                if (item.Length > 0) into.Add(item);
                start = j + 1;
            }
        }
    }

    /// <summary>The URI inside &lt;&gt; of a name-addr, or the value itself for an addr-spec.</summary>
    public static string UriOf(string nameAddr)
    {
        int lt = nameAddr.IndexOf('<', StringComparison.Ordinal);
        int gt = nameAddr.LastIndexOf('>');
        return lt >= 0 && gt > lt ? nameAddr[(lt + 1)..gt] : nameAddr.Split(';')[0];
    }

    /// <summary>§19.1.1: true when the URI carries the lr parameter (a loose router, §16.12).</summary>
    public static bool IsLooseRouter(string uri)
    {
        foreach (string p in uri.Split(';'))
        {
            string name = p.Split('=')[0].Trim();
            if (name.Equals("lr", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
