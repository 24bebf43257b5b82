// A throw-away PKI for the tests: a root CA, users with SIP URI subjectAltNames, a foreign CA, an expired user.
// SPDX-License-Identifier: MIT

using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Smime.Tests;

/// <summary>Certificates made with CertificateRequest once per test run.</summary>
internal sealed class TestPki : IDisposable
{
    private static readonly Lazy<TestPki> s_shared = new(() => new TestPki());

    private TestPki()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Ca = MakeCa("CN=Sipwire Test Root", now);
        ForeignCa = MakeCa("CN=Someone Else's Root", now);
        Alice = MakeUser(Ca, "alice", ["sip:alice@example.test"], null, now.AddDays(-1), now.AddYears(1));
        Bob = MakeUser(Ca, "bob", ["sip:bob@example.test"], null, now.AddDays(-1), now.AddYears(1));
        Carol = MakeUser(Ca, "carol", ["sip:carol@example.test"], null, now.AddDays(-1), now.AddYears(1));
        MailOnly = MakeUser(Ca, "dave", [], "dave@example.test", now.AddDays(-1), now.AddYears(1));
        Mallory = MakeUser(ForeignCa, "mallory", ["sip:alice@example.test"], null, now.AddDays(-1), now.AddYears(1));
        Expired = MakeUser(Ca, "erin", ["sip:erin@example.test"], null, now.AddYears(-2), now.AddYears(-1));
        EcSigner = MakeEcUser(Ca, "ellen", "sip:ellen@example.test", now);
    }

    public static TestPki Shared => s_shared.Value;

    public X509Certificate2 Ca { get; }
    public X509Certificate2 ForeignCa { get; }
    public X509Certificate2 Alice { get; }
    public X509Certificate2 Bob { get; }
    public X509Certificate2 Carol { get; }
    public X509Certificate2 MailOnly { get; }
    public X509Certificate2 Mallory { get; }
    public X509Certificate2 Expired { get; }

    /// <summary>An ECDSA P-256 signer (RFC 8551 §2.2: ECDSA with P-256 and SHA-256 is a MUST for receivers).</summary>
    public X509Certificate2 EcSigner { get; }

    public void Dispose()
    {
        foreach (X509Certificate2 c in (X509Certificate2[])[Ca, ForeignCa, Alice, Bob, Carol, MailOnly, Mallory, Expired, EcSigner]) c.Dispose();
    }

    /// <summary>Options for <paramref name="self"/> trusting <see cref="Ca"/>, knowing <paramref name="peers"/>.</summary>
    public SmimeOptions Options(X509Certificate2 self, params X509Certificate2[] peers) => new()
    {
        Certificate = self,
        TrustAnchors = [Ca],
        PeerCertificates = [.. PublicOnly(peers)],
    };

    public static X509Certificate2[] PublicOnly(X509Certificate2[] certs)
    {
        var result = new X509Certificate2[certs.Length];
        for (int i = 0; i < certs.Length; i++) result[i] = X509CertificateLoader.LoadCertificate(certs[i].RawData);
        return result;
    }

    private static X509Certificate2 MakeCa(string name, DateTimeOffset now)
    {
        RSA key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddYears(-3), now.AddYears(5));
    }

    private static X509Certificate2 MakeEcUser(X509Certificate2 ca, string name, string uri, DateTimeOffset now)
    {
        // Not disposed: the returned certificate keeps using the key.
        ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(uri));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // An RSA issuer signs an EC subject key: the generator overload names the issuer's algorithm.
        using RSA caKey = ca.GetRSAPrivateKey()!;
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), now.AddDays(-1), now.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 MakeUser(X509Certificate2 ca, string name, string[] uris, string? mail, DateTimeOffset from, DateTimeOffset to)
    {
        // Not disposed: the returned certificate keeps using the key.
        RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string uri in uris) san.AddUri(new Uri(uri));
        if (mail is not null) san.AddEmailAddress(mail);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.4")], false)); // emailProtection
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(ca, from, to, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
