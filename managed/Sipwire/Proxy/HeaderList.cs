// Splits comma-separated header field values (RFC 3261 §7.3.1) at the commas outside quotes and angle brackets.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Proxy;

/// <summary>Iterates the values of a header field line such as "Route: &lt;sip:a;lr&gt;, &lt;sip:b;lr&gt;".</summary>
internal static class HeaderList
{
    /// <summary>Finds the next value at or after <paramref name="pos"/>; false when none is left.</summary>
    public static bool Next(ReadOnlySpan<byte> value, ref int pos, out Range item)
    {
        while (pos < value.Length && value[pos] is (byte)' ' or (byte)'\t' or (byte)',' or (byte)'\r' or (byte)'\n') pos++;
        if (pos >= value.Length)
        {
            item = default;
            return false;
        }
        int start = pos;
        bool quoted = false;
        bool angle = false;
        for (; pos < value.Length; pos++)
        {
            byte c = value[pos];
            if (quoted)
            {
                if (c == (byte)'\\') pos++;
                else if (c == (byte)'"') quoted = false;
                continue;
            }
            if (c == (byte)'"') quoted = true;
            else if (c == (byte)'<') angle = true;
            else if (c == (byte)'>') angle = false;
            else if (c == (byte)',' && !angle) break;
        }
        int end = Math.Min(pos, value.Length);
        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') end--;
        item = start..end;
        return true;
    }
}
