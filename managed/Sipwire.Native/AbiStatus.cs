// SPDX-License-Identifier: MIT
// Maps exceptions to sw_status at the ABI edge and keeps the per-thread error detail.

using System;

namespace Sipwire.Native;

/// <summary>
/// Every export body is <c>try { ... } catch (Exception ex) { return AbiStatus.From(ex); }</c>: no managed
/// exception ever crosses the C ABI (it would abort the process). This is the one mapping table.
/// </summary>
internal static class AbiStatus
{
    [ThreadStatic]
    private static string? t_lastError;

    /// <summary>Detail of the last failed call on this thread, or the empty string.</summary>
    public static string LastError => t_lastError ?? string.Empty;

    /// <summary>Maps an exception to its status and records its message as this thread's detail.</summary>
    public static Status From(Exception ex)
    {
        t_lastError = ex.Message;
        return ex switch
        {
            HandleLimitException => Status.Limit,
            ArgumentException => Status.InvalidArg,
            ObjectDisposedException => Status.InvalidState,
            InvalidOperationException => Status.InvalidState,
            System.Net.Sockets.SocketException => Status.Network,
            OutOfMemoryException or InsufficientExecutionStackException => Status.NoMemory,
            _ => Status.Internal,
        };
    }

    /// <summary>Records a detail for a failure found without an exception and returns its status.</summary>
    public static Status Fail(Status status, string detail)
    {
        t_lastError = detail;
        return status;
    }
}
