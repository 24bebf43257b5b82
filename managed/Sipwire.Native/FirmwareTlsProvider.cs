// SPDX-License-Identifier: MIT
// ITlsProvider over the firmware's sw_tls_provider callbacks (mbedTLS, wolfSSL, ...), so libsipwire needs no SslStream.

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sipwire.Transport;

namespace Sipwire.Native;

/// <summary>The TLS transport's provider when the firmware supplies TLS (RFC 3261 §26.2).</summary>
internal sealed class FirmwareTlsProvider(TlsProviderTable table) : ITlsProvider
{
    private readonly TlsProviderTable _table = table;

    /// <inheritdoc />
    public Task<Stream> AuthenticateAsClientAsync(Stream transport, string targetHost, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        return FirmwareTlsStream.StartAsync(transport, _table, targetHost, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Stream> AuthenticateAsServerAsync(Stream transport, CancellationToken cancellationToken) =>
        FirmwareTlsStream.StartAsync(transport, _table, null, cancellationToken);
}
