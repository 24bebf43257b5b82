// SPDX-License-Identifier: MIT
// An audio codec as SDP names it: encoding name, RTP clock rate, channels, payload type, fmtp.

using System;

namespace Sipwire.Session;

/// <summary>
/// An RTP audio payload format (RFC 3551, RFC 7587). Codecs match by encoding name (case-insensitive),
/// clock rate and channels, never by payload type number (RFC 3264 §6.1).
/// </summary>
/// <param name="EncodingName">The rtpmap encoding name, e.g. "PCMU".</param>
/// <param name="ClockRate">The RTP clock rate (G.722 is 8000 on the wire: RFC 3551 §4.5.2).</param>
/// <param name="Channels">Audio channels as written in rtpmap (Opus is always 2: RFC 7587 §7).</param>
/// <param name="StaticPayloadType">The RFC 3551 static payload type, or -1 for a dynamic one.</param>
/// <param name="Fmtp">The a=fmtp parameters we offer, or null.</param>
public sealed record AudioCodec(string EncodingName, int ClockRate, int Channels, int StaticPayloadType, string? Fmtp = null)
{
    /// <summary>G.711 µ-law, static payload type 0.</summary>
    public static AudioCodec Pcmu { get; } = new("PCMU", 8000, 1, 0);

    /// <summary>G.711 A-law, static payload type 8.</summary>
    public static AudioCodec Pcma { get; } = new("PCMA", 8000, 1, 8);

    /// <summary>G.722, static payload type 9, 16 kHz audio with an 8000 RTP clock.</summary>
    public static AudioCodec G722 { get; } = new("G722", 8000, 1, 9);

    /// <summary>Opus (RFC 7587), dynamic; in-band FEC on.</summary>
    public static AudioCodec Opus { get; } = new("opus", 48000, 2, -1, "useinbandfec=1");

    /// <summary>Linear 16-bit PCM at 16 kHz, dynamic.</summary>
    public static AudioCodec L16Wideband { get; } = new("L16", 16000, 1, -1);

    /// <summary>RFC 4733 telephone-event at 8 kHz, dynamic; events 0-15 (the DTMF digits).</summary>
    public static AudioCodec TelephoneEvent { get; } = new("telephone-event", 8000, 1, -1, "0-15");

    /// <summary>True when <paramref name="name"/>, <paramref name="clockRate"/> and <paramref name="channels"/> name this codec.</summary>
    public bool Matches(string name, int clockRate, int channels) =>
        string.Equals(name, EncodingName, StringComparison.OrdinalIgnoreCase) && clockRate == ClockRate && channels == Channels;

    /// <summary>The codec of a static payload type offered without a=rtpmap (RFC 3551 table 4), or null.</summary>
    public static AudioCodec? FromStaticPayloadType(int payloadType) => payloadType switch
    {
        0 => Pcmu,
        8 => Pcma,
        9 => G722,
        _ => null,
    };
}
