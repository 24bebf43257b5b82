// The TLS flags shared by the server roles and `sipwire ua`: --tls-cert, --tls-key, --tls-ca (and --tls-insecure for the UA).
// SPDX-License-Identifier: MIT

using System;
using System.Security.Cryptography.X509Certificates;
using Sipwire.Tls;

namespace Sipwire.Cli;

/// <summary>
/// Where the TLS identity and trust anchors come from. The certificate and key are what a TLS listener presents
/// (RFC 3261 §26.2.1: the server proves it owns its domain) and what a client offers when asked; the anchors
/// replace the system store when validating the peers we connect to (RFC 5922 §7.2).
/// </summary>
internal sealed class TlsArguments
{
    public const string Usage =
        "  --tls-cert FILE   PEM certificate chain (leaf first) presented by tls: listeners\n" +
        "  --tls-key FILE    PEM private key of --tls-cert (RSA or EC, unencrypted)\n" +
        "  --tls-ca FILE     PEM trust anchors for the TLS connections we open (default: the system store)\n";

    /// <summary>--tls-cert: the PEM certificate chain, leaf first.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>--tls-key: the PEM private key of the leaf.</summary>
    public string? KeyFile { get; set; }

    /// <summary>--tls-ca: PEM trust anchors; null = system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>--tls-insecure (ua only): accept any server certificate; for labs.</summary>
    public bool Insecure { get; set; }

    /// <summary>True when any TLS flag was given.</summary>
    public bool Any => CertificateFile is not null || KeyFile is not null || CaFile is not null || Insecure;

    /// <summary>The usage problem of the flags as given, or null: a certificate needs its key and the other way round.</summary>
    public string? Check(bool hasTlsListener)
    {
        if (CertificateFile is not null && KeyFile is null) return "--tls-cert needs --tls-key (the certificate's private key)";
        if (KeyFile is not null && CertificateFile is null) return "--tls-key needs --tls-cert";
        if (hasTlsListener && CertificateFile is null) return "a tls: listener needs --tls-cert FILE and --tls-key FILE (the server certificate and its key)";
        if (Insecure && CaFile is not null) return "--tls-insecure and --tls-ca contradict each other (--tls-insecure validates nothing)";
        return null;
    }

    /// <summary>Loads the files into a provider; false with a reason naming the file (a usage error, exit 2).</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="error">Why not.</param>
    /// <param name="serverName">Address to host-name map for certificate matching (SslStreamTlsProvider.ServerName).</param>
    public bool TryCreateProvider(out SslStreamTlsProvider? provider, out string error, Func<string, string>? serverName = null)
    {
        provider = null;
        error = "";
        X509Certificate2? leaf = null;
        X509Certificate2Collection chain = [];
        X509Certificate2Collection? anchors = null;
        if (CertificateFile is not null && !TlsPemFiles.TryLoadIdentity(CertificateFile, KeyFile!, out leaf, out chain, out error)) return false;
        if (CaFile is not null && !TlsPemFiles.TryLoadTrustAnchors(CaFile, out anchors, out error))
        {
            leaf?.Dispose();
            return false;
        }
        provider = new SslStreamTlsProvider
        {
            ServerCertificate = leaf,
            ServerCertificateChain = chain,
            ClientCertificate = leaf,
            TrustedRoots = anchors,
            DisableServerValidation = Insecure,
            ServerName = serverName,
        };
        return true;
    }
}
