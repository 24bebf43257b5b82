// L16 (RFC 3551 §4.5.11: big-endian linear PCM) at 8 or 16 kHz mono as a session payload codec with PLC.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers;
using Sipwire.Dsp;
using Sipwire.Media.Codecs;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>L16 mono at its RTP clock rate (8000 or 16000 Hz); lost packets concealed by the PLC.</summary>
internal sealed class L16PayloadCodec : AudioPayloadCodec
{
    private Plc _plc;

    public L16PayloadCodec(AudioCodec codec)
        : base(codec, codec.ClockRate, codec.ClockRate)
    {
        _plc = new Plc(codec.ClockRate);
    }

    public override int MaxPayloadBytes(int samples) => samples * L16.BytesPerSample;

    public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        L16.Encode(pcm, payload, out int written);
        return written;
    }

    public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || L16.Decode(payload, pcm, out int samples) != OperationStatus.Done)
        {
            return -1;
        }

        Span<short> output = pcm[..samples];
        _plc.Process(output, output);
        return samples;
    }

    public override int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        return pcm.Length;
    }

    public override int PayloadDuration(ReadOnlySpan<byte> payload) => payload.Length / L16.BytesPerSample;

    public override void Reset() => _plc = new Plc(AudioRate);
}
