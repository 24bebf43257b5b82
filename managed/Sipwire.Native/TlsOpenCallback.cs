// SPDX-License-Identifier: MIT
// The C signature of sw_tls_open_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>
/// Creates a TLS session on a new TCP connection, as client (server_name set: SNI and certificate
/// name check, RFC 5922 §7) or server (server_name NULL). The session reads and writes its record
/// bytes with sw_tls_io_recv()/sw_tls_io_send() on io, without blocking.
/// </summary>
/// <param name="is_server">Nonzero for an accepted connection.</param>
/// <param name="server_name">Client: the host the certificate must name; server: NULL.</param>
/// <param name="io">The connection's I/O handle, valid until close.</param>
/// <param name="out_session">Receives the provider's session pointer.</param>
/// <param name="user_data">sw_tls_provider.user_data.</param>
/// <returns>SW_TLS_OK or SW_TLS_ERROR.</returns>
[CName("sw_tls_open_cb")]
internal unsafe delegate int TlsOpenCallback(int is_server, [CType("const char *")] byte* server_name, TlsIoHandle* io, void** out_session, void* user_data);
