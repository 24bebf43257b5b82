// CMS AuthEnvelopedData (RFC 5083) with AES-GCM (RFC 5084) and RSA key transport, which EnvelopedCms lacks.
// SPDX-License-Identifier: MIT

using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Smime;

/// <summary>Builds and opens id-ct-authEnvelopedData with one key-transport recipient.</summary>
internal static class AuthEnvelopedData
{
    public const string ContentTypeOid = "1.2.840.113549.1.9.16.1.23";
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string Aes128GcmOid = "2.16.840.1.101.3.4.1.6";
    private const string Aes256GcmOid = "2.16.840.1.101.3.4.1.46";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string RsaOaepOid = "1.2.840.113549.1.1.7";
    private const string Sha1Oid = "1.3.14.3.2.26";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    private const string Sha384Oid = "2.16.840.1.101.3.4.2.2";
    private const string Sha512Oid = "2.16.840.1.101.3.4.2.3";
    private const int NonceLength = 12; // RFC 5084 §3.2: a 12-octet nonce is recommended
    private const int TagLength = 16;

    /// <summary>Encrypts <paramref name="content"/> for <paramref name="recipient"/> with AES-GCM of <paramref name="keyBytes"/> octets.</summary>
    public static byte[] Encrypt(byte[] content, X509Certificate2 recipient, int keyBytes)
    {
        using RSA rsa = recipient.GetRSAPublicKey() ?? throw new CryptographicException("the recipient certificate has no RSA key (key agreement is not supported)");
        byte[] cek = RandomNumberGenerator.GetBytes(keyBytes);
        byte[] nonce = RandomNumberGenerator.GetBytes(NonceLength);
        byte[] cipher = new byte[content.Length];
        byte[] tag = new byte[TagLength];
        try
        {
            using (var gcm = new AesGcm(cek, TagLength))
            {
                // RFC 5083 §2.2: without authAttrs the additional authenticated data is empty.
                gcm.Encrypt(nonce, content, cipher, tag);
            }
            // RFC 8551 §2.3: RSAES-PKCS1-v1_5 key transport, what every receiving agent supports.
            byte[] encryptedKey = rsa.Encrypt(cek, RSAEncryptionPadding.Pkcs1);

            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(ContentTypeOid);
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (w.PushSequence())
                {
                    w.WriteInteger(0); // RFC 5083 §2.1: version is always 0
                    using (w.PushSetOf())
                    using (w.PushSequence())
                    {
                        // RFC 5652 §6.2.1: KeyTransRecipientInfo, version 0 with issuerAndSerialNumber.
                        w.WriteInteger(0);
                        using (w.PushSequence())
                        {
                            w.WriteEncodedValue(recipient.IssuerName.RawData);
                            w.WriteInteger(recipient.SerialNumberBytes.Span);
                        }
                        using (w.PushSequence())
                        {
                            w.WriteObjectIdentifier(RsaEncryptionOid);
                            w.WriteNull();
                        }
                        w.WriteOctetString(encryptedKey);
                    }
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier(DataOid);
                        using (w.PushSequence())
                        {
                            w.WriteObjectIdentifier(keyBytes == 32 ? Aes256GcmOid : Aes128GcmOid);
                            using (w.PushSequence())
                            {
                                // RFC 5084 §3.2: GCMParameters ::= SEQUENCE { aes-nonce, aes-ICVlen DEFAULT 12 }
                                w.WriteOctetString(nonce);
                                w.WriteInteger(TagLength);
                            }
                        }
                        w.WriteOctetString(cipher, new Asn1Tag(TagClass.ContextSpecific, 0));
                    }
                    w.WriteOctetString(tag);
                }
            }
            return w.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
    }

    /// <summary>Opens <paramref name="der"/> with <paramref name="self"/>'s private key. Returns null when no
    /// recipient is us or our key does not open the content-encryption key (→ 493).</summary>
    /// <exception cref="SmimeFormatException">Not well formed, or the authentication tag does not match (altered).</exception>
    public static byte[]? Decrypt(byte[] der, X509Certificate2 self)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.BER);
            AsnReader contentInfo = outer.ReadSequence();
            if (contentInfo.ReadObjectIdentifier() != ContentTypeOid) throw new SmimeFormatException("not id-ct-authEnvelopedData");
            AsnReader explicitContent = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            AsnReader aed = explicitContent.ReadSequence();
            if (!aed.TryReadInt32(out int version) || version != 0) throw new SmimeFormatException("AuthEnvelopedData version is not 0");
            if (aed.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0))) aed.ReadEncodedValue(); // originatorInfo
            AsnReader recipients = aed.ReadSetOf();
            byte[]? cek = null;
            while (recipients.HasData && cek is null)
            {
                Asn1Tag tag = recipients.PeekTag();
                if (!tag.HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    recipients.ReadEncodedValue(); // kari [1], kekri [2], pwri [3], ori [4]: not ours
                    continue;
                }
                cek = TryKeyTransport(recipients.ReadSequence(), self);
            }
            AsnReader eci = aed.ReadSequence();
            eci.ReadObjectIdentifier(); // the inner content type (id-data)
            AsnReader algorithm = eci.ReadSequence();
            string algorithmOid = algorithm.ReadObjectIdentifier();
            int keyBytes = algorithmOid switch
            {
                Aes128GcmOid => 16,
                Aes256GcmOid => 32,
                _ => throw new SmimeFormatException($"unsupported authenticated content encryption {algorithmOid}"),
            };
            AsnReader gcmParameters = algorithm.ReadSequence();
            byte[] nonce = gcmParameters.ReadOctetString();
            int icvLength = 12;
            if (gcmParameters.HasData && !gcmParameters.TryReadInt32(out icvLength)) throw new SmimeFormatException("bad aes-ICVlen");
            if (icvLength is < 12 or > 16 || nonce.Length == 0) throw new SmimeFormatException("bad GCM parameters");
            byte[] cipher = eci.HasData ? eci.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0)) : throw new SmimeFormatException("AuthEnvelopedData without content");
            byte[] aad = [];
            if (aed.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            {
                // RFC 5083 §2.2: the AAD is the DER of authAttrs with the SET OF tag in place of [1].
                ReadOnlyMemory<byte> attrs = aed.ReadEncodedValue();
                aad = attrs.ToArray();
                aad[0] = 0x31;
            }
            byte[] mac = aed.ReadOctetString();
            if (mac.Length != icvLength) throw new SmimeFormatException("the mac length differs from aes-ICVlen");
            if (cek is null) return null;
            if (cek.Length != keyBytes) return null; // a key of the wrong size is a key we cannot use
            byte[] plain = new byte[cipher.Length];
            try
            {
                using var gcm = new AesGcm(cek, icvLength);
                gcm.Decrypt(nonce, cipher, mac, plain, aad);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new SmimeFormatException("the authenticated content does not match its tag (altered in transit)");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(cek);
            }
            return plain;
        }
        catch (AsnContentException ex)
        {
            throw new SmimeFormatException("AuthEnvelopedData is not valid BER: " + ex.Message);
        }
    }

    private static byte[]? TryKeyTransport(AsnReader ktri, X509Certificate2 self)
    {
        ktri.ReadInteger();
        Asn1Tag ridTag = ktri.PeekTag();
        bool ours;
        if (ridTag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnReader ias = ktri.ReadSequence();
            ReadOnlyMemory<byte> issuer = ias.ReadEncodedValue();
            ReadOnlyMemory<byte> serial = ias.ReadIntegerBytes();
            ours = issuer.Span.SequenceEqual(self.IssuerName.RawData) && serial.Span.SequenceEqual(self.SerialNumberBytes.Span);
        }
        else
        {
            byte[] ski = ktri.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
            ours = self.Extensions["2.5.29.14"] is X509SubjectKeyIdentifierExtension mine && Convert.FromHexString(mine.SubjectKeyIdentifier ?? "").AsSpan().SequenceEqual(ski);
        }
        AsnReader algorithm = ktri.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        RSAEncryptionPadding? padding = oid switch
        {
            RsaEncryptionOid => RSAEncryptionPadding.Pkcs1,
            RsaOaepOid => OaepPadding(algorithm),
            _ => null,
        };
        byte[] encryptedKey = ktri.ReadOctetString();
        if (!ours || padding is null) return null;
        using RSA? rsa = self.GetRSAPrivateKey();
        if (rsa is null) return null;
        try
        {
            return rsa.Decrypt(encryptedKey, padding);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // RFC 4055 §4.1: RSAES-OAEP-params; absent fields mean SHA-1 and MGF1 with SHA-1.
    private static RSAEncryptionPadding? OaepPadding(AsnReader algorithm)
    {
        if (!algorithm.HasData) return RSAEncryptionPadding.OaepSHA1;
        AsnReader parameters = algorithm.ReadSequence();
        string hash = Sha1Oid;
        if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            AsnReader hashAlgorithm = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            hash = hashAlgorithm.ReadObjectIdentifier();
        }
        return hash switch
        {
            Sha1Oid => RSAEncryptionPadding.OaepSHA1,
            Sha256Oid => RSAEncryptionPadding.OaepSHA256,
            Sha384Oid => RSAEncryptionPadding.OaepSHA384,
            Sha512Oid => RSAEncryptionPadding.OaepSHA512,
            _ => null,
        };
    }
}
