// Content-encryption algorithm of encrypted bodies (RFC 3565, RFC 5084, RFC 8551 §2.7).
// SPDX-License-Identifier: MIT

namespace Sipwire.Smime;

/// <summary>Content-encryption algorithm: CBC in EnvelopedData, GCM in AuthEnvelopedData.</summary>
public enum SmimeContentEncryption
{
    /// <summary>AES-128 in CBC mode (id-aes128-CBC, RFC 3565 §2.1): the default, since RFC 3853 made it the algorithm
    /// every S/MIME-capable SIP UA supports (in place of 3DES in RFC 3261 §23), so any SIP peer can open it.</summary>
    Aes128Cbc = 0,

    /// <summary>AES-256 in CBC mode (id-aes256-CBC, RFC 3565 §2.1).</summary>
    Aes256Cbc = 1,

    /// <summary>AES-128-GCM in AuthEnvelopedData (RFC 5083, RFC 5084): integrity without a signature.
    /// RFC 8551 §2.7 makes AES-GCM the algorithm every S/MIME 4.0 agent must support; older SIP peers may know only CBC.</summary>
    Aes128Gcm = 2,

    /// <summary>AES-256-GCM in AuthEnvelopedData (RFC 5083, RFC 5084).</summary>
    Aes256Gcm = 3,
}
