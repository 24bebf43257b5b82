// SPDX-License-Identifier: MIT
// The C signature of sw_log_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Receives one log line. Called only inside sw_endpoint_poll(), on its thread.</summary>
/// <param name="level">An SW_LOG_* severity.</param>
/// <param name="line">The line, NUL-terminated UTF-8 without a newline; valid only during the call.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_log_cb")]
internal unsafe delegate void LogCallback(int level, [CType("const char *")] byte* line, void* user_data);
