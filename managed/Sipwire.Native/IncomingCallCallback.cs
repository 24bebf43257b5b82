// SPDX-License-Identifier: MIT
// The C signature of sw_call_incoming_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>
/// A new call arrived and rings here (180 sent). Answer with sw_call_answer(), refuse with
/// sw_call_reject(), or do it later from the poll thread. Called only inside sw_endpoint_poll().
/// </summary>
/// <param name="account">The account the call is for (the endpoint's first account).</param>
/// <param name="call">The new call; valid until the SW_CALL_ENDED event of it returns.</param>
/// <param name="from">The caller's URI; valid only during the call.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_call_incoming_cb")]
internal unsafe delegate void IncomingCallCallback(AccountHandle* account, CallHandle* call, [CType("const char *")] byte* from, void* user_data);
