// TLS behind an interface, so the native library carries no SslStream unless a host adds one (RFC 3261 §26.2).
// SPDX-License-Identifier: MIT

using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Sipwire.Transport;

/// <summary>
/// Secures a TCP stream for the TLS transport. Hosts plug in an SslStream provider (assembly
/// Sipwire.Tls); firmware plugs in its own (mbedTLS, wolfSSL) through the C ABI. Providers must
/// validate the server certificate and host name by default (RFC 5922 §7) and let the
/// configuration choose the trust anchors.
/// </summary>
public interface ITlsProvider
{
    /// <summary>Runs the client handshake over <paramref name="transport"/> for <paramref name="targetHost"/> (SNI and name check); returns the secured stream.</summary>
    Task<Stream> AuthenticateAsClientAsync(Stream transport, string targetHost, CancellationToken cancellationToken);

    /// <summary>Runs the server handshake over <paramref name="transport"/>; returns the secured stream.</summary>
    Task<Stream> AuthenticateAsServerAsync(Stream transport, CancellationToken cancellationToken);
}
