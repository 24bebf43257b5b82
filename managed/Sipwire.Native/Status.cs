// SPDX-License-Identifier: MIT
// The one status type of the C ABI; the header generator emits sw_status and its SW_* constants from it.

namespace Sipwire.Native;

/// <summary>
/// Result of every C ABI call: 0 is success, negative values are errors. Values are grouped in
/// ranges and never renumbered: -1..-99 argument and state errors, -100..-199 resource errors, -200..-299 network errors,
/// -900..-999 internal errors.
/// </summary>
[CName("sw_status")]
internal enum Status
{
    /// <summary>Success.</summary>
    [CName("SW_OK")]
    Ok = 0,

    /// <summary>A NULL, stale or out-of-range argument; sw_last_error_detail() says which.</summary>
    [CName("SW_E_INVALID_ARG")]
    InvalidArg = -1,

    /// <summary>The caller's buffer is too small; the needed size was stored in the out_needed parameter.</summary>
    [CName("SW_E_BUFFER_TOO_SMALL")]
    BufferTooSmall = -2,

    /// <summary>The call is not allowed in the object's current state.</summary>
    [CName("SW_E_INVALID_STATE")]
    InvalidState = -3,

    /// <summary>Memory could not be allocated.</summary>
    [CName("SW_E_NO_MEMORY")]
    NoMemory = -100,

    /// <summary>A configured limit (handles, transactions, dialogs, ...) is reached.</summary>
    [CName("SW_E_LIMIT")]
    Limit = -101,

    /// <summary>A socket could not be opened or bound (address in use, no such address, ...).</summary>
    [CName("SW_E_NETWORK")]
    Network = -200,

    /// <summary>An unexpected failure inside the SDK; sw_last_error_detail() has the detail.</summary>
    [CName("SW_E_INTERNAL")]
    Internal = -999,
}
