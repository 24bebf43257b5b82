// SPDX-License-Identifier: MIT
// Severity of a log line handed to the firmware's sw_log_cb.

namespace Sipwire.Native;

/// <summary>Severity of a log line; the endpoint passes lines at or above sw_endpoint_config.log_level.</summary>
[CName("sw_log_level")]
internal enum LogLevel
{
    /// <summary>Protocol detail: every message sent and received (first line only).</summary>
    [CName("SW_LOG_DEBUG")]
    Debug = 0,

    /// <summary>State changes: registrations, calls.</summary>
    [CName("SW_LOG_INFO")]
    Info = 1,

    /// <summary>Something failed that the SDK recovers from (a retry, a malformed message).</summary>
    [CName("SW_LOG_WARNING")]
    Warning = 2,

    /// <summary>Something failed that the application should know about.</summary>
    [CName("SW_LOG_ERROR")]
    Error = 3,

    /// <summary>No logging (as log_level).</summary>
    [CName("SW_LOG_NONE")]
    None = 4,
}
