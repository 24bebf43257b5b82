// G.722 64 kbit/s (RFC 3551 §4.5.2: 16 kHz audio, 8000 Hz RTP clock) as a session payload codec with PLC at 16 kHz.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dsp;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>G.722 mode 1: two 16 kHz samples per octet; lost packets concealed by the Appendix I style PLC at 16 kHz.</summary>
internal sealed class G722PayloadCodec : AudioPayloadCodec
{
    private G722Encoder _encoder = new();
    private G722Decoder _decoder = new();
    private Plc _plc = new(16000);

    public G722PayloadCodec(AudioCodec codec)
        : base(codec, 16000, 8000)
    {
    }

    public override int MaxPayloadBytes(int samples) => (samples + 1) / 2;

    public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload) => _encoder.Encode(pcm, payload);

    public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || payload.Length * 2 > pcm.Length)
        {
            return -1;
        }

        int samples = _decoder.Decode(payload, pcm);
        Span<short> output = pcm[..samples];
        _plc.Process(output, output);
        return samples;
    }

    public override int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        return pcm.Length;
    }

    // RFC 3551 §4.5.2: the RTP clock ticks at 8000 Hz, one tick per octet.
    public override int PayloadDuration(ReadOnlySpan<byte> payload) => payload.Length;

    public override void Reset()
    {
        _encoder.Reset();
        _decoder.Reset();
        _plc = new Plc(16000);
    }
}
