// SPDX-License-Identifier: MIT
// The digest algorithms of RFC 7616 §3.5 / RFC 8760, and their session variants.

using System.Diagnostics.CodeAnalysis;

namespace Sipwire.Auth;

/// <summary>A digest algorithm (RFC 7616 §6.1 registry). Weakest first; a client picks the strongest offered (RFC 8760 §2.4).</summary>
public enum DigestAlgorithm
{
    /// <summary>MD5: the RFC 3261 default when a challenge names no algorithm.</summary>
    Md5 = 0,

    /// <summary>MD5-sess.</summary>
    Md5Sess = 1,

    /// <summary>SHA-256 (RFC 8760 §2.2).</summary>
    Sha256 = 2,

    /// <summary>SHA-256-sess.</summary>
    Sha256Sess = 3,

    /// <summary>SHA-512-256: SHA-512/256 of FIPS 180-4 (RFC 8760 §2.2).</summary>
    [SuppressMessage("Naming", "CA1707", Justification = "The RFC name is SHA-512-256.")]
    Sha512_256 = 4,

    /// <summary>SHA-512-256-sess.</summary>
    [SuppressMessage("Naming", "CA1707", Justification = "The RFC name is SHA-512-256-sess.")]
    Sha512_256Sess = 5,
}
