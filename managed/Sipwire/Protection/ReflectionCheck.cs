// Addresses a server must never answer to: broadcast, multicast, unspecified (no reflection/amplification).
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Protection;

/// <summary>
/// RFC 3261 §18.2.2 sends a response to the Via's maddr, received or sent-by: a forged Via naming a
/// broadcast or multicast group turns one request into a flood on a LAN, an unspecified address is
/// never a real sender. Such requests are dropped, never answered.
/// </summary>
public static class ReflectionCheck
{
    /// <summary>True for 0.0.0.0, 255.255.255.255, 224.0.0.0/4 (IPv4); ::, ff00::/8 (IPv6); IPv4-mapped forms included.</summary>
    public static bool IsUnsafe(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int n);
        if (n == 4)
        {
            uint v = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            return v == 0 || v == 0xFFFFFFFF || (b[0] & 0xF0) == 0xE0;
        }
        return b[0] == 0xFF || address.Equals(IPAddress.IPv6Any);
    }

    /// <summary>True when <paramref name="address"/> is an unsafe destination.</summary>
    public static bool IsUnsafe(in PeerAddress address) => IsUnsafe(address.ToEndPoint().Address);

    /// <summary>True when <paramref name="host"/> is an IP literal (bracketed IPv6 allowed) that <see cref="IsUnsafe(IPAddress)"/>; host names are not resolved.</summary>
    public static bool IsUnsafeHost(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty || host.Length > 64) return false;
        Span<char> text = stackalloc char[64];
        int n = Encoding.ASCII.GetChars(host, text);
        ReadOnlySpan<char> h = text[..n];
        if (h.Length > 2 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        return IPAddress.TryParse(h, out IPAddress? ip) && IsUnsafe(ip);
    }

    /// <summary>True when a request's answer would go to, or claims to come from, an unsafe address: its source, the top Via's sent-by, received or maddr.</summary>
    public static bool IsUnsafeRequest(SipMessage request, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!source.IsEmpty && IsUnsafe(source)) return true;
        SipVia via = request.TopVia;
        if (!via.IsPresent) return false;
        return IsUnsafeHost(via.Host) || (via.HasReceived && IsUnsafeHost(via.Received)) || IsUnsafeHost(via.Maddr);
    }
}
