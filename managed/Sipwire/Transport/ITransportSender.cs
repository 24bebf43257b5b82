// The outbound edge the sans-IO layers write to: a socket, a firmware callback or a simulated network.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Transport;

/// <summary>
/// Sends one complete SIP message. Implementations copy the bytes before returning
/// (the caller reuses its buffer). Called only on the endpoint's thread.
/// </summary>
public interface ITransportSender
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="destination"/>; false on a transport error (§17.1.4, §17.2.4).</summary>
    bool Send(ReadOnlySpan<byte> message, in PeerAddress destination);
}
