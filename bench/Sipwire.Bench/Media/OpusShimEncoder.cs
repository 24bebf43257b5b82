// One libopus encoder (OPUS_APPLICATION_VOIP) through the bench/native/opus shim.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Bench.Media;

/// <summary>A libopus VOIP encoder with its settings fixed at creation.</summary>
internal sealed unsafe class OpusShimEncoder : IDisposable
{
    private nint _encoder;

    /// <summary>Creates the encoder. <paramref name="signal"/>: 0 auto, 1 voice, 2 music.</summary>
    public OpusShimEncoder(int sampleRate, int channels, int bitrate, int complexity, int signal, bool inbandFec = false, int lossPercent = 0, bool dtx = false)
    {
        OpusShim.EnsureLoaded();
        nint encoder;
        int status = OpusShim.EncoderCreate(sampleRate, channels, bitrate, complexity, signal, inbandFec ? 1 : 0, lossPercent, dtx ? 1 : 0, &encoder);
        if (status != 0)
        {
            throw new InvalidOperationException($"opus_encoder_create/ctl failed: {status}");
        }

        _encoder = encoder;
        Channels = channels;
    }

    public int Channels { get; }

    /// <summary>opus_encode of one frame; returns the packet length or the negative OPUS_* error.</summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        fixed (short* p = pcm)
        fixed (byte* d = packet)
        {
            return OpusShim.Encode(_encoder, p, pcm.Length / Channels, d, packet.Length);
        }
    }

    public void Dispose()
    {
        if (_encoder != 0)
        {
            OpusShim.EncoderDestroy(_encoder);
            _encoder = 0;
        }
    }
}
