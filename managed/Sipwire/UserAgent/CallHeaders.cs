// Reads the header fields the call features need: option tags, RSeq/RAck, Session-Expires, Min-SE, Retry-After, Allow.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Sip.Headers;

namespace Sipwire.UserAgent;

/// <summary>Small typed reads over a parsed message; malformed values read as absent.</summary>
internal static class CallHeaders
{
    /// <summary>The option tags (Require, Supported, Unsupported) or methods (Allow) of every <paramref name="kind"/> header.</summary>
    public static List<string> Tokens(SipMessage m, SipHeaderKind kind)
    {
        var list = new List<string>();
        if (!SipTypedHeaders.TryGetTokens(m, kind, list)) list.Clear();
        return list;
    }

    /// <summary>True when a <paramref name="kind"/> header lists <paramref name="token"/> (option tags compare case-insensitively, RFC 3261 §19.2).</summary>
    public static bool Has(SipMessage m, SipHeaderKind kind, string token)
    {
        foreach (string t in Tokens(m, kind))
        {
            if (t.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>RSeq (RFC 3262 §7.1), or 0 when absent or malformed.</summary>
    public static uint RSeq(SipMessage m) =>
        m.TryGetHeaderValue(SipHeaderKind.RSeq, out ReadOnlySpan<byte> v) && SipRAckHeader.TryParseRSeq(v, out uint r) ? r : 0;

    /// <summary>RAck (RFC 3262 §7.2), or null.</summary>
    public static SipRAckHeader? RAck(SipMessage m) =>
        m.TryGetHeaderValue(SipHeaderKind.RAck, out ReadOnlySpan<byte> v) && SipRAckHeader.TryParse(v, out SipRAckHeader? h) ? h : null;

    /// <summary>Session-Expires (RFC 4028 §4), or null.</summary>
    public static SipSessionExpiresHeader? SessionExpires(SipMessage m) =>
        m.TryGetHeaderValue(SipHeaderKind.SessionExpires, out ReadOnlySpan<byte> v) && SipSessionExpiresHeader.TryParse(v, out SipSessionExpiresHeader? h) ? h : null;

    /// <summary>Min-SE delta-seconds (RFC 4028 §5), or 0 when absent or malformed.</summary>
    public static uint MinSE(SipMessage m)
    {
        if (!m.TryGetHeaderValue(SipHeaderKind.MinSE, out ReadOnlySpan<byte> v)) return 0;
        // Min-SE = delta-seconds *(SEMI generic-param): the number before any parameter.
        int semi = v.IndexOf((byte)';');
        ReadOnlySpan<byte> n = (semi >= 0 ? v[..semi] : v).Trim(" \t"u8);
        return System.Buffers.Text.Utf8Parser.TryParse(n, out uint s, out int used) && used == n.Length ? s : 0;
    }

    /// <summary>Retry-After delta-seconds (RFC 3261 §20.33), or null.</summary>
    public static uint? RetryAfter(SipMessage m) =>
        m.TryGetHeaderValue(SipHeaderKind.RetryAfter, out ReadOnlySpan<byte> v) && SipRetryAfterHeader.TryParse(v, out SipRetryAfterHeader? h) ? h!.DeltaSeconds : null;

    /// <summary>The Contacts of a response, best q first, message order among equals (RFC 3261 §8.1.3.4, §20.10).</summary>
    public static List<SipNameAddressHeader> ContactsByQ(SipMessage m)
    {
        var list = new List<SipNameAddressHeader>();
        if (!SipTypedHeaders.TryGetNameAddresses(m, SipHeaderKind.Contact, list)) list.Clear();
        var ordered = new List<SipNameAddressHeader>(list.Count);
        // A stable sort: q defaults to 1.0 when absent.
        foreach (SipNameAddressHeader c in list)
        {
            int q = c.QMillis ?? 1000;
            int i = ordered.Count;
            while (i > 0 && (ordered[i - 1].QMillis ?? 1000) < q) i--;
            ordered.Insert(i, c);
        }
        return ordered;
    }
}
