// What a media session reports to the application.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Session;

/// <summary>The kinds of <see cref="MediaSessionEvent"/>.</summary>
public enum MediaSessionEventKind
{
    /// <summary>An RFC 4733 DTMF event started (<see cref="MediaSessionEvent.Digit"/> set).</summary>
    DtmfBegin = 0,

    /// <summary>An RFC 4733 DTMF event ended (<see cref="MediaSessionEvent.Digit"/> and <see cref="MediaSessionEvent.DurationMs"/> set).</summary>
    DtmfEnd = 1,

    /// <summary>Outgoing RTP now goes to where the peer's media comes from (RFC 4961); <see cref="MediaSessionEvent.Remote"/> set.</summary>
    RemoteLatched = 2,

    /// <summary>The peer's SSRC appeared or changed (a new stream; the jitter buffer restarted).</summary>
    RemoteStreamStarted = 3,

    /// <summary>The peer sent RTCP BYE (RFC 3550 §6.6).</summary>
    RemoteBye = 4,
}
