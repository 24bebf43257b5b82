// `sipwire b2bua` and the protection flags of every server role: builds the SipB2bua and the RequestGuard for ServerCommand.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using Sipwire.Auth;
using Sipwire.B2bua;
using Sipwire.Location;
using Sipwire.Protection;
using Sipwire.Registrar;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>Wiring of the B2BUA role and of the protection filter (kept out of ServerCommand so its edits stay small).</summary>
internal static class ServerB2bua
{
    /// <summary>
    /// The B2BUA on <paramref name="endpoint"/>, routing by the location service its registrar fills; with --users
    /// (<paramref name="digest"/> not null) INVITEs from the domain's users are challenged with the registrar's
    /// credential store and nonce table (401/403). Null (with <paramref name="error"/>) when the first listener is
    /// not a concrete address.
    /// </summary>
    public static SipB2bua? Create(Endpoint endpoint, IReadOnlyList<PeerAddress> bound, ServerArguments a, ILocationService location,
        SipRegistrar? registrar, DigestServer? digest, Func<string, string?>? passwordOf, Func<long> nowMs, Action<string> log, out string error)
    {
        error = "";
        PeerAddress first = ServerListeners.Primary(a, bound);
        IPAddress ip = first.ToEndPoint().Address;
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            error = $"the first --listen must be a concrete address (it goes into Via and Contact), not {first}";
            return null;
        }
        string hostPort = first.ToEndPoint().ToString();
        var b2bua = new SipB2bua(new B2buaOptions
        {
            ContactUri = "sip:b2bua@" + hostPort + ServerListeners.TransportParameter(first.Protocol),
            LocalSentBy = hostPort,
            Domains = a.Domains,
            Authentication = digest is null || passwordOf is null ? null : new ServerAuthentication(digest, passwordOf),
        }, endpoint.Transactions, location, registrar, nowMs);
        if (!a.Quiet) b2bua.CallChanged += e => log(e.ToString());
        endpoint.User = b2bua;
        endpoint.AddTimers(b2bua);
        return b2bua;
    }

    /// <summary>Puts a <see cref="RequestGuard"/> in front of whatever receives the endpoint's messages, when --rate-limit or --tls-only asks for one.</summary>
    public static RequestGuard? Protect(Endpoint endpoint, ServerArguments a)
    {
        if (a.RateLimit <= 0 && !a.TlsOnly) return null;
        var guard = new RequestGuard(new ProtectionOptions { RatePerSecond = a.RateLimit, TlsOnly = a.TlsOnly }, endpoint.Transactions);
        Action<Sipwire.Sip.SipMessage, PeerAddress>? inner = endpoint.Transport.MessageReceived;
        endpoint.Transport.MessageReceived = (m, source) =>
        {
            if (guard.Admit(m, source)) inner?.Invoke(m, source);
        };
        return guard;
    }
}
