// Who may send as which From address once digest credentials verified: the rule every server role applies alike.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Registrar;
using Sipwire.Sip;

namespace Sipwire.Auth;

/// <summary>
/// RFC 3261 §22.3 authenticates a user name and leaves the rest to the server's policy. Sipwire's servers (the
/// proxy's 407, the B2BUA's 401) apply one rule after the digest verified: the authenticated user may send only as
/// its own address-of-record, so alice's valid credentials cannot place a call as bob (answered 403).
/// </summary>
public static class SenderRule
{
    /// <summary>
    /// True when <paramref name="user"/> may send a request whose From URI is <paramref name="from"/>:
    /// <paramref name="authorize"/>(user, canonical "sip:user@domain" AoR) when given, else the From user part
    /// (unescaped, §19.1.2) equals the user name.
    /// </summary>
    public static bool Allows(string user, SipUri from, Func<string, string, bool>? authorize)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(from);
        return authorize?.Invoke(user, SipRegistrar.Canonical(from)) ?? string.Equals(SipUri.Unescape(from.User), user, StringComparison.Ordinal);
    }
}
