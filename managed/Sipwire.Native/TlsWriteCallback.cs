// SPDX-License-Identifier: MIT
// The C signature of sw_tls_write_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Encrypts and sends all of data (through sw_tls_io_send()).</summary>
/// <param name="session">The session.</param>
/// <param name="data">Plaintext.</param>
/// <param name="length">Bytes in data.</param>
/// <param name="user_data">sw_tls_provider.user_data.</param>
/// <returns>SW_TLS_OK when all was sent, else SW_TLS_ERROR.</returns>
[CName("sw_tls_write_cb")]
internal unsafe delegate int TlsWriteCallback(void* session, [CType("const uint8_t *")] byte* data, int length, void* user_data);
