// Keys, trust anchors, peer certificates and formats of an S/MIME body protector.
// SPDX-License-Identifier: MIT

using System;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Smime;

/// <summary>Configuration of <see cref="SmimeBodyProtector"/>.</summary>
public sealed class SmimeOptions
{
    /// <summary>Our certificate with its private key: signs what we send and opens what is encrypted to us.
    /// Its subjectAltName should carry our AoR as a URI (RFC 3261 §23.2).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Trust anchors (root CAs) that a signer's certificate must chain to. Only these are trusted,
    /// never the host's certificate store: a device decides whom it trusts.</summary>
    public X509Certificate2Collection TrustAnchors { get; init; } = [];

    /// <summary>Intermediate certificates sent with our signatures and used to build peers' chains.</summary>
    public X509Certificate2Collection IntermediateCertificates { get; init; } = [];

    /// <summary>Certificates of peers we encrypt to, found by the AoR in their subjectAltName. Certificates of
    /// peers whose signed bodies verified are learned too (RFC 3261 §23.2: certificates may be cached by AoR).</summary>
    public X509Certificate2Collection PeerCertificates { get; init; } = [];

    /// <summary>Most learned peer certificates kept (oldest dropped first).</summary>
    public int MaxLearnedCertificates { get; init; } = 64;

    /// <summary>Packaging of signatures; multipart/signed by default.</summary>
    public SmimeSignatureFormat SignatureFormat { get; init; } = SmimeSignatureFormat.MultipartSigned;

    /// <summary>Content encryption; AES-128-CBC by default.</summary>
    public SmimeContentEncryption ContentEncryption { get; init; } = SmimeContentEncryption.Aes128Cbc;

    /// <summary>Transfer encoding of CMS octets inside MIME parts; binary by default (RFC 3261 §23.4).</summary>
    public SmimeTransferEncoding TransferEncoding { get; init; } = SmimeTransferEncoding.Binary;

    /// <summary>Clock for certificate validity and the signing-time attribute; the wall clock by default.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = static () => DateTimeOffset.UtcNow;

    /// <summary>Largest protected body accepted (octets).</summary>
    public int MaxBodyLength { get; init; } = 64 * 1024;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Certificate);
        if (!Certificate.HasPrivateKey) throw new ArgumentException("SmimeOptions.Certificate must carry its private key.");
        ArgumentNullException.ThrowIfNull(TrustAnchors);
        ArgumentNullException.ThrowIfNull(IntermediateCertificates);
        ArgumentNullException.ThrowIfNull(PeerCertificates);
        ArgumentNullException.ThrowIfNull(Clock);
        if (MaxLearnedCertificates < 0) throw new ArgumentException("MaxLearnedCertificates must not be negative.");
        if (MaxBodyLength < 256) throw new ArgumentException("MaxBodyLength must be at least 256 octets.");
        if (!Enum.IsDefined(SignatureFormat)) throw new ArgumentException($"Unknown signature format {SignatureFormat}.");
        if (!Enum.IsDefined(ContentEncryption)) throw new ArgumentException($"Unknown content encryption {ContentEncryption}.");
        if (!Enum.IsDefined(TransferEncoding)) throw new ArgumentException($"Unknown transfer encoding {TransferEncoding}.");
    }
}
