// SPDX-License-Identifier: MIT
// C ABI exports of the library itself: version, status strings, per-thread error detail.

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class LibraryExports
{
    /// <summary>The library version as <c>(major &lt;&lt; 16) | (minor &lt;&lt; 8) | patch</c>.</summary>
    /// <returns>The version of the loaded library; compare it with <c>SW_VERSION_NUMBER</c> from the header the caller was built with.</returns>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_version")]
    public static uint Version() => LibraryVersion.Number;

    /// <summary>A short English description of a status code.</summary>
    /// <param name="status">Any value; unknown values get "unknown status".</param>
    /// <returns>A static NUL-terminated string, never NULL.</returns>
    /// <ownership>The string is owned by the library and valid for the life of the process; do not free it.</ownership>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_status_str")]
    [return: CType("const char *")]
    public static byte* StatusString(Status status)
    {
        // u8 literals live in the image's read-only data: their address never moves.
        ReadOnlySpan<byte> text = status switch
        {
            Status.Ok => "ok\0"u8,
            Status.InvalidArg => "invalid argument\0"u8,
            Status.BufferTooSmall => "buffer too small\0"u8,
            Status.InvalidState => "invalid state\0"u8,
            Status.NoMemory => "out of memory\0"u8,
            Status.Limit => "limit reached\0"u8,
            Status.Network => "network error\0"u8,
            Status.Internal => "internal error\0"u8,
            _ => "unknown status\0"u8,
        };
        return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(text));
    }

    /// <summary>Copies the detail of the last failed call made on this thread.</summary>
    /// <param name="buffer">Receives NUL-terminated UTF-8; may be NULL when buffer_size is 0.</param>
    /// <param name="buffer_size">Size of buffer in bytes.</param>
    /// <param name="out_needed">If not NULL, receives the size needed, NUL included.</param>
    /// <returns>SW_OK (the empty string when no call has failed), SW_E_BUFFER_TOO_SMALL, SW_E_INVALID_ARG.</returns>
    /// <thread>Any thread; each thread has its own detail.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_last_error_detail")]
    public static Status LastErrorDetail([CType("char *")] byte* buffer, int buffer_size, int* out_needed)
    {
        try
        {
            return AbiStrings.Write(AbiStatus.LastError, buffer, buffer_size, out_needed);
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }
}
