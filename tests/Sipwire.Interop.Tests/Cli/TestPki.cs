// A throw-away PKI for TLS tests: root CA, intermediate, server and UA certificates for 127.0.0.1, written as PEM files.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sipwire.Interop.Tests.Cli;

/// <summary>
/// Files in a temporary folder, in the layouts operators use: <see cref="ServerChainFile"/> holds the server
/// certificate and then the intermediate that issued it (EC P-256 key as PKCS#8), <see cref="UaCertFile"/> a
/// certificate straight from the root (RSA 2048 key as PKCS#1), <see cref="CaFile"/> the root alone, and
/// <see cref="OtherCaFile"/> an unrelated root. Every leaf names 127.0.0.1 as an IP subjectAltName (RFC 5922 §7.1).
/// </summary>
internal sealed class TestPki : IDisposable
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    public TestPki()
    {
        Folder = Path.Combine(Path.GetTempPath(), "sipwire-pki-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 root = MakeCa("CN=Sipwire Test Root", rootKey, null, null);
        using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 intermediate = MakeCa("CN=Sipwire Test Intermediate", intermediateKey, root, rootKey);
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = MakeCa("CN=Some Other Root", otherKey, null, null);

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=sipwire-test-proxy", serverKey, HashAlgorithmName.SHA256);
        using X509Certificate2 server = Issue(serverRequest, intermediate, intermediateKey);
        using RSA uaKey = RSA.Create(2048);
        var uaRequest = new CertificateRequest("CN=sipwire-test-ua", uaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 ua = Issue(uaRequest, root, rootKey);
        using ECDsa namedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var namedRequest = new CertificateRequest("CN=localhost", namedKey, HashAlgorithmName.SHA256);
        using X509Certificate2 named = Issue(namedRequest, root, rootKey, dnsName: "localhost");

        CaFile = Write("ca.pem", root.ExportCertificatePem());
        OtherCaFile = Write("other-ca.pem", other.ExportCertificatePem());
        ServerChainFile = Write("proxy-chain.pem", server.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem());
        ServerKeyFile = Write("proxy-key.pem", serverKey.ExportPkcs8PrivateKeyPem());
        UaCertFile = Write("ua-cert.pem", ua.ExportCertificatePem());
        UaKeyFile = Write("ua-key.pem", uaKey.ExportRSAPrivateKeyPem());
        NamedCertFile = Write("named-cert.pem", named.ExportCertificatePem());
        NamedKeyFile = Write("named-key.pem", namedKey.ExportECPrivateKeyPem());
    }

    public string Folder { get; }

    public string CaFile { get; }

    public string OtherCaFile { get; }

    public string ServerChainFile { get; }

    public string ServerKeyFile { get; }

    public string UaCertFile { get; }

    public string UaKeyFile { get; }

    /// <summary>A server certificate naming only DNS:localhost (no IP subjectAltName), EC key as SEC1.</summary>
    public string NamedCertFile { get; }

    public string NamedKeyFile { get; }

    /// <summary>Writes <paramref name="text"/> to a file of the folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text, Encoding.ASCII);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is cleaned by the OS.
        }
    }

    private static X509Certificate2 MakeCa(string name, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
    {
        var req = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is null, issuer is null ? 1 : 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        if (issuer is null) return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using X509Certificate2 issued = req.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), Serial());
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Issue(CertificateRequest req, X509Certificate2 issuer, ECDsa issuerKey, string? dnsName = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        if (dnsName is null) san.AddIpAddress(IPAddress.Loopback);
        else san.AddDnsName(dnsName);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuth, s_clientAuth], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        // An EC issuer signs an RSA leaf too: name the signature generator explicitly.
        return req.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), Serial());
    }

    private static byte[] Serial()
    {
        byte[] serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return serial;
    }
}
