// Contract for end-to-end body protection (S/MIME, RFC 3261 §23) the UA core calls without depending on CMS.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>
/// Protects outgoing bodies (MESSAGE content, SDP offers and answers) and unwraps incoming ones.
/// Implemented by Sipwire.Smime (CMS through System.Security.Cryptography.Pkcs), so libsipwire can be
/// built without it. Implementations never throw for bad input: failures come back as results.
/// </summary>
public interface IBodyProtector
{
    /// <summary>Protects <paramref name="body"/> of type <paramref name="contentType"/> sent from
    /// <paramref name="localUri"/> to <paramref name="remoteUri"/> (whose certificate encryption uses).</summary>
    BodyProtectResult Protect(BodyProtection protection, string contentType, ReadOnlySpan<byte> body, string localUri, string remoteUri);

    /// <summary>Verifies and/or decrypts a received body. <paramref name="fromUri"/> is the far end's
    /// address of record - the From URI of a request, the To URI of a response - which the signer's
    /// certificate must name (§23.2). A body without S/MIME comes back with <see cref="BodyUnprotectStatus.NotProtected"/>.</summary>
    BodyUnprotectResult Unprotect(string contentType, string? contentDisposition, ReadOnlySpan<byte> body, string fromUri);

    /// <summary>Our certificate as a body for a 493 Undecipherable (RFC 3261 §23.2: "certs-only"), so the peer can
    /// encrypt to us next time; a result without success when there is none to give.</summary>
    BodyProtectResult CertificatesOnly();
}
