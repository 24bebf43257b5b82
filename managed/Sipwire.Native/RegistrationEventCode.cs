// SPDX-License-Identifier: MIT
// The event codes of sw_account_registration_cb.

namespace Sipwire.Native;

/// <summary>What happened to an account's registration (the event argument of sw_account_registration_cb).</summary>
[CName("sw_registration_event")]
internal enum RegistrationEventCode
{
    /// <summary>A 2xx confirmed the binding (first registration or refresh); expires holds the granted seconds.</summary>
    [CName("SW_REG_REGISTERED")]
    Registered = 0,

    /// <summary>A REGISTER failed (final non-2xx, 408 no response, 503 transport error, wrong credentials); the SDK retries with back-off unless the credentials were refused.</summary>
    [CName("SW_REG_FAILED")]
    Failed = 1,

    /// <summary>The binding was removed (sw_account_unregister() confirmed).</summary>
    [CName("SW_REG_UNREGISTERED")]
    Unregistered = 2,
}
