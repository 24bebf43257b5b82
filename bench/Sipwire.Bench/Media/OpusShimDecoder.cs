// One libopus decoder through the bench/native/opus shim.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Bench.Media;

/// <summary>A libopus decoder.</summary>
internal sealed unsafe class OpusShimDecoder : IDisposable
{
    private nint _decoder;

    public OpusShimDecoder(int sampleRate, int channels)
    {
        OpusShim.EnsureLoaded();
        nint decoder;
        int status = OpusShim.DecoderCreate(sampleRate, channels, &decoder);
        if (status != 0)
        {
            throw new InvalidOperationException($"opus_decoder_create failed: {status}");
        }

        _decoder = decoder;
        Channels = channels;
    }

    public int Channels { get; }

    /// <summary>
    /// opus_decode into <paramref name="pcm"/> (frame_size = its length / channels); an empty
    /// packet asks for PLC. Returns samples per channel or the negative OPUS_* error.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, bool decodeFec = false)
    {
        ObjectDisposedException.ThrowIf(_decoder == 0, this);
        fixed (byte* d = packet)
        fixed (short* p = pcm)
        {
            return OpusShim.Decode(_decoder, d, packet.Length, p, pcm.Length / Channels, decodeFec ? 1 : 0);
        }
    }

    public void Dispose()
    {
        if (_decoder != 0)
        {
            OpusShim.DecoderDestroy(_decoder);
            _decoder = 0;
        }
    }
}
