// Who a server role challenges and with what: digest server, passwords, the From rule, trusted sources.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transport;

namespace Sipwire.Auth;

/// <summary>
/// Authentication of requests from a server's own domains' users, shared by the B2BUA (401, RFC 3261 §22.2) and
/// the proxy (407, §22.3; <see cref="Proxy.ProxyAuthentication"/> adds its proxy-only settings). Give it the
/// <see cref="DigestServer"/> and password lookup of the registrar of the same domain: one credential store and one
/// nonce table, so nonce-count replay checks span REGISTER and every other request. Valid credentials of another
/// user than the From get 403 (<see cref="SenderRule"/>).
/// </summary>
public class ServerAuthentication
{
    /// <summary>Creates the settings.</summary>
    /// <param name="digest">Issues the nonces and checks the credentials; its realm is the one challenged.</param>
    /// <param name="passwordOf">Password of a user name, or null for unknown users.</param>
    public ServerAuthentication(DigestServer digest, Func<string, string?> passwordOf)
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
    /// "sip:user@domain")? Null: <see cref="SenderRule"/>'s default, the From user part equals the user name.
    /// </summary>
    public Func<string, string, bool>? Authorize { get; init; }

    /// <summary>
    /// Sources whose requests are not challenged: a core proxy, registrar or gateway that authenticates its own users
    /// (as Kamailio's permissions module allow_trusted does). Null: every source is challenged.
    /// </summary>
    public Func<PeerAddress, bool>? Trusted { get; init; }
}
