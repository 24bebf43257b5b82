// How a proxy authenticates requests from its own domains' users (RFC 3261 §16.3 step 6, §22.3): the shared settings plus the proxy-only ones.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Auth;

namespace Sipwire.Proxy;

/// <summary>
/// Proxy authentication of <see cref="ProxyOptions.Authentication"/>: the shared <see cref="ServerAuthentication"/>
/// settings plus what only a proxy needs (trusting its next hop, refusing to relay, remembering retransmissions).
/// </summary>
public sealed class ProxyAuthentication : ServerAuthentication
{
    /// <summary>Creates the settings.</summary>
    /// <param name="digest">Issues the nonces and checks the credentials; its realm is the one challenged in Proxy-Authenticate.</param>
    /// <param name="passwordOf">Password of a user name, or null for unknown users.</param>
    public ProxyAuthentication(DigestServer digest, Func<string, string?> passwordOf)
        : base(digest, passwordOf)
    {
    }

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
