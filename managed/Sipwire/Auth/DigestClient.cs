// SPDX-License-Identifier: MIT
// Client side of digest authentication: answers 401/407 challenges (RFC 3261 §22.2-22.3, RFC 7616, RFC 8760).

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Security;

namespace Sipwire.Auth;

/// <summary>
/// Builds Authorization / Proxy-Authorization values. Keeps the nonce count per realm and nonce, so
/// reusing a nonce for later requests (RFC 3261 §22.3 preemptive credentials) counts up nc.
/// </summary>
public sealed class DigestClient
{
    private readonly Dictionary<string, (string Nonce, uint Count)> _nonceCounts = new(StringComparer.Ordinal);
    private readonly Func<string> _cnonceSource;

    /// <summary>A client drawing each cnonce from the system's secure random source.</summary>
    public DigestClient()
        : this(static () => Convert.ToHexStringLower(SecureRandom.GetBytes(16)))
    {
    }

    /// <summary>A client with a given cnonce source (tests reproduce RFC examples with it).</summary>
    public DigestClient(Func<string> cnonceSource)
    {
        ArgumentNullException.ThrowIfNull(cnonceSource);
        _cnonceSource = cnonceSource;
    }

    /// <summary>
    /// The credentials answering <paramref name="challenge"/> for a request.
    /// </summary>
    /// <param name="challenge">The challenge (the strongest of the response: <see cref="DigestChallenge.SelectStrongest"/>).</param>
    /// <param name="username">The user name for the challenge's realm.</param>
    /// <param name="password">The password for the challenge's realm.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="requestUri">The Request-URI of the request, which is the digest "uri" (RFC 3261 §22.4).</param>
    /// <param name="body">The request body, hashed when only auth-int is offered.</param>
    /// <returns>The header value, starting with "Digest ".</returns>
    public string Authorize(DigestChallenge challenge, string username, string password, string method, string requestUri, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);

        // qop=auth when offered: auth-int would hash the body, which a proxy may not change anyway.
        string? qop = challenge.OffersAuth ? "auth" : challenge.OffersAuthInt ? "auth-int" : null;
        bool needsCnonce = qop is not null || DigestAlgorithms.IsSession(challenge.Algorithm);
        string? cnonce = needsCnonce ? _cnonceSource() : null;
        uint nc = NextNonceCount(challenge.Realm, challenge.Nonce);
        string response = DigestResponse.Compute(challenge.Algorithm, username, challenge.Realm, password, method,
            requestUri, challenge.Nonce, nc, cnonce, qop, body);

        var sb = new StringBuilder("Digest username=");
        AuthParams.AppendQuoted(sb, challenge.UserHash ? DigestResponse.UserHash(challenge.Algorithm, username, challenge.Realm) : username);
        sb.Append(", realm=");
        AuthParams.AppendQuoted(sb, challenge.Realm);
        sb.Append(", nonce=");
        AuthParams.AppendQuoted(sb, challenge.Nonce);
        sb.Append(", uri=");
        AuthParams.AppendQuoted(sb, requestUri);
        sb.Append(", response=\"").Append(response).Append('"');
        sb.Append(", algorithm=").Append(DigestAlgorithms.Name(challenge.Algorithm));
        if (cnonce is not null)
        {
            sb.Append(", cnonce=");
            AuthParams.AppendQuoted(sb, cnonce);
        }
        if (challenge.Opaque is not null)
        {
            sb.Append(", opaque=");
            AuthParams.AppendQuoted(sb, challenge.Opaque);
        }
        if (qop is not null)
        {
            sb.Append(", qop=").Append(qop).Append(", nc=").Append(DigestResponse.FormatNonceCount(nc));
        }
        if (challenge.UserHash)
        {
            sb.Append(", userhash=true");
        }
        return sb.ToString();
    }

    private uint NextNonceCount(string realm, string nonce)
    {
        uint count = _nonceCounts.TryGetValue(realm, out (string Nonce, uint Count) last) && last.Nonce == nonce ? last.Count + 1 : 1;
        _nonceCounts[realm] = (nonce, count);
        return count;
    }
}
