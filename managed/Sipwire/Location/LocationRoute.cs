// How a request reaches a registered binding: its Path as Route values (RFC 3327 §5.3) and the address its REGISTER came from.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Transport;

namespace Sipwire.Location;

/// <summary>
/// The routing facts of a <see cref="LocationBinding"/> that every server role sending to it needs alike (the
/// proxy's §16.5/§16.6 target, the B2BUA's callee leg): the Path values it registered with, which become the
/// request's first Route values, and the source address of its REGISTER, which is where a Contact behind NAT
/// is reachable.
/// </summary>
public static class LocationRoute
{
    /// <summary>
    /// Appends the values of a comma-separated Path (as stored with the binding) to <paramref name="routes"/>, in
    /// order: RFC 3327 §5.3 - a request for the binding carries them as its Route set, first hop first.
    /// </summary>
    public static void AddPath(ReadOnlySpan<char> path, List<string> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (Range r in path.Split(','))
        {
            ReadOnlySpan<char> v = path[r].Trim();
            if (!v.IsEmpty) routes.Add(v.ToString());
        }
    }

    /// <summary>
    /// The address the binding's REGISTER came from ("udp:192.0.2.1:5060" as the registrar stores it), false when
    /// none is stored or it does not parse.
    /// </summary>
    public static bool TryGetReceived(LocationBinding binding, out PeerAddress received)
    {
        ArgumentNullException.ThrowIfNull(binding);
        received = default;
        string text = Encoding.ASCII.GetString(binding.Received);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        TransportProtocol protocol;
        switch (text[..colon])
        {
            case "udp": protocol = TransportProtocol.Udp; break;
            case "tcp": protocol = TransportProtocol.Tcp; break;
            case "tls": protocol = TransportProtocol.Tls; break;
            default: return false;
        }
        return PeerAddress.TryParse(protocol, text.AsSpan(colon + 1), out received);
    }
}
