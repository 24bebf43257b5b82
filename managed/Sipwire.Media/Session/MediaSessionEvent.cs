// One media session event as data (a digit, an address, a stream change), for C# and the C ABI alike.
// SPDX-License-Identifier: MIT

using System.Net;

namespace Sipwire.Media.Session;

/// <summary>An event of a <see cref="MediaSession"/>, raised inside <see cref="MediaSession.Poll"/> on the caller's thread.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Digit">The DTMF digit (0-9, *, #, A-D; '\0' for other events) for DTMF events, else '\0'.</param>
/// <param name="DurationMs">The event's duration for <see cref="MediaSessionEventKind.DtmfEnd"/>, else 0.</param>
/// <param name="Ssrc">The remote SSRC involved, when there is one.</param>
/// <param name="Remote">The new destination for <see cref="MediaSessionEventKind.RemoteLatched"/>, else null.</param>
public readonly record struct MediaSessionEvent(MediaSessionEventKind Kind, char Digit, int DurationMs, uint Ssrc, IPEndPoint? Remote);
