// SPDX-License-Identifier: MIT
// Names of the digest algorithms on the wire, and what each one hashes with.

using System;

namespace Sipwire.Auth;

/// <summary>Wire names and properties of <see cref="DigestAlgorithm"/>.</summary>
public static class DigestAlgorithms
{
    /// <summary>The token as written in challenges and credentials (RFC 7616 §3.3).</summary>
    public static string Name(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        DigestAlgorithm.Sha512_256 => "SHA-512-256",
        DigestAlgorithm.Sha512_256Sess => "SHA-512-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses an algorithm token, case-insensitively (RFC 7616 §3.3); false for unknown ones.</summary>
    public static bool TryParse(string token, out DigestAlgorithm algorithm)
    {
        foreach (DigestAlgorithm candidate in Enum.GetValues<DigestAlgorithm>())
        {
            if (string.Equals(Name(candidate), token, StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }
        algorithm = DigestAlgorithm.Md5;
        return false;
    }

    /// <summary>True for the -sess variants, whose A1 includes the nonce and cnonce (RFC 7616 §3.4.2).</summary>
    public static bool IsSession(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess or DigestAlgorithm.Sha512_256Sess;
}
