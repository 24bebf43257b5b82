// The protected form of an outgoing body, or why it could not be protected.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>Result of <see cref="IBodyProtector.Protect"/>: the Content-Type, optional Content-Disposition and
/// body to put into the SIP message, or an error that names what is missing (e.g. no certificate for the peer).</summary>
public sealed record BodyProtectResult
{
    /// <summary>True when <see cref="ContentType"/> and <see cref="Body"/> hold the protected body.</summary>
    public bool Success { get; init; }

    /// <summary>Content-Type header value of the protected body ("multipart/signed; ...", "application/pkcs7-mime; ...").</summary>
    public string ContentType { get; init; } = string.Empty;

    /// <summary>Content-Disposition header value for the SIP message, or null when none is needed.</summary>
    public string? ContentDisposition { get; init; }

    /// <summary>The protected body octets.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>Why protection failed; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>A failed result with <paramref name="error"/>.</summary>
    public static BodyProtectResult Failed(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new BodyProtectResult { Success = false, Error = error };
    }
}
