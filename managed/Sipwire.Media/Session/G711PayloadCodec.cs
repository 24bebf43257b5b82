// G.711 µ-law / A-law (PCMU, PCMA: RFC 3551 §4.5.14) as a session payload codec with Appendix I concealment.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dsp;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>PCMU or PCMA at 8 kHz: one octet per sample, G.711 Appendix I PLC for lost packets.</summary>
internal sealed class G711PayloadCodec : AudioPayloadCodec
{
    private readonly bool _aLaw;
    private Plc _plc = new(8000);

    public G711PayloadCodec(AudioCodec codec, bool aLaw)
        : base(codec, 8000, 8000)
    {
        _aLaw = aLaw;
    }

    public override int MaxPayloadBytes(int samples) => samples;

    public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (_aLaw)
        {
            G711.EncodeALaw(pcm, payload);
        }
        else
        {
            G711.EncodeULaw(pcm, payload);
        }

        return pcm.Length;
    }

    public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || payload.Length > pcm.Length)
        {
            return -1;
        }

        Span<short> output = pcm[..payload.Length];
        if (_aLaw)
        {
            G711.DecodeALaw(payload, output);
        }
        else
        {
            G711.DecodeULaw(payload, output);
        }

        _plc.Process(output, output);
        return payload.Length;
    }

    public override int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        return pcm.Length;
    }

    public override int PayloadDuration(ReadOnlySpan<byte> payload) => payload.Length;

    public override void Reset()
    {
        // A new stream must not be smoothed into the old one's history (happens only on an SSRC change).
        _plc = new Plc(8000);
    }
}
