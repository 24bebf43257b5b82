// A user name and password for one digest realm, or for any realm.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>
/// Credentials for digest authentication (RFC 3261 §22.1: credentials are kept per realm). A null
/// <see cref="Realm"/> answers a challenge from any realm that has no credentials of its own.
/// </summary>
/// <param name="Username">The user name sent in the digest response.</param>
/// <param name="Password">The password; never sent, only hashed (RFC 7616 §3.4.1).</param>
/// <param name="Realm">The realm these credentials are for, or null for any realm.</param>
public sealed record SipCredentials(string Username, string Password, string? Realm = null)
{
    /// <summary>The credentials of <paramref name="realm"/>: an exact realm match first, then a realm-less entry.</summary>
    public static SipCredentials? Find(System.Collections.Generic.IReadOnlyList<SipCredentials> list, string realm)
    {
        ArgumentNullException.ThrowIfNull(list);
        SipCredentials? any = null;
        foreach (SipCredentials c in list)
        {
            if (c.Realm is null) any ??= c;
            else if (string.Equals(c.Realm, realm, StringComparison.Ordinal)) return c;
        }
        return any;
    }
}
