// SPDX-License-Identifier: MIT
// The outcome of an offer/answer exchange for the audio stream, from the local side's view.

using System.Collections.Generic;
using System.Net;

namespace Sipwire.Session;

/// <summary>What the media engine needs to run the call's audio (RFC 3264 §6, §7).</summary>
public sealed record NegotiatedAudio
{
    /// <summary>Where to send RTP (RTCP goes to port + 1, RFC 3550 §11).</summary>
    public required IPEndPoint Remote { get; init; }

    /// <summary>The codec to send with.</summary>
    public required AudioCodec SendCodec { get; init; }

    /// <summary>The payload type to send <see cref="SendCodec"/> with (the peer's number for it).</summary>
    public required int SendPayloadType { get; init; }

    /// <summary>Payload type to codec, for what may arrive.</summary>
    public required IReadOnlyDictionary<int, AudioCodec> ReceivePayloadTypes { get; init; }

    /// <summary>The RFC 4733 telephone-event payload type both sides agreed, or -1.</summary>
    public int TelephoneEventPayloadType { get; init; } = -1;

    /// <summary>Packet time in milliseconds (the peer's a=ptime, else 20).</summary>
    public int PTimeMs { get; init; } = 20;

    /// <summary>True when the local side may send (hold: false).</summary>
    public bool Send { get; init; }

    /// <summary>True when the local side expects to receive.</summary>
    public bool Receive { get; init; }

    /// <summary>SRTP keys when the stream is RTP/SAVP (RFC 4568), else null.</summary>
    public SrtpKeys? Srtp { get; init; }
}
