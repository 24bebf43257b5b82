// What a received body's signature says about its sender (RFC 3261 §23.2, §23.4.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The verdict on the signature of a received body; delivered to the application as data.</summary>
public enum SignatureVerdict
{
    /// <summary>The body was not signed.</summary>
    None = 0,

    /// <summary>The signature verifies, the certificate chains to a trust anchor and names the From AoR.</summary>
    Valid = 1,

    /// <summary>The signature verifies, but the certificate does not chain to a configured trust anchor (or has expired).</summary>
    Untrusted = 2,

    /// <summary>The signature verifies and chains, but no subjectAltName of the certificate matches the From AoR (§23.2).</summary>
    SignerMismatch = 3,

    /// <summary>The signature does not verify: the body or the signature was altered. Such a body is never delivered.</summary>
    Invalid = 4,
}
