// SPDX-License-Identifier: MIT
// Results of the firmware TLS provider's callbacks (sw_tls_provider).

namespace Sipwire.Native;

/// <summary>What a sw_tls_provider callback reports.</summary>
[CName("sw_tls_result")]
internal enum TlsResult
{
    /// <summary>Done: the handshake finished, data was read or written, the session was opened.</summary>
    [CName("SW_TLS_OK")]
    Ok = 0,

    /// <summary>The TLS library needs more bytes from the peer (sw_tls_io_recv() gave 0); the SDK calls again when they arrive.</summary>
    [CName("SW_TLS_WANT_READ")]
    WantRead = 1,

    /// <summary>read: the peer closed the TLS session (close_notify) or the connection.</summary>
    [CName("SW_TLS_CLOSED")]
    Closed = 2,

    /// <summary>A fatal error (bad certificate, name mismatch, protocol error); the connection is closed.</summary>
    [CName("SW_TLS_ERROR")]
    Error = -1,
}
