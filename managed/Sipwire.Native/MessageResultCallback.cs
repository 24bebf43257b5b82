// SPDX-License-Identifier: MIT
// The C signature of sw_message_result_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>The outcome of a MESSAGE sent with sw_message_send(). Called only inside sw_endpoint_poll().</summary>
/// <param name="account">The account it was sent from.</param>
/// <param name="message_id">The id sw_message_send() returned.</param>
/// <param name="status_code">The final status (200/202 delivered; 404, 408, 415, 503, ... failed).</param>
/// <param name="reason">The reason phrase or a local explanation; valid only during the call.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_message_result_cb")]
internal unsafe delegate void MessageResultCallback(AccountHandle* account, int message_id, int status_code,
    [CType("const char *")] byte* reason, void* user_data);
