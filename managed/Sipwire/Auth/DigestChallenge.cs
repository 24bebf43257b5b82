// SPDX-License-Identifier: MIT
// A Digest challenge from WWW-Authenticate or Proxy-Authenticate (RFC 3261 §22.2, RFC 7616 §3.3).

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Auth;

/// <summary>One Digest challenge, validated: a realm and a nonce, a known algorithm, known qop values.</summary>
public sealed class DigestChallenge
{
    /// <summary>The protection space; credentials are kept per realm.</summary>
    public required string Realm { get; init; }

    /// <summary>The server nonce.</summary>
    public required string Nonce { get; init; }

    /// <summary>Opaque data to return unchanged, or null.</summary>
    public string? Opaque { get; init; }

    /// <summary>The algorithm (MD5 when the challenge names none, RFC 3261 §22.4).</summary>
    public DigestAlgorithm Algorithm { get; init; }

    /// <summary>qop="auth" offered.</summary>
    public bool OffersAuth { get; init; }

    /// <summary>qop="auth-int" offered.</summary>
    public bool OffersAuthInt { get; init; }

    /// <summary>stale=true: the previous credentials were right but the nonce expired; retry without asking the user (RFC 7616 §3.3).</summary>
    public bool Stale { get; init; }

    /// <summary>userhash=true: the server accepts a hashed user name (RFC 7616 §3.4.4).</summary>
    public bool UserHash { get; init; }

    /// <summary>Parses a challenge value; false with the reason for other schemes or malformed values.</summary>
    public static bool TryParse(string value, out DigestChallenge? challenge, out string error)
    {
        challenge = null;
        if (!AuthParams.TryParse(value, out AuthParams? parsed, out error))
        {
            return false;
        }
        if (!string.Equals(parsed!.Scheme, "Digest", StringComparison.OrdinalIgnoreCase))
        {
            error = $"auth scheme '{parsed.Scheme}' is not supported (only Digest)";
            return false;
        }
        string? realm = parsed["realm"];
        string? nonce = parsed["nonce"];
        if (realm is null || nonce is null)
        {
            error = realm is null ? "challenge has no realm" : "challenge has no nonce";
            return false;
        }
        DigestAlgorithm algorithm = DigestAlgorithm.Md5;
        if (parsed["algorithm"] is { } algorithmName && !DigestAlgorithms.TryParse(algorithmName, out algorithm))
        {
            error = $"algorithm '{algorithmName}' is not supported";
            return false;
        }
        bool auth = false;
        bool authInt = false;
        if (parsed["qop"] is { } qopList)
        {
            foreach (string option in qopList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                auth |= string.Equals(option, "auth", StringComparison.OrdinalIgnoreCase);
                authInt |= string.Equals(option, "auth-int", StringComparison.OrdinalIgnoreCase);
            }
            if (!auth && !authInt)
            {
                error = $"qop '{qopList}' offers neither auth nor auth-int";
                return false;
            }
        }
        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = parsed["opaque"],
            Algorithm = algorithm,
            OffersAuth = auth,
            OffersAuthInt = authInt,
            Stale = string.Equals(parsed["stale"], "true", StringComparison.OrdinalIgnoreCase),
            UserHash = string.Equals(parsed["userhash"], "true", StringComparison.OrdinalIgnoreCase),
        };
        return true;
    }

    /// <summary>
    /// The strongest challenge of a response that may carry several, one per algorithm (RFC 8760 §2.4:
    /// the client uses the first it supports in the server's order of preference; servers list the
    /// strongest first, so the strongest wins ties of order).
    /// </summary>
    public static DigestChallenge? SelectStrongest(IEnumerable<DigestChallenge> challenges)
    {
        DigestChallenge? best = null;
        foreach (DigestChallenge challenge in challenges)
        {
            if (best is null || Strength(challenge.Algorithm) > Strength(best.Algorithm))
            {
                best = challenge;
            }
        }
        return best;
    }

    /// <summary>The challenge as a header value, as a server sends it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Digest realm=");
        AuthParams.AppendQuoted(sb, Realm);
        sb.Append(", nonce=");
        AuthParams.AppendQuoted(sb, Nonce);
        if (Opaque is not null)
        {
            sb.Append(", opaque=");
            AuthParams.AppendQuoted(sb, Opaque);
        }
        sb.Append(", algorithm=").Append(DigestAlgorithms.Name(Algorithm));
        if (OffersAuth || OffersAuthInt)
        {
            sb.Append(", qop=\"").Append(OffersAuth && OffersAuthInt ? "auth,auth-int" : OffersAuth ? "auth" : "auth-int").Append('"');
        }
        if (Stale)
        {
            sb.Append(", stale=true");
        }
        if (UserHash)
        {
            sb.Append(", userhash=true");
        }
        return sb.ToString();
    }

    private static int Strength(DigestAlgorithm algorithm) => (int)algorithm / 2;
}
