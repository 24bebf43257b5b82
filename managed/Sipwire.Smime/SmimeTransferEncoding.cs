// Content-Transfer-Encoding of CMS objects inside MIME parts.
// SPDX-License-Identifier: MIT

namespace Sipwire.Smime;

/// <summary>Transfer encoding of CMS octets inside MIME parts (the signature part of multipart/signed, the
/// signed entity inside an encrypted one). The top-level SIP body is always binary: SIP is 8-bit clean (RFC 3261 §7.4, §23.4).</summary>
public enum SmimeTransferEncoding
{
    /// <summary>Content-Transfer-Encoding: binary, as in the examples of RFC 3261 §23.4.</summary>
    Binary = 0,

    /// <summary>Content-Transfer-Encoding: base64 (RFC 2045 §6.8), what e-mail S/MIME agents expect.</summary>
    Base64 = 1,
}
