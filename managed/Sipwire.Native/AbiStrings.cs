// SPDX-License-Identifier: MIT
// UTF-8 string transfer across the C ABI: NUL-terminated input, caller-owned output buffers.

using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Sipwire.Native;

/// <summary>String conventions of the C ABI (DESIGN.md, "C ABI conventions").</summary>
internal static unsafe class AbiStrings
{
    /// <summary>Longest C string the SDK reads, so a missing NUL cannot make it scan all of memory.</summary>
    public const int MaxInputLength = 64 * 1024;

    /// <summary>Reads a NUL-terminated UTF-8 string; NULL gives null.</summary>
    /// <exception cref="ArgumentException">The string is longer than <see cref="MaxInputLength"/> or not valid UTF-8.</exception>
    public static string? Read(byte* text, string name)
    {
        if (text == null)
        {
            return null;
        }
        ReadOnlySpan<byte> bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
        if (bytes.Length > MaxInputLength)
        {
            throw new ArgumentException($"{name} is longer than {MaxInputLength} bytes");
        }
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ArgumentException($"{name} is not valid UTF-8");
        }
    }

    /// <summary>
    /// Copies <paramref name="value"/> as NUL-terminated UTF-8 into the caller's buffer. The needed size,
    /// NUL included, is stored in <paramref name="outNeeded"/> when it is not NULL.
    /// </summary>
    /// <returns><see cref="Status.Ok"/>, or <see cref="Status.BufferTooSmall"/> with nothing written.</returns>
    public static Status Write(string value, byte* buffer, int bufferSize, int* outNeeded)
    {
        int needed = Encoding.UTF8.GetByteCount(value) + 1;
        if (outNeeded != null)
        {
            *outNeeded = needed;
        }
        if (bufferSize < 0 || (buffer == null && bufferSize != 0))
        {
            return AbiStatus.Fail(Status.InvalidArg, $"buffer_size must be 0 (to ask the size) or the size of a non-NULL buffer, not {bufferSize}");
        }
        if (bufferSize < needed)
        {
            // Not a failure of the operation itself: the last error detail is left as it was.
            return Status.BufferTooSmall;
        }
        var span = new Span<byte>(buffer, bufferSize);
        int written = Encoding.UTF8.GetBytes(value, span);
        span[written] = 0;
        return Status.Ok;
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
