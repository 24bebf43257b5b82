// ITlsProvider on SslStream: certificate and host-name validation on by default, configurable trust anchors.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Sipwire.Transport;

namespace Sipwire.Tls;

/// <summary>
/// TLS 1.2/1.3 through <see cref="SslStream"/>. As a client it validates the server's certificate
/// chain and name (RFC 5922 §7.2) against the system store, or only against
/// <see cref="TrustedRoots"/> when given; turning validation off takes an explicit flag.
/// </summary>
public sealed class SslStreamTlsProvider : ITlsProvider
{
    private readonly object _contextLock = new();
    private SslStreamCertificateContext? _context;

    /// <summary>The server certificate with its private key (needed to accept TLS connections).</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Intermediate certificates sent after <see cref="ServerCertificate"/> (RFC 8446 §4.4.2), e.g. from a PEM chain file.</summary>
    public X509Certificate2Collection? ServerCertificateChain { get; init; }

    /// <summary>A certificate with its private key offered when a server asks the client for one (mutual TLS); null: none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Trust anchors replacing the system store for server validation (null: system store).</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>
    /// Maps the address a connection goes to (the transport's target host, an IP literal) to the name the
    /// certificate must carry and SNI sends: RFC 5922 §7.2 matches the host of the URI we were asked to reach
    /// (e.g. pbx.example.com), not the address it resolved to. Null, or returning the address: match the address.
    /// </summary>
    public Func<string, string>? ServerName { get; init; }

    /// <summary>Set to true only for lab use: accept any server certificate.</summary>
    public bool DisableServerValidation { get; init; }

    /// <inheritdoc />
    public async Task<Stream> AuthenticateAsClientAsync(Stream transport, string targetHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        string? refusal = null;
        targetHost = ServerName?.Invoke(targetHost) is { Length: > 0 } name ? name : targetHost;
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => Validate(certificate, chain, errors, out refusal));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ClientCertificates = ClientCertificate is null ? null : [ClientCertificate],
            }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException e) when (refusal is not null)
        {
            // SslStream only says that the callback refused: say why, for the operator's log.
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException($"certificate of {targetHost} refused: {refusal}", e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> AuthenticateAsServerAsync(Stream transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        X509Certificate2 certificate = ServerCertificate ?? throw new InvalidOperationException("A TLS server needs ServerCertificate.");
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                // With a chain, the context sends the intermediates too; offline: no fetching of missing ones.
                ServerCertificate = ServerCertificateChain is { Count: > 0 } ? null : certificate,
                ServerCertificateContext = ServerCertificateChain is { Count: > 0 } chain ? Context(certificate, chain) : null,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private SslStreamCertificateContext Context(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        lock (_contextLock)
        {
            return _context ??= SslStreamCertificateContext.Create(certificate, chain, offline: true);
        }
    }

    private bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, out string? refusal)
    {
        refusal = null;
        if (DisableServerValidation) return true;
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            refusal = "the server sent no certificate";
            return false;
        }
        // The name must match in every mode (RFC 5922 §7.2).
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            refusal = $"it does not name the host we connected to ({certificate.Subject}; RFC 5922 §7.2 subjectAltName check)";
            return false;
        }
        if (TrustedRoots is null)
        {
            if (errors == SslPolicyErrors.None) return true;
            refusal = $"{certificate.Subject} does not chain to a trust anchor of the system store ({ChainStatus(chain)})";
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(TrustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (X509ChainElement e in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(e.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        if (custom.Build(leaf)) return true;
        refusal = $"{certificate.Subject} (issuer {certificate.Issuer}) does not chain to the configured trust anchors ({ChainStatus(custom)})";
        return false;
    }

    private static string ChainStatus(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0) return "no chain";
        var parts = new System.Collections.Generic.List<string>();
        foreach (X509ChainStatus st in chain.ChainStatus)
        {
            string text = st.StatusInformation.Trim();
            parts.Add(text.Length > 0 ? text : st.Status.ToString());
        }
        return string.Join("; ", parts);
    }
}
