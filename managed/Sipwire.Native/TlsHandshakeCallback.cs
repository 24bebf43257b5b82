// SPDX-License-Identifier: MIT
// The C signature of sw_tls_handshake_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Advances the handshake as far as the received bytes allow.</summary>
/// <param name="session">The session from open.</param>
/// <param name="user_data">sw_tls_provider.user_data.</param>
/// <returns>SW_TLS_OK when complete (certificate verified), SW_TLS_WANT_READ for more input, SW_TLS_ERROR.</returns>
[CName("sw_tls_handshake_cb")]
internal unsafe delegate int TlsHandshakeCallback(void* session, void* user_data);
