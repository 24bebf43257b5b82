// One datagram on the simulated network.
// SPDX-License-Identifier: MIT

using System.Text;
using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

/// <summary>A datagram: when it was sent (or is due), from, to and its bytes.</summary>
public sealed record SimPacket(long SentAt, PeerAddress From, PeerAddress To, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);

    /// <summary>The start line ("INVITE sip:..." or "SIP/2.0 180 Ringing").</summary>
    public string StartLine => Text[..Text.IndexOf('\r', System.StringComparison.Ordinal)];
}
