// SPDX-License-Identifier: MIT
// C ABI exports a firmware TLS provider calls for its record I/O (its BIO send/receive).

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class TlsExports
{
    /// <summary>Sends TLS record bytes of a session over its TCP connection (the provider's BIO send).</summary>
    /// <param name="io">The io handle given to sw_tls_open_cb.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="length">Number of bytes (all are sent).</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or closed io or a bad buffer; SW_E_NETWORK when the connection failed.</returns>
    /// <thread>Only from inside the provider's callbacks for that session.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_tls_io_send")]
    public static Status Send(TlsIoHandle* io, [CType("const uint8_t *")] byte* data, int length)
    {
        try
        {
            FirmwareTlsStream? s = FirmwareTlsStream.IoHandles.Get((nint)io);
            if (s is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "io is NULL or closed");
            }
            if (length < 0 || (data == null && length > 0))
            {
                return AbiStatus.Fail(Status.InvalidArg, "data must not be NULL when length is positive, and length not negative");
            }
            s.IoSend(new ReadOnlySpan<byte>(data, length));
            return Status.Ok;
        }
        catch (System.IO.IOException ex)
        {
            return AbiStatus.Fail(Status.Network, ex.Message);
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Takes received TLS record bytes of a session (the provider's BIO receive); never blocks.</summary>
    /// <param name="io">The io handle given to sw_tls_open_cb.</param>
    /// <param name="buffer">Receives the bytes.</param>
    /// <param name="size">Size of buffer.</param>
    /// <param name="out_received">Receives the byte count; 0 when nothing has arrived yet (answer SW_TLS_WANT_READ).</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or closed io or bad buffer; SW_E_NETWORK when the peer closed the connection.</returns>
    /// <thread>Only from inside the provider's callbacks for that session.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_tls_io_recv")]
    public static Status Receive(TlsIoHandle* io, byte* buffer, int size, int* out_received)
    {
        try
        {
            if (out_received == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_received is NULL");
            }
            *out_received = 0;
            FirmwareTlsStream? s = FirmwareTlsStream.IoHandles.Get((nint)io);
            if (s is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "io is NULL or closed");
            }
            if (size <= 0 || buffer == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "buffer must not be NULL and size must be positive");
            }
            int n = s.IoReceive(new Span<byte>(buffer, size));
            if (n < 0)
            {
                return AbiStatus.Fail(Status.Network, "the peer closed the connection");
            }
            *out_received = n;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }
}
