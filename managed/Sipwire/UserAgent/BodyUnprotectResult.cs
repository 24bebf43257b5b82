// The inner body of a received message after S/MIME verification and decryption, with the verdict.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>Result of <see cref="IBodyProtector.Unprotect"/>. Plain data so the C ABI can map it field by field.</summary>
public sealed record BodyUnprotectResult
{
    /// <summary>What happened.</summary>
    public BodyUnprotectStatus Status { get; init; }

    /// <summary>The response code the request should get when <see cref="IsRejected"/> (400, 415, 493); 0 otherwise.</summary>
    public int SipStatus { get; init; }

    /// <summary>Human-readable reason (used as the reason phrase or Warning text of a rejection).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Content-Type of the inner body (the original one when not protected).</summary>
    public string ContentType { get; init; } = string.Empty;

    /// <summary>Content-Disposition of the inner body, or null.</summary>
    public string? ContentDisposition { get; init; }

    /// <summary>The inner body.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>The signature verdict (<see cref="SignatureVerdict.None"/> when the body was not signed).</summary>
    public SignatureVerdict Signature { get; init; }

    /// <summary>Identities of the signer's certificate (subjectAltName URIs and e-mail addresses), comma separated; null when unsigned.</summary>
    public string? Signer { get; init; }

    /// <summary>True when the body was encrypted to us.</summary>
    public bool WasEncrypted { get; init; }

    /// <summary>True when the request must be rejected with <see cref="SipStatus"/>.</summary>
    public bool IsRejected => Status is not (BodyUnprotectStatus.NotProtected or BodyUnprotectStatus.Unwrapped);

    /// <summary>A rejection with <paramref name="status"/>, <paramref name="sipStatus"/> and <paramref name="reason"/>.</summary>
    public static BodyUnprotectResult Reject(BodyUnprotectStatus status, int sipStatus, string reason) =>
        new() { Status = status, SipStatus = sipStatus, Reason = reason };
}
