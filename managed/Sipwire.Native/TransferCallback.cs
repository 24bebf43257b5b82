// SPDX-License-Identifier: MIT
// The C signature of sw_call_transfer_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>A transfer event of a call (as transferor, transferee or replaced call). Called only inside sw_endpoint_poll().</summary>
/// <param name="call">The call being transferred or replaced.</param>
/// <param name="transfer_event">An SW_TRANSFER_* code.</param>
/// <param name="status_code">The REFER's response, the status line of a NOTIFY's message/sipfrag, or 0.</param>
/// <param name="reason">The reason phrase or a local explanation; valid only during the call.</param>
/// <param name="new_call">With SW_TRANSFER_REFERRED and SW_TRANSFER_REPLACED: the new call (its events follow on on_call_state); else NULL.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_call_transfer_cb")]
internal unsafe delegate void TransferCallback(CallHandle* call, int transfer_event, int status_code,
    [CType("const char *")] byte* reason, CallHandle* new_call, void* user_data);
