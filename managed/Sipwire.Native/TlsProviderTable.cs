// SPDX-License-Identifier: MIT
// sw_tls_provider: TLS implemented by the firmware (mbedTLS, wolfSSL, ...) through callbacks.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>
/// A TLS implementation the firmware plugs in (RFC 3261 §26.2 TLS transport; libsipwire carries no
/// TLS of its own). Calls for one session never overlap; different sessions may run at the same
/// time on different threads (the SDK's I/O completion threads and the polling thread), so a
/// provider keeps per-session state (including its random generator) or locks shared state.
/// </summary>
[CName("sw_tls_provider")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TlsProviderTable
{
    /// <summary>sizeof(sw_tls_provider).</summary>
    public uint struct_size;

    /// <summary>Creates a session.</summary>
    [CType("sw_tls_open_cb")]
    public delegate* unmanaged<int, byte*, TlsIoHandle*, void**, void*, int> open;

    /// <summary>Advances the handshake.</summary>
    [CType("sw_tls_handshake_cb")]
    public delegate* unmanaged<void*, void*, int> handshake;

    /// <summary>Reads plaintext.</summary>
    [CType("sw_tls_read_cb")]
    public delegate* unmanaged<void*, byte*, int, int*, void*, int> read;

    /// <summary>Writes plaintext.</summary>
    [CType("sw_tls_write_cb")]
    public delegate* unmanaged<void*, byte*, int, void*, int> write;

    /// <summary>Closes and frees a session.</summary>
    [CType("sw_tls_close_cb")]
    public delegate* unmanaged<void*, void*, void> close;

    /// <summary>Passed as the last argument of every callback above.</summary>
    [CType("void *")]
    public void* user_data;
}
