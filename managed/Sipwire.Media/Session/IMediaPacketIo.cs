// The datagram I/O a media session runs over: a UDP socket pair, a board's own stack, or a simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Net;

namespace Sipwire.Media.Session;

/// <summary>
/// Non-blocking datagram I/O for the RTP and RTCP flows of one media session. The session calls it
/// only from its own thread (inside <see cref="MediaSession.Poll"/>, <see cref="MediaSession.WriteAudio"/>
/// and <see cref="MediaSession.Stop"/>). Implementations should not allocate per datagram: the
/// session's steady state is allocation-free and that includes this interface.
/// </summary>
public interface IMediaPacketIo : IDisposable
{
    /// <summary>Where the RTP socket is bound (RTCP is on the next port).</summary>
    IPEndPoint LocalRtp { get; }

    /// <summary>
    /// Sends one datagram from the socket of <paramref name="component"/> to <paramref name="destination"/>.
    /// Returns false when it could not be sent (the session counts it; UDP may drop it anyway).
    /// </summary>
    bool Send(MediaComponent component, ReadOnlySpan<byte> datagram, IPEndPoint destination);

    /// <summary>
    /// Takes one waiting datagram of <paramref name="component"/> into <paramref name="buffer"/>
    /// without blocking. Returns its length and source, or -1 when none is waiting. A datagram
    /// longer than the buffer is truncated to it (the session then rejects it as malformed).
    /// </summary>
    int Receive(MediaComponent component, Span<byte> buffer, out IPEndPoint? source);
}
