// SPDX-License-Identifier: MIT
// The C signature of sw_tls_close_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Sends close_notify if it can and frees the session; io is stale afterwards.</summary>
/// <param name="session">The session.</param>
/// <param name="user_data">sw_tls_provider.user_data.</param>
[CName("sw_tls_close_cb")]
internal unsafe delegate void TlsCloseCallback(void* session, void* user_data);
