// Branch parameters of a proxy (RFC 3261 §16.6 step 8): a loop-detection hash plus a per-transaction part.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;

namespace Sipwire.Proxy;

/// <summary>
/// Builds "z9hG4bKsw" + 16 hex digits of a hash over the fields §16.6 step 8 names for loop detection
/// (Request-URI, To tag, From tag, Call-ID, CSeq number, Route, Proxy-Require, Proxy-Authorization) +
/// "." + a transaction part. A request that comes back with one of our Vias carrying the same hash has
/// looped (§16.3 step 4); a different hash is a spiral.
/// </summary>
internal static class ProxyBranchId
{
    public const string Prefix = "z9hG4bKsw";
    public const int HashDigits = 16;

    /// <summary>FNV-1a 64 over the loop-relevant fields of <paramref name="request"/> as received.</summary>
    public static ulong LoopHash(SipMessage request)
    {
        ulong h = 14695981039346656037UL;
        h = Add(h, request.RequestUri);
        h = Add(h, request.To.Tag);
        h = Add(h, request.From.Tag);
        h = Add(h, request.CallId);
        h = Mix(h, request.CSeqNumber);
        for (int i = 0; i < request.HeaderCount; i++)
        {
            SipHeaderKind k = request.GetHeader(i).Kind;
            if (k is SipHeaderKind.Route or SipHeaderKind.ProxyRequire or SipHeaderKind.ProxyAuthorization)
            {
                h = Mix(h, (uint)k);
                h = Add(h, request.GetHeaderValue(i));
            }
        }
        return h;
    }

    /// <summary>FNV-1a 64 over arbitrary bytes (the stateless transaction part, §16.11).</summary>
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 14695981039346656037UL) => Add(seed, data);

    /// <summary>Writes Prefix + hex(loop) + "." + hex(part); returns the length (always 9 + 16 + 1 + 16).</summary>
    public static int Write(Span<byte> destination, ulong loop, ulong part)
    {
        int n = 0;
        foreach (char c in Prefix) destination[n++] = (byte)c;
        n += WriteHex(destination[n..], loop);
        destination[n++] = (byte)'.';
        n += WriteHex(destination[n..], part);
        return n;
    }

    /// <summary>True when <paramref name="branch"/> was written by a proxy with this loop hash.</summary>
    public static bool HasLoopHash(ReadOnlySpan<byte> branch, ulong loop)
    {
        if (branch.Length < Prefix.Length + HashDigits || !branch.StartsWith("z9hG4bKsw"u8)) return false;
        Span<byte> hex = stackalloc byte[HashDigits];
        WriteHex(hex, loop);
        return branch.Slice(Prefix.Length, HashDigits).SequenceEqual(hex);
    }

    private static int WriteHex(Span<byte> destination, ulong value)
    {
        for (int i = HashDigits - 1; i >= 0; i--)
        {
            int d = (int)(value & 0xF);
            destination[i] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            value >>= 4;
        }
        return HashDigits;
    }

    private static ulong Add(ulong h, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        // A separator so that ("ab","c") and ("a","bc") differ.
        h ^= 0xFF;
        h *= 1099511628211UL;
        return h;
    }

    private static ulong Mix(ulong h, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            h ^= (byte)(value >> (8 * i));
            h *= 1099511628211UL;
        }
        return h;
    }
}
