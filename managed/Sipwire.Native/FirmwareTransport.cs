// SPDX-License-Identifier: MIT
// ITransportSender over the firmware's sw_transport_send_cb, for devices with their own IP stack.

using System;
using System.Text;
using Sipwire.Transport;

namespace Sipwire.Native;

/// <summary>
/// Hands every outgoing message to the firmware's send callback (the transaction layer already
/// takes any <see cref="ITransportSender"/>; no socket is opened). Incoming messages arrive through
/// sw_endpoint_input().
/// </summary>
internal sealed unsafe class FirmwareTransport(delegate* unmanaged<int, byte*, byte*, int, void*, int> send, void* userData) : ITransportSender
{
    private readonly byte[] _destination = new byte[64];

    /// <summary>Messages the callback refused.</summary>
    public int SendFailures { get; private set; }

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
    {
        // "ip:port" / "[v6]:port", NUL-terminated, in a reused buffer.
        int n = destination.FormatHost(_destination);
        n += Encoding.ASCII.GetBytes(":" + destination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _destination.AsSpan(n));
        _destination[n] = 0;
        int result;
        fixed (byte* d = _destination)
        fixed (byte* m = message)
        {
            result = send((int)destination.Protocol, d, m, message.Length, userData);
        }
        if (result != 0) SendFailures++;
        return result == 0;
    }
}
