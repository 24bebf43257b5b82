// SPDX-License-Identifier: MIT
// A SIP endpoint: owns the transports, transactions and dialogs of one SIP identity set.

using System;

namespace Sipwire;

/// <summary>
/// One SIP endpoint. Everything it does runs on the thread that drives it; it holds the validated
/// options every layer below reads.
/// </summary>
public sealed class Endpoint : IDisposable
{
    private bool _disposed;

    /// <summary>Creates an endpoint with validated options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Endpoint(EndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options this endpoint was created with.</summary>
    public EndpointOptions Options { get; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
    }
}
