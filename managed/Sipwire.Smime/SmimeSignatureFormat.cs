// How a signed body is packaged (RFC 8551 §3.5).
// SPDX-License-Identifier: MIT

namespace Sipwire.Smime;

/// <summary>Packaging of a signature.</summary>
public enum SmimeSignatureFormat
{
    /// <summary>multipart/signed with a detached application/pkcs7-signature part (RFC 8551 §3.5.3, RFC 1847);
    /// the content stays readable by peers without S/MIME (RFC 3261 §23.4.1.1).</summary>
    MultipartSigned = 0,

    /// <summary>application/pkcs7-mime; smime-type=signed-data: the content inside the CMS object (RFC 8551 §3.5.2).</summary>
    Opaque = 1,
}
