// Loads a TLS identity (PEM certificate chain + RSA/EC private key) and PEM trust anchors, with errors that name the file.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sipwire.Tls;

/// <summary>
/// PEM files as operators hand them over (OpenSSL layout, RFC 7468): a certificate file that holds the
/// leaf first and then its intermediates, a key file with a PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key,
/// and a file of trust anchors. Every failure is reported as one line naming the file and the reason.
/// </summary>
public static class TlsPemFiles
{
    /// <summary>
    /// Reads the certificate chain in <paramref name="certificateFile"/> and the private key in
    /// <paramref name="keyFile"/>. The leaf (the first certificate) gets the key; the others are the
    /// intermediates sent with it (RFC 8446 §4.4.2: the sender's certificate comes first).
    /// </summary>
    /// <returns>True with the leaf and its intermediates; false with <paramref name="error"/> naming the file.</returns>
    public static bool TryLoadIdentity(string certificateFile, string keyFile, out X509Certificate2? leaf,
        out X509Certificate2Collection intermediates, out string error)
    {
        ArgumentNullException.ThrowIfNull(certificateFile);
        ArgumentNullException.ThrowIfNull(keyFile);
        leaf = null;
        intermediates = [];
        if (!TryReadCertificates(certificateFile, "--tls-cert", out X509Certificate2Collection chain, out error)) return false;
        string keyText;
        try
        {
            keyText = File.ReadAllText(keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"--tls-key '{keyFile}': cannot read: {e.Message}";
            return false;
        }
        if (keyText.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) || keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            error = $"--tls-key '{keyFile}': the private key is encrypted; give an unencrypted PEM key (protect the file instead)";
            return false;
        }
        X509Certificate2 first = chain[0];
        try
        {
            using X509Certificate2 withKey = X509Certificate2.CreateFromPem(first.ExportCertificatePem(), keyText);
            // SslStream on Linux keeps a server key only when it is not ephemeral: round-trip through PKCS#12.
            byte[] pfx = withKey.Export(X509ContentType.Pkcs12, "");
            leaf = X509CertificateLoader.LoadPkcs12(pfx, "", X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException e)
        {
            error = $"--tls-key '{keyFile}': {KeyReason(keyText, e)}";
            DisposeAll(chain);
            return false;
        }
        catch (ArgumentException e)
        {
            error = $"--tls-key '{keyFile}': {e.Message}";
            DisposeAll(chain);
            return false;
        }
        first.Dispose();
        for (int i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
        if (DateTime.Now > leaf.NotAfter || DateTime.Now < leaf.NotBefore)
        {
            error = $"--tls-cert '{certificateFile}': the certificate {leaf.Subject} is valid only from {leaf.NotBefore:u} to {leaf.NotAfter:u}";
            leaf.Dispose();
            leaf = null;
            DisposeAll(intermediates);
            intermediates = [];
            return false;
        }
        return true;
    }

    /// <summary>Reads every certificate of <paramref name="caFile"/> as a trust anchor (RFC 5922 §7.2: the operator configures the roots).</summary>
    /// <returns>True with at least one certificate; false with <paramref name="error"/> naming the file.</returns>
    public static bool TryLoadTrustAnchors(string caFile, out X509Certificate2Collection anchors, out string error)
    {
        ArgumentNullException.ThrowIfNull(caFile);
        return TryReadCertificates(caFile, "--tls-ca", out anchors, out error);
    }

    private static bool TryReadCertificates(string file, string option, out X509Certificate2Collection certificates, out string error)
    {
        certificates = [];
        error = "";
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{option} '{file}': cannot read: {e.Message}";
            return false;
        }
        if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            error = $"{option} '{file}': no PEM certificate in the file (expected -----BEGIN CERTIFICATE-----)";
            return false;
        }
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            error = $"{option} '{file}': not a valid PEM certificate: {e.Message}";
            DisposeAll(certificates);
            certificates = [];
            return false;
        }
        if (certificates.Count == 0)
        {
            error = $"{option} '{file}': no PEM certificate in the file";
            return false;
        }
        return true;
    }

    private static string KeyReason(string keyText, CryptographicException e)
    {
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal)) return "no PEM private key in the file (expected -----BEGIN PRIVATE KEY-----, RSA or EC)";
        return $"the private key does not fit the certificate or is not valid: {e.Message}";
    }

    private static void DisposeAll(X509Certificate2Collection certificates)
    {
        foreach (X509Certificate2 c in certificates) c.Dispose();
    }
}
