// Content-encryption algorithm of enveloped bodies (RFC 3565, RFC 8551 §2.7).
// SPDX-License-Identifier: MIT

namespace Sipwire.Smime;

/// <summary>Content-encryption algorithm for EnvelopedData.</summary>
public enum SmimeContentEncryption
{
    /// <summary>AES-128 in CBC mode (id-aes128-CBC, RFC 3565 §2.1).</summary>
    Aes128Cbc = 0,

    /// <summary>AES-256 in CBC mode (id-aes256-CBC, RFC 3565 §2.1).</summary>
    Aes256Cbc = 1,
}
