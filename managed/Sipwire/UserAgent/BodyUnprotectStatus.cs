// Outcome of unwrapping a received body with an IBodyProtector.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>How a received body was handled; every value except <see cref="NotProtected"/> and
/// <see cref="Unwrapped"/> means the request is answered with <see cref="BodyUnprotectResult.SipStatus"/>.</summary>
public enum BodyUnprotectStatus
{
    /// <summary>The body carried no S/MIME protection; it is returned as received.</summary>
    NotProtected = 0,

    /// <summary>The body was verified and/or decrypted; the inner content is returned.</summary>
    Unwrapped = 1,

    /// <summary>The body claims S/MIME but is not well formed (400, RFC 3261 §21.4.1).</summary>
    Malformed = 2,

    /// <summary>The body is encrypted and we hold no key that opens it (493, RFC 3261 §21.4.25, §23.2).</summary>
    Undecipherable = 3,

    /// <summary>The signature does not verify (altered body or signature): rejected with 400.</summary>
    SignatureInvalid = 4,

    /// <summary>An S/MIME type we do not support, marked handling=required (415, RFC 3261 §20.11, §21.4.13).</summary>
    Unsupported = 5,
}
