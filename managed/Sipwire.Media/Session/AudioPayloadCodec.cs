// One negotiated audio payload format as the media session uses it: PCM in, RTP payload out, and back, with concealment.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>
/// Encoder and decoder of one RTP audio payload format at a fixed PCM rate (<see cref="AudioRate"/>),
/// with its RTP clock (<see cref="RtpClockRate"/>) and its loss concealment. Implementations
/// allocate all state in the constructor; encode, decode and conceal allocate nothing
/// (except Opus, whose Concentus decoder and encoder allocate inside the library).
/// </summary>
internal abstract class AudioPayloadCodec
{
    protected AudioPayloadCodec(AudioCodec codec, int audioRate, int rtpClockRate)
    {
        Codec = codec;
        AudioRate = audioRate;
        RtpClockRate = rtpClockRate;
    }

    /// <summary>The SDP codec this instance implements.</summary>
    public AudioCodec Codec { get; }

    /// <summary>Sample rate of the PCM the codec takes and gives.</summary>
    public int AudioRate { get; }

    /// <summary>RTP timestamp units per second (RFC 3551 §4.5.2: G.722 is 8000 although it codes 16 kHz audio).</summary>
    public int RtpClockRate { get; }

    /// <summary>Largest payload one packet of <paramref name="samples"/> PCM samples can need.</summary>
    public abstract int MaxPayloadBytes(int samples);

    /// <summary>Encodes <paramref name="pcm"/> (one packet's worth at <see cref="AudioRate"/>); returns the payload length.</summary>
    public abstract int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>
    /// Decodes one received payload into <paramref name="pcm"/>; returns the samples written, or -1
    /// when the payload is malformed (then nothing is written and the caller conceals).
    /// </summary>
    public abstract int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>Writes <paramref name="pcm"/>.Length samples of concealment for a lost packet; returns the samples written.</summary>
    public abstract int Conceal(Span<short> pcm);

    /// <summary>The duration of a received payload in RTP timestamp units, or -1 when it cannot be told.</summary>
    public abstract int PayloadDuration(ReadOnlySpan<byte> payload);

    /// <summary>Forgets the stream (new SSRC).</summary>
    public abstract void Reset();

    /// <summary>
    /// Creates the codec for <paramref name="codec"/>, or null when the media engine has no
    /// implementation of it. <paramref name="appRate"/> is the application's PCM rate (Opus runs at
    /// it natively); <paramref name="ptimeMs"/> the packet time.
    /// </summary>
    public static AudioPayloadCodec? Create(AudioCodec codec, int appRate, int ptimeMs)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (codec.Matches("PCMU", 8000, 1))
        {
            return new G711PayloadCodec(codec, aLaw: false);
        }

        if (codec.Matches("PCMA", 8000, 1))
        {
            return new G711PayloadCodec(codec, aLaw: true);
        }

        if (codec.Matches("G722", 8000, 1))
        {
            return new G722PayloadCodec(codec);
        }

        if (codec.Matches("L16", 8000, 1) || codec.Matches("L16", 16000, 1))
        {
            return new L16PayloadCodec(codec);
        }

        // The guard is a feature switch: a build without Opus holds no reference to Concentus.
        if (MediaFeatures.IsOpusSupported && codec.Matches("opus", 48000, 2))
        {
            // RFC 7587 §4.2: one Opus packet per RTP packet; Opus frames are 10, 20, 40 or 60 ms.
            int frameMs = ptimeMs is 10 or 20 or 40 or 60 ? ptimeMs : 20;
            return new OpusPayloadCodec(codec, appRate, frameMs);
        }

        return null;
    }
}
