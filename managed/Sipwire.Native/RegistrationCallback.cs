// SPDX-License-Identifier: MIT
// The C signature of sw_account_registration_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>Reports a registration outcome of an account. Called only inside sw_endpoint_poll(), on its thread; may call back into the API.</summary>
/// <param name="account">The account.</param>
/// <param name="registration_event">An SW_REG_* code.</param>
/// <param name="status_code">The SIP status of the REGISTER (200, 401, 403, 423, 503, ...; 408 when nothing answered; 0 when none was sent).</param>
/// <param name="reason">The reason phrase or a local explanation; valid only during the call.</param>
/// <param name="expires">With SW_REG_REGISTERED: the seconds the registrar granted; else 0.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_account_registration_cb")]
internal unsafe delegate void RegistrationCallback(AccountHandle* account, int registration_event, int status_code,
    [CType("const char *")] byte* reason, int expires, void* user_data);
