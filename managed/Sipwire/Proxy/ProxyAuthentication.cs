// How a proxy authenticates requests from its own domains' users (RFC 3261 §16.3 step 6, §22.3): digest server, passwords, authorization rule.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Auth;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>
/// Proxy authentication of <see cref="ProxyOptions.Authentication"/>. Give it the same <see cref="DigestServer"/>
/// and password lookup as the <see cref="Registrar.SipRegistrar"/> of the same domain, so that REGISTER (401) and
/// every other request (407) are checked against one credential store with one nonce table (replay checks across both).
/// </summary>
public sealed class ProxyAuthentication
{
    /// <summary>Creates the settings.</summary>
    /// <param name="digest">Issues the nonces and checks the credentials; its realm is the one challenged in Proxy-Authenticate.</param>
    /// <param name="passwordOf">Password of a user name, or null for unknown users.</param>
    public ProxyAuthentication(DigestServer digest, Func<string, string?> passwordOf)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(passwordOf);
        Digest = digest;
        PasswordOf = passwordOf;
    }

    /// <summary>The digest server (realm, algorithm, nonce lifetime, nonce-count replay table).</summary>
    public DigestServer Digest { get; }

    /// <summary>Password of a user name, or null for unknown users.</summary>
    public Func<string, string?> PasswordOf { get; }

    /// <summary>
    /// May the authenticated user (first argument) send as the From address-of-record (second argument, canonical
    /// "sip:user@domain")? Null: only when the From user part equals the user name, so that alice's valid credentials
    /// cannot place a call as bob (answered 403).
    /// </summary>
    public Func<string, string, bool>? Authorize { get; init; }

    /// <summary>
    /// Sources whose requests are not challenged: a core proxy, registrar or gateway behind this edge that authenticates
    /// its own users (as Kamailio's permissions module allow_trusted does). Null: every source is challenged.
    /// </summary>
    public Func<PeerAddress, bool>? Trusted { get; init; }

    /// <summary>
    /// Requests from the IP address of <see cref="ProxyOptions.NextHop"/> (the core behind this edge, resolved once) are
    /// trusted too: they are calls from users the core authenticated, or ours coming back by our Path. True by default.
    /// </summary>
    public bool TrustNextHop { get; init; } = true;

    /// <summary>
    /// Refuse (403 "Not Relaying") an out-of-dialog request whose From and Request-URI are both outside the proxy's domains
    /// and addresses, unless it comes from a trusted source: with authentication on, only our authenticated users may
    /// reach foreign destinations through us. True by default.
    /// </summary>
    public bool RefuseRelay { get; init; } = true;

    /// <summary>
    /// How long the proxy remembers an authenticated request (and, stateless, a challenge it sent), so that a UDP
    /// retransmission of an authenticated request is forwarded again instead of being refused as a replayed nonce
    /// count, and the ACK of a stateless 407 is absorbed. 64·T1 (32 s) by default: the life of a client transaction.
    /// </summary>
    public TimeSpan RetransmissionWindow { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>Most requests remembered for <see cref="RetransmissionWindow"/>; the oldest are forgotten first.</summary>
    public int MaxRemembered { get; init; } = 4096;
}
