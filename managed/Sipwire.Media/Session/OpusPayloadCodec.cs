// Opus (RFC 7587: 48 kHz RTP clock, one Opus packet per RTP packet) as a session payload codec, run at the application's rate.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Media.Codecs;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>
/// Opus in VoIP mode at the application's PCM rate, mono, in-band FEC on; the codec's own
/// concealment for lost packets (RFC 6716 §4.4). Concentus allocates inside its encode and decode
/// calls, so this codec is not allocation-free (the G.711, G.722 and L16 codecs are).
/// </summary>
internal sealed class OpusPayloadCodec : AudioPayloadCodec
{
    private readonly OpusCodec _opus;
    private readonly short[] _scratch;

    public OpusPayloadCodec(AudioCodec codec, int appRate, int frameMs)
        : base(codec, appRate, 48000)
    {
        _opus = new OpusCodec(new OpusCodecOptions
        {
            SampleRate = appRate,
            Channels = 1,
            FrameDurationMs = frameMs,
            InbandFec = true,
            PacketLossPercent = 5,
        });
        _scratch = new short[appRate * 120 / 1000]; // the longest Opus packet (RFC 6716 §3.2.5)
    }

    /// <summary>Samples per encoded frame at the application's rate.</summary>
    public int FrameSamples => _opus.FrameSamples;

    public override int MaxPayloadBytes(int samples) => OpusCodec.MaxPacketBytes;

    public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload) => _opus.Encode(pcm, payload);

    public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm) =>
        _opus.Decode(payload, pcm, out int samples) == OpusDecodeStatus.Ok ? samples : -1;

    public override int Conceal(Span<short> pcm)
    {
        // Opus conceals one packet's duration per call (the last decoded one's); fill what is asked.
        int written = 0;
        while (written < pcm.Length)
        {
            int n = _opus.Conceal(_scratch);
            if (n <= 0)
            {
                break;
            }

            n = Math.Min(n, pcm.Length - written);
            _scratch.AsSpan(0, n).CopyTo(pcm[written..]);
            written += n;
        }

        pcm[written..].Clear();
        return pcm.Length;
    }

    /// <summary>
    /// Rebuilds a lost packet from the in-band FEC of the packet after it (RFC 6716 §2.1.7) into
    /// <paramref name="pcm"/>; returns the samples written, or -1 when <paramref name="next"/> is unusable.
    /// </summary>
    public int RecoverFromNext(ReadOnlySpan<byte> next, Span<short> pcm)
    {
        if (_opus.DecodeFec(next, _scratch, out int samples) != OpusDecodeStatus.Ok)
        {
            return -1;
        }

        int n = Math.Min(samples, pcm.Length);
        _scratch.AsSpan(0, n).CopyTo(pcm);
        pcm[n..].Clear();
        return pcm.Length;
    }

    public override int PayloadDuration(ReadOnlySpan<byte> payload) =>
        OpusPacket.Validate(payload, out int samples48k) == OpusDecodeStatus.Ok ? samples48k : -1;

    public override void Reset() => _opus.Reset();
}
