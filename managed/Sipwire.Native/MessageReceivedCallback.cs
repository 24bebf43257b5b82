// SPDX-License-Identifier: MIT
// The C signature of sw_message_received_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>A page-mode instant message arrived (RFC 3428) and was answered 200. Called only inside sw_endpoint_poll().</summary>
/// <param name="account">The endpoint's first account.</param>
/// <param name="from">The sender's URI; valid only during the call.</param>
/// <param name="content_type">The media type as received, e.g. "text/plain;charset=UTF-8".</param>
/// <param name="body">The body bytes (not NUL-terminated); valid only during the call.</param>
/// <param name="body_length">Number of bytes in body.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_message_received_cb")]
internal unsafe delegate void MessageReceivedCallback(AccountHandle* account, [CType("const char *")] byte* from,
    [CType("const char *")] byte* content_type, [CType("const uint8_t *")] byte* body, int body_length, void* user_data);
