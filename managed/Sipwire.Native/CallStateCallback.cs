// SPDX-License-Identifier: MIT
// The C signature of sw_call_state_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>
/// Reports a call event. Protocol outcomes are data: a 486 or a 408 arrives here as status_code
/// with SW_CALL_ENDED, never as an API error. Called only inside sw_endpoint_poll(), on its thread.
/// </summary>
/// <param name="call">The call; after SW_CALL_ENDED returns, the handle is stale.</param>
/// <param name="call_event">An SW_CALL_* code.</param>
/// <param name="status_code">The SIP status behind the event (180, 200, 486, 487, 408, ...; 0 when none).</param>
/// <param name="reason">The reason phrase or a local explanation; valid only during the call.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_call_state_cb")]
internal unsafe delegate void CallStateCallback(CallHandle* call, int call_event, int status_code, [CType("const char *")] byte* reason, void* user_data);
