// SPDX-License-Identifier: MIT
// The C signature of sw_tls_read_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Decrypts application data into buffer.</summary>
/// <param name="session">The session.</param>
/// <param name="buffer">Receives plaintext.</param>
/// <param name="size">Size of buffer.</param>
/// <param name="out_read">Receives the bytes read with SW_TLS_OK (at least 1).</param>
/// <param name="user_data">sw_tls_provider.user_data.</param>
/// <returns>SW_TLS_OK, SW_TLS_WANT_READ, SW_TLS_CLOSED or SW_TLS_ERROR.</returns>
[CName("sw_tls_read_cb")]
internal unsafe delegate int TlsReadCallback(void* session, byte* buffer, int size, int* out_read, void* user_data);
