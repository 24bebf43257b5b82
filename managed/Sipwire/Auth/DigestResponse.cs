// SPDX-License-Identifier: MIT
// The request-digest of RFC 7616 §3.4.1 (and RFC 2617 / RFC 3261 §22.4 without qop).

using System;

namespace Sipwire.Auth;

/// <summary>Computes the "response" parameter, the same way for the client and the server.</summary>
public static class DigestResponse
{
    /// <summary>
    /// response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)), or KD(H(A1), nonce ":" H(A2))
    /// when <paramref name="qop"/> is null (RFC 2069 compatibility, still allowed by RFC 3261 §22.4).
    /// </summary>
    /// <param name="algorithm">The algorithm; -sess variants fold nonce and cnonce into A1 (§3.4.2).</param>
    /// <param name="username">The user name as it appears in A1 (not the userhash).</param>
    /// <param name="realm">The realm.</param>
    /// <param name="password">The password.</param>
    /// <param name="method">The request method (for SIP, the method of the request, §22.4; ACK and CANCEL use INVITE's credentials but their own method).</param>
    /// <param name="digestUri">The "uri" parameter: the Request-URI as sent.</param>
    /// <param name="nonce">The server nonce.</param>
    /// <param name="nonceCount">nc, 1 for the first use of a nonce.</param>
    /// <param name="cnonce">The client nonce (required with qop and with -sess).</param>
    /// <param name="qop">"auth", "auth-int" or null.</param>
    /// <param name="body">The message body, hashed into A2 for auth-int (RFC 7616 §3.4.3).</param>
    /// <returns>Lowercase hex.</returns>
    public static string Compute(DigestAlgorithm algorithm, string username, string realm, string password,
        string method, string digestUri, string nonce, uint nonceCount, string? cnonce, string? qop, ReadOnlySpan<byte> body)
    {
        string ha1 = DigestHasher.Hash(algorithm, username, realm, password);
        return ComputeFromHa1(algorithm, ha1, method, digestUri, nonce, nonceCount, cnonce, qop, body);
    }

    /// <summary>As <see cref="Compute"/>, from a stored H(username ":" realm ":" password) so a server needs no clear-text password.</summary>
    public static string ComputeFromHa1(DigestAlgorithm algorithm, string ha1, string method, string digestUri,
        string nonce, uint nonceCount, string? cnonce, string? qop, ReadOnlySpan<byte> body)
    {
        if (DigestAlgorithms.IsSession(algorithm))
        {
            ArgumentException.ThrowIfNullOrEmpty(cnonce);
            ha1 = DigestHasher.Hash(algorithm, ha1, nonce, cnonce);
        }
        string ha2 = qop switch
        {
            null or "auth" => DigestHasher.Hash(algorithm, method, digestUri),
            "auth-int" => DigestHasher.Hash(algorithm, method, digestUri, DigestHasher.HashBody(algorithm, body)),
            _ => throw new ArgumentException($"qop '{qop}' is neither auth nor auth-int", nameof(qop)),
        };
        if (qop is null)
        {
            return DigestHasher.Hash(algorithm, ha1, nonce, ha2);
        }
        ArgumentException.ThrowIfNullOrEmpty(cnonce);
        return DigestHasher.Hash(algorithm, ha1, nonce, FormatNonceCount(nonceCount), cnonce, qop, ha2);
    }

    /// <summary>H(username ":" realm ":" password), what a server may store instead of the password.</summary>
    public static string Ha1(DigestAlgorithm algorithm, string username, string realm, string password) =>
        DigestHasher.Hash(algorithm, username, realm, password);

    /// <summary>The userhash of RFC 7616 §3.4.4: H(username ":" realm).</summary>
    public static string UserHash(DigestAlgorithm algorithm, string username, string realm) =>
        DigestHasher.Hash(algorithm, username, realm);

    /// <summary>nc as 8 lowercase hex digits (RFC 7616 §3.4).</summary>
    public static string FormatNonceCount(uint nonceCount) => nonceCount.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
