// Receiving side of SmimeBodyProtector: verify, decrypt and unwrap (RFC 3261 §23.2, §23.4, RFC 8551 §3).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sipwire.UserAgent;

namespace Sipwire.Smime;

public sealed partial class SmimeBodyProtector
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string EnvelopedDataOid = "1.2.840.113549.1.7.3";

    /// <inheritdoc />
    public BodyUnprotectResult Unprotect(string contentType, string? contentDisposition, ReadOnlySpan<byte> body, string fromUri)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return new BodyUnprotectResult { Status = BodyUnprotectStatus.NotProtected, ContentType = contentType ?? string.Empty, ContentDisposition = contentDisposition, Body = body.ToArray() };
        if (!MimeHeaderValue.TryParse(contentType, out MimeHeaderValue? type) || type is null)
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, $"Malformed Content-Type '{contentType}'");
        if (!IsSmime(type.Value))
            return new BodyUnprotectResult { Status = BodyUnprotectStatus.NotProtected, ContentType = contentType, ContentDisposition = contentDisposition, Body = body.ToArray() };
        if (body.Length > _options.MaxBodyLength)
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, $"S/MIME body of {body.Length} octets is too large");

        var state = new UnwrapState(fromUri ?? string.Empty);
        try
        {
            return Unwrap(state, type, contentType, contentDisposition, body.ToArray(), depth: 0);
        }
        catch (SmimeFormatException ex)
        {
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, "Malformed S/MIME body: " + ex.Message);
        }
        catch (CryptographicException ex)
        {
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, "Malformed S/MIME body: " + ex.Message);
        }
        catch (AsnContentException ex)
        {
            // Network input never escapes as an exception (DESIGN.md principle 4).
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, "Malformed S/MIME body: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Malformed, 400, "Malformed S/MIME body: " + ex.Message);
        }
    }

    private static bool IsSmime(string mediaType) => mediaType is "multipart/signed" or "application/pkcs7-mime" or "application/x-pkcs7-mime";

    private BodyUnprotectResult Unwrap(UnwrapState state, MimeHeaderValue type, string contentType, string? disposition, byte[] body, int depth)
    {
        if (!IsSmime(type.Value))
        {
            if (depth == 0) throw new InvalidOperationException("unreachable: checked by the caller");
            return new BodyUnprotectResult
            {
                Status = BodyUnprotectStatus.Unwrapped,
                ContentType = contentType,
                ContentDisposition = disposition,
                Body = body,
                Signature = state.Verdict,
                Signer = state.Signer,
                WasEncrypted = state.Encrypted,
            };
        }
        if (depth == MaxNesting) throw new SmimeFormatException($"S/MIME nested deeper than {MaxNesting} levels");

        if (type.Value == "multipart/signed") return UnwrapMultipartSigned(state, type, disposition, body, depth);

        string? smimeType = type.Get("smime-type")?.ToLowerInvariant();
        byte[] der = DecodeCms(body);
        if (smimeType is null)
        {
            // RFC 8551 §3.2.2: smime-type is optional on old agents; the ContentInfo says what it is.
            smimeType = OuterContentType(der) switch
            {
                SignedDataOid => "signed-data",
                EnvelopedDataOid => "enveloped-data",
                AuthEnvelopedData.ContentTypeOid => "authenveloped-data",
                _ => "unknown",
            };
        }
        switch (smimeType)
        {
            case "enveloped-data":
                return UnwrapEnveloped(state, der, depth);
            case "authenveloped-data":
                return UnwrapAuthEnveloped(state, der, depth);
            case "signed-data":
                return UnwrapOpaqueSigned(state, der, depth);
            case "certs-only":
                return LearnCertificates(state, der);
            default:
                return Unsupported(disposition, $"unsupported smime-type '{smimeType}'");
        }
    }

    private BodyUnprotectResult UnwrapMultipartSigned(UnwrapState state, MimeHeaderValue type, string? disposition, byte[] body, int depth)
    {
        string? protocol = type.Get("protocol")?.ToLowerInvariant();
        // RFC 1847 §2.1: the protocol parameter names the signature type; we know CMS only.
        if (protocol is not ("application/pkcs7-signature" or "application/x-pkcs7-signature"))
            return Unsupported(disposition, $"unsupported multipart/signed protocol '{protocol}'");
        string boundary = type.Get("boundary") ?? throw new SmimeFormatException("multipart/signed without a boundary parameter");
        List<Range> parts = MultipartReader.Split(body, boundary);
        if (parts.Count != 2) throw new SmimeFormatException($"multipart/signed has {parts.Count} parts instead of 2");
        byte[] signedContent = body[parts[0]];
        MimeEntity signaturePart = MimeEntity.Parse(body.AsSpan(parts[1]));
        if (!MimeHeaderValue.TryParse(signaturePart.ContentType, out MimeHeaderValue? sigType) || sigType is null
            || sigType.Value is not ("application/pkcs7-signature" or "application/x-pkcs7-signature"))
            throw new SmimeFormatException("the second part of multipart/signed is not application/pkcs7-signature");

        var cms = new SignedCms(new ContentInfo(signedContent), detached: true);
        cms.Decode(signaturePart.DecodeBody());
        BodyUnprotectResult? rejected = Verify(state, cms);
        if (rejected is not null) return rejected;
        return UnwrapEntity(state, signedContent, depth);
    }

    private BodyUnprotectResult UnwrapOpaqueSigned(UnwrapState state, byte[] der, int depth)
    {
        var cms = new SignedCms();
        cms.Decode(der);
        if (cms.Detached) throw new SmimeFormatException("signed-data in application/pkcs7-mime carries no content");
        BodyUnprotectResult? rejected = Verify(state, cms);
        if (rejected is not null) return rejected;
        return UnwrapEntity(state, cms.ContentInfo.Content, depth);
    }

    private BodyUnprotectResult UnwrapEnveloped(UnwrapState state, byte[] der, int depth)
    {
        var cms = new EnvelopedCms();
        cms.Decode(der);
        try
        {
            cms.Decrypt([_options.Certificate]);
        }
        catch (CryptographicException ex)
        {
            // RFC 3261 §23.2 / §21.4.25: a body we cannot decrypt gets 493; a UAS should add the certificate
            // it wants to be encrypted to (left to the UA layer: it owns the response).
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.Undecipherable, 493, "Undecipherable: " + ex.Message);
        }
        state.Encrypted = true;
        return UnwrapEntity(state, cms.ContentInfo.Content, depth);
    }

    // RFC 3261 §23.2: a 493 may carry the respondent's certificate; it is kept for the far end's AoR when it
    // chains to a trust anchor and names that AoR, so the next request can be encrypted to it.
    private BodyUnprotectResult LearnCertificates(UnwrapState state, byte[] der)
    {
        var cms = new SignedCms();
        cms.Decode(der);
        string? aor = CertificateIdentity.AddressOfRecord(state.FromUri);
        int learned = 0;
        foreach (X509Certificate2 c in cms.Certificates)
        {
            if (aor is null || !CertificateIdentity.Matches(CertificateIdentity.GetIdentities(c), aor) || !ChainsToAnchor(c, cms.Certificates)) continue;
            Learn(aor, c);
            learned++;
        }
        return new BodyUnprotectResult
        {
            Status = BodyUnprotectStatus.Unwrapped,
            Reason = $"certs-only: {learned} of {cms.Certificates.Count} certificates kept for '{state.FromUri}'",
        };
    }

    private BodyUnprotectResult UnwrapAuthEnveloped(UnwrapState state, byte[] der, int depth)
    {
        byte[]? content = AuthEnvelopedData.Decrypt(der, _options.Certificate);
        // RFC 3261 §21.4.25: not encrypted to us, or our key does not open it.
        if (content is null) return BodyUnprotectResult.Reject(BodyUnprotectStatus.Undecipherable, 493, "Undecipherable: no recipient key of ours opens the body");
        state.Encrypted = true;
        return UnwrapEntity(state, content, depth);
    }

    private BodyUnprotectResult UnwrapEntity(UnwrapState state, byte[] entityBytes, int depth)
    {
        MimeEntity entity = MimeEntity.Parse(entityBytes);
        string innerType = entity.ContentType;
        if (!MimeHeaderValue.TryParse(innerType, out MimeHeaderValue? parsed) || parsed is null)
            throw new SmimeFormatException($"the protected entity has a malformed Content-Type '{innerType}'");
        // Nested multipart/signed is verified over its raw octets, so it keeps its transfer encoding
        // (parts carry their own); everything else is handed over decoded.
        byte[] innerBody = parsed.Value == "multipart/signed" ? entity.Body : entity.DecodeBody();
        return Unwrap(state, parsed, innerType, entity.Get("Content-Disposition"), innerBody, depth + 1);
    }

    // Returns a rejection when the signature itself does not verify; sets the verdict otherwise.
    private BodyUnprotectResult? Verify(UnwrapState state, SignedCms cms)
    {
        if (cms.SignerInfos.Count == 0) throw new SmimeFormatException("signed-data without a signer");
        SignerInfo signerInfo = cms.SignerInfos[0];
        var extra = new X509Certificate2Collection();
        extra.AddRange(_options.PeerCertificates);
        X509Certificate2? certificate = signerInfo.Certificate ?? FindBySubjectIdentifier(signerInfo.SignerIdentifier, extra);
        if (certificate is null)
        {
            // Without the certificate the signature cannot even be checked: report, do not reject (§23.2 leaves
            // it to the user).
            SetVerdict(state, SignatureVerdict.Untrusted, null);
            return null;
        }
        try
        {
            cms.CheckSignature(extra, verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            state.Verdict = SignatureVerdict.Invalid;
            return BodyUnprotectResult.Reject(BodyUnprotectStatus.SignatureInvalid, 400, "S/MIME signature does not verify");
        }

        List<string> identities = CertificateIdentity.GetIdentities(certificate);
        string signer = string.Join(", ", identities);
        if (!ChainsToAnchor(certificate, cms.Certificates))
        {
            SetVerdict(state, SignatureVerdict.Untrusted, signer);
            return null;
        }
        string? aor = CertificateIdentity.AddressOfRecord(state.FromUri);
        // RFC 3261 §23.2: the subjectAltName must name the AoR in From; a mismatch is reported to the user.
        if (aor is null || !CertificateIdentity.Matches(identities, aor))
        {
            SetVerdict(state, SignatureVerdict.SignerMismatch, signer);
            return null;
        }
        SetVerdict(state, SignatureVerdict.Valid, signer);
        Learn(aor, certificate);
        return null;
    }

    // With several signatures (signed inside encrypted inside signed) the weakest verdict wins.
    private static void SetVerdict(UnwrapState state, SignatureVerdict verdict, string? signer)
    {
        if (state.Verdict == SignatureVerdict.None || verdict > state.Verdict)
        {
            state.Verdict = verdict;
            state.Signer = signer;
        }
    }

    private bool ChainsToAnchor(X509Certificate2 certificate, X509Certificate2Collection messageCertificates)
    {
        if (_options.TrustAnchors.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_options.TrustAnchors);
        chain.ChainPolicy.ExtraStore.AddRange(_options.IntermediateCertificates);
        chain.ChainPolicy.ExtraStore.AddRange(messageCertificates);
        // A phone has no path to CRLs or OCSP responders on its signalling path; revocation is the
        // operator's job (short-lived certificates).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _options.Clock().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate);
    }

    private static X509Certificate2? FindBySubjectIdentifier(SubjectIdentifier id, X509Certificate2Collection candidates)
    {
        foreach (X509Certificate2 c in candidates)
        {
            if (id.MatchesCertificate(c)) return c;
        }
        return null;
    }

    // RFC 3261 §20.11: handling=required (the default) makes an unknown body type fatal (415); handling=optional
    // lets the recipient ignore the body.
    private static BodyUnprotectResult Unsupported(string? disposition, string reason)
    {
        if (MimeHeaderValue.TryParse(disposition, out MimeHeaderValue? d) && d is not null
            && string.Equals(d.Get("handling"), "optional", StringComparison.OrdinalIgnoreCase))
        {
            return new BodyUnprotectResult { Status = BodyUnprotectStatus.NotProtected, Reason = "Ignored optional body: " + reason };
        }
        return BodyUnprotectResult.Reject(BodyUnprotectStatus.Unsupported, 415, "Unsupported Media Type: " + reason);
    }

    // SIP bodies are binary (RFC 3261 §23.4); agents that base64 them anyway are understood: DER always
    // starts with a SEQUENCE tag (0x30), base64 text never with that octet followed by a length octet >= 0x80.
    private static byte[] DecodeCms(byte[] body)
    {
        if (body.Length >= 2 && body[0] == 0x30 && body[1] >= 0x80) return body;
        try
        {
            return Convert.FromBase64String(Encoding.ASCII.GetString(body));
        }
        catch (FormatException)
        {
            throw new SmimeFormatException("application/pkcs7-mime body is neither DER nor base64");
        }
    }

    // RFC 5652 §3: ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }.
    // (ContentInfo.GetContentType rejects types EnvelopedCms does not know, such as authEnvelopedData.)
    private static string OuterContentType(byte[] der)
    {
        try
        {
            return new AsnReader(der, AsnEncodingRules.BER).ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw new SmimeFormatException("application/pkcs7-mime body is not a CMS ContentInfo");
        }
    }

    private sealed class UnwrapState(string fromUri)
    {
        public string FromUri { get; } = fromUri;
        public SignatureVerdict Verdict { get; set; }
        public string? Signer { get; set; }
        public bool Encrypted { get; set; }
    }
}
