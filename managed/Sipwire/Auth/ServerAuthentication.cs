// How the B2BUA authenticates INVITEs from its own domains' users: digest server, passwords, authorization rule, trusted sources.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Auth;
using Sipwire.Transport;

namespace Sipwire.B2bua;

/// <summary>
/// Caller authentication of <see cref="B2buaOptions.Authentication"/>. The B2BUA answers the caller as a UAS, so a
/// new INVITE from a user of its domains without valid credentials gets 401 with WWW-Authenticate (RFC 3261 §22.2);
/// valid credentials of another user than the From gets 403 (<see cref="SenderRule"/>). Give it the
/// <see cref="DigestServer"/> and password lookup of the registrar of the same domain: one credential store and one
/// nonce table (nonce-count replay checks across REGISTER and INVITE).
/// </summary>
public sealed class B2buaAuthentication
{
    /// <summary>Creates the settings.</summary>
    /// <param name="digest">Issues the nonces and checks the credentials; its realm is the one challenged.</param>
    /// <param name="passwordOf">Password of a user name, or null for unknown users.</param>
    public B2buaAuthentication(DigestServer digest, Func<string, string?> passwordOf)
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

    /// <summary>May the authenticated user (first) call as the From AoR (second, "sip:user@domain")? Null: <see cref="SenderRule"/>'s default.</summary>
    public Func<string, string, bool>? Authorize { get; init; }

    /// <summary>Sources whose INVITEs are not challenged (a gateway or core proxy that authenticates its own users). Null: none.</summary>
    public Func<PeerAddress, bool>? Trusted { get; init; }
}
