// Sending side of SmimeBodyProtector: sign (RFC 8551 §3.5), encrypt (§3.3), sign-then-encrypt (RFC 3261 §23.4.3).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sipwire.UserAgent;

namespace Sipwire.Smime;

public sealed partial class SmimeBodyProtector
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    private const string Aes128CbcOid = "2.16.840.1.101.3.4.1.2";
    private const string Aes256CbcOid = "2.16.840.1.101.3.4.1.42";
    private const string P7mDisposition = "attachment; filename=smime.p7m; handling=required";

    /// <inheritdoc />
    public BodyProtectResult Protect(BodyProtection protection, string contentType, ReadOnlySpan<byte> body, string localUri, string remoteUri)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MimeHeaderValue.TryParse(contentType, out _))
            return BodyProtectResult.Failed($"'{contentType}' is not a valid Content-Type");
        if ((protection & ~BodyProtection.SignAndEncrypt) != 0) return BodyProtectResult.Failed($"unknown protection {protection}");
        if (body.Length > _options.MaxBodyLength) return BodyProtectResult.Failed($"the body is {body.Length} octets, above MaxBodyLength {_options.MaxBodyLength}");
        if (protection == BodyProtection.None)
            return new BodyProtectResult { Success = true, ContentType = contentType, Body = body.ToArray() };

        X509Certificate2? recipient = null;
        if ((protection & BodyProtection.Encrypt) != 0)
        {
            recipient = FindPeerCertificate(remoteUri ?? string.Empty);
            // RFC 3261 §23.3: without the peer's certificate we cannot encrypt; we never fall back to clear text.
            if (recipient is null) return BodyProtectResult.Failed($"no certificate for '{remoteUri}' to encrypt to");
        }

        try
        {
            // RFC 3261 §23.4.1: what is protected is a MIME entity - the body with its Content-Type header.
            byte[] entity = MimeEntity.Write([new("Content-Type", contentType)], MimeEntity.Canonicalize(contentType, body));
            string outerType = contentType;
            string? outerDisposition = null;
            byte[] outer = entity;

            if ((protection & BodyProtection.Sign) != 0)
            {
                (outerType, outerDisposition, outer) = _options.SignatureFormat == SmimeSignatureFormat.MultipartSigned
                    ? SignMultipart(entity)
                    : SignOpaque(entity);
                entity = outer;
            }

            if (recipient is not null)
            {
                // Sign-then-encrypt (RFC 3261 §23.4.3): the signed MIME entity, headers included, becomes the
                // content of EnvelopedData, so the signature is hidden from the proxies too.
                byte[] inner = (protection & BodyProtection.Sign) != 0 ? SignedEntity(outerType, outerDisposition, outer) : entity;
                if (_options.ContentEncryption is SmimeContentEncryption.Aes128Gcm or SmimeContentEncryption.Aes256Gcm)
                {
                    // RFC 8551 §3.2.2: smime-type=authEnveloped-data.
                    outer = AuthEnvelopedData.Encrypt(inner, recipient, _options.ContentEncryption == SmimeContentEncryption.Aes256Gcm ? 32 : 16);
                    outerType = "application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m";
                }
                else
                {
                    outer = Encrypt(inner, recipient);
                    outerType = "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m";
                }
                outerDisposition = P7mDisposition;
            }

            return new BodyProtectResult { Success = true, ContentType = outerType, ContentDisposition = outerDisposition, Body = outer };
        }
        catch (CryptographicException ex)
        {
            return BodyProtectResult.Failed("CMS failed: " + ex.Message);
        }
    }

    /// <inheritdoc />
    public BodyProtectResult CertificatesOnly()
    {
        var certificates = new X509Certificate2Collection(_options.Certificate);
        certificates.AddRange(_options.IntermediateCertificates);
        // RFC 8551 §3.6: smime-type=certs-only, file extension .p7c.
        return new BodyProtectResult
        {
            Success = true,
            ContentType = "application/pkcs7-mime; smime-type=certs-only; name=smime.p7c",
            ContentDisposition = "attachment; filename=smime.p7c; handling=optional",
            Body = CertsOnly.Encode(certificates),
        };
    }

    private (string ContentType, string? Disposition, byte[] Body) SignMultipart(byte[] entity)
    {
        byte[] signature = Sign(entity, detached: true);
        string boundary = NewBoundary(entity);
        var sb = new StringBuilder();
        var body = new List<byte>(entity.Length + signature.Length * 2 + 256);
        body.AddRange(Encoding.ASCII.GetBytes("--" + boundary + "\r\n"));
        body.AddRange(entity);
        // RFC 8551 §3.5.3: the second part is application/pkcs7-signature; RFC 3261 §23.4.1.1 marks it
        // handling=required so that a UA without S/MIME knows it is not optional decoration.
        sb.Append("\r\n--").Append(boundary).Append("\r\n")
          .Append("Content-Type: application/pkcs7-signature; name=smime.p7s\r\n")
          .Append("Content-Transfer-Encoding: ").Append(TransferEncodingName).Append("\r\n")
          .Append("Content-Disposition: attachment; filename=smime.p7s; handling=required\r\n\r\n");
        body.AddRange(Encoding.ASCII.GetBytes(sb.ToString()));
        body.AddRange(EncodeForPart(signature));
        body.AddRange(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n"));
        // RFC 8551 §3.5.3.2: micalg names the digest; protocol must be quoted (it contains '/').
        string type = "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=" + MimeHeaderValue.QuoteIfNeeded(boundary);
        return (type, null, body.ToArray());
    }

    private (string ContentType, string? Disposition, byte[] Body) SignOpaque(byte[] entity) =>
        ("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m", P7mDisposition, Sign(entity, detached: false));

    private byte[] Sign(byte[] entity, bool detached)
    {
        var cms = new SignedCms(new ContentInfo(entity), detached);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _options.Certificate)
        {
            // RFC 8551 §2.1: SHA-256 is the digest every receiving agent must support.
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        // The certificate travels with the signature so a peer can verify and learn it (RFC 3261 §23.2).
        signer.Certificates.AddRange(_options.IntermediateCertificates);
        // RFC 8551 §2.5.1: sending agents should include the signing time.
        signer.SignedAttributes.Add(new Pkcs9SigningTime(_options.Clock().UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private byte[] Encrypt(byte[] content, X509Certificate2 recipient)
    {
        string oid = _options.ContentEncryption == SmimeContentEncryption.Aes256Cbc ? Aes256CbcOid : Aes128CbcOid;
        var cms = new EnvelopedCms(new ContentInfo(content), new AlgorithmIdentifier(new Oid(oid)));
        // RFC 8551 §2.3: RSA key transport (RSAES-PKCS1-v1_5) is what every receiving agent must support.
        cms.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recipient));
        return cms.Encode();
    }

    private byte[] SignedEntity(string contentType, string? disposition, byte[] body)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", contentType) };
        if (disposition is not null) headers.Add(new("Content-Disposition", disposition));
        if (contentType.StartsWith("application/pkcs7-mime", StringComparison.Ordinal))
        {
            headers.Add(new("Content-Transfer-Encoding", TransferEncodingName));
            return MimeEntity.Write(headers, EncodeForPart(body));
        }
        return MimeEntity.Write(headers, body);
    }

    private string TransferEncodingName => _options.TransferEncoding == SmimeTransferEncoding.Base64 ? "base64" : "binary";

    private byte[] EncodeForPart(byte[] der)
    {
        if (_options.TransferEncoding == SmimeTransferEncoding.Binary) return der;
        // RFC 2045 §6.8: base64 lines of at most 76 characters.
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks));
    }

    private static string NewBoundary(ReadOnlySpan<byte> content)
    {
        while (true)
        {
            string boundary = "sipwire-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            // RFC 2046 §5.1.1: the boundary must not occur in the encapsulated content.
            if (content.IndexOf(Encoding.ASCII.GetBytes(boundary)) < 0) return boundary;
        }
    }
}
