// A digit start or end reported by the RFC 4733 receiver.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Dtmf;

/// <summary>Something the <see cref="DtmfReceiver"/> learned from a packet.</summary>
/// <param name="Ended">False: the event began; true: it ended.</param>
/// <param name="Event">The event code.</param>
/// <param name="Timestamp">The event's RTP timestamp (its identity).</param>
/// <param name="Duration">Duration in timestamp units (final when <paramref name="Ended"/>).</param>
public readonly record struct DtmfNotification(bool Ended, byte Event, uint Timestamp, ushort Duration);
