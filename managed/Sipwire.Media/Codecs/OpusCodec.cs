// Opus (RFC 6716) encoder and decoder pair for one RTP stream, over Concentus' managed implementation.
// SPDX-License-Identifier: MIT

using System;
using Concentus;
using Concentus.Enums;

namespace Sipwire.Media.Codecs;

/// <summary>
/// One Opus stream in each direction: PCM16 frames in, packets out; packets in, PCM16 out, with
/// packet loss concealment and in-band FEC recovery. Always the managed Concentus codec, never
/// a libopus the host happens to have, so behaviour does not depend on the machine. After
/// construction no call allocates. One instance per stream; not thread-safe.
/// </summary>
public sealed class OpusCodec
{
    /// <summary>
    /// A packet buffer this large holds any packet <see cref="Encode"/> makes (libopus'
    /// trivial_example.c: three frames of at most 1275 octets plus their framing).
    /// </summary>
    public const int MaxPacketBytes = 3 * 1276;

    // SpeexDSP quality 5 (its VoIP-to-desktop default range): about 80 dB of alias rejection.
    private const int DownsamplerQuality = 5;

    private readonly IOpusEncoder _encoder;
    private readonly IOpusDecoder _decoder;
    private readonly int[] _frameOffsets = new int[OpusPacket.MaxFrames];
    private readonly int[] _frameLengths = new int[OpusPacket.MaxFrames];
    private readonly byte[] _singleFrame = new byte[1 + OpusPacket.MaxFrameBytes];
    private readonly IResampler? _downsampler;
    private readonly short[] _wide;
    private readonly int _ratio;

    /// <summary>Creates the encoder and decoder.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its documented range.</exception>
    public OpusCodec(OpusCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SampleRate is not (8000 or 12000 or 16000 or 24000 or 48000))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SampleRate, "SampleRate must be 8000, 12000, 16000, 24000 or 48000 Hz (RFC 6716 §2).");
        }

        if (options.Channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Channels must be 1 or 2.");
        }

        if (options.FrameDurationMs is not (10 or 20 or 40 or 60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FrameDurationMs, "FrameDurationMs must be 10, 20, 40 or 60.");
        }

        if (options.Bitrate != 0 && options.Bitrate is < 6000 or > 510000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Bitrate, "Bitrate must be 0 (recommended) or 6000..510000 bit/s (RFC 7587 §3.1.1).");
        }

        if (options.Complexity is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Complexity, "Complexity must be 0..10.");
        }

        if (options.PacketLossPercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PacketLossPercent, "PacketLossPercent must be 0..100.");
        }

        SampleRate = options.SampleRate;
        Channels = options.Channels;
        FrameDurationMs = options.FrameDurationMs;
        FrameSamples = options.SampleRate / 1000 * options.FrameDurationMs;
        Bitrate = options.Bitrate != 0 ? options.Bitrate : RecommendedBitrate(options.SampleRate) * options.Channels;

        // Concentus would otherwise hand out libopus when the host has it installed.
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
        _encoder = OpusCodecFactory.CreateEncoder(SampleRate, Channels, OpusApplication.OPUS_APPLICATION_VOIP);
        _encoder.Bitrate = Bitrate;
        _encoder.Complexity = options.Complexity;
        _encoder.SignalType = options.Signal switch
        {
            OpusSignalHint.Voice => OpusSignal.OPUS_SIGNAL_VOICE,
            OpusSignalHint.Music => OpusSignal.OPUS_SIGNAL_MUSIC,
            _ => OpusSignal.OPUS_SIGNAL_AUTO,
        };
        _encoder.MaxBandwidth = options.MaxBandwidth switch
        {
            OpusBandwidth.Narrowband => Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND,
            OpusBandwidth.Mediumband => Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND,
            OpusBandwidth.Wideband => Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND,
            OpusBandwidth.SuperWideband => Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND,
            _ => Concentus.Enums.OpusBandwidth.OPUS_BANDWIDTH_FULLBAND,
        };
        _encoder.UseInbandFEC = options.InbandFec;
        _encoder.PacketLossPercent = options.PacketLossPercent;
        _encoder.UseDTX = options.Dtx;
        _encoder.UseVBR = options.Vbr;

        // Concentus 2.2.2 decodes hybrid packets (SILK + CELT, RFC 6716 §3.1 configs 12-15, what
        // a super-wideband or fullband sender makes) to near silence when its output rate is
        // below 48 kHz; SILK-only and CELT-only packets are fine. So the decoder always runs at
        // 48 kHz and a 48 kHz -> SampleRate resampler (the SpeexDSP port in Concentus) follows.
        _decoder = OpusCodecFactory.CreateDecoder(48000, Channels);
        _ratio = 48000 / SampleRate;
        _wide = _ratio == 1 ? [] : new short[OpusPacket.MaxSamples48k * Channels];
        _downsampler = _ratio == 1 ? null : ResamplerFactory.CreateResampler(Channels, 48000, SampleRate, DownsamplerQuality);
    }

    /// <summary>PCM sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Number of interleaved channels.</summary>
    public int Channels { get; }

    /// <summary>Encoder frame duration in ms.</summary>
    public int FrameDurationMs { get; }

    /// <summary>Samples per channel in one encoder frame; <see cref="Encode"/> takes FrameSamples * Channels samples.</summary>
    public int FrameSamples { get; }

    /// <summary>The encoder's target bitrate in bit/s.</summary>
    public int Bitrate { get; }

    /// <summary>The encoder's algorithmic delay (lookahead) in samples per channel at <see cref="SampleRate"/>.</summary>
    public int Lookahead => _encoder.Lookahead;

    /// <summary>The concrete encoder type (tests check it is the managed one).</summary>
    internal Type EncoderType => _encoder.GetType();

    /// <summary>The delay the decoder adds after the encoder's <see cref="Lookahead"/>, in samples per channel (the 48 kHz -> SampleRate resampler's filter).</summary>
    public int DecoderDelay => _downsampler?.OutputLatencySamples ?? 0;

    /// <summary>The concrete decoder type.</summary>
    internal Type DecoderType => _decoder.GetType();

    /// <summary>
    /// True when an encoded packet of <paramref name="length"/> octets is a DTX frame that need
    /// not be transmitted (libopus opus_encode: "2 bytes or less").
    /// </summary>
    public static bool IsDiscontinuous(int length) => length <= 2;

    /// <summary>Encodes one frame.</summary>
    /// <param name="pcm">Exactly <see cref="FrameSamples"/> * <see cref="Channels"/> samples, interleaved.</param>
    /// <param name="packet">Receives the packet; <see cref="MaxPacketBytes"/> is always enough, a smaller buffer caps this packet's size.</param>
    /// <returns>The packet length in octets (see <see cref="IsDiscontinuous"/>).</returns>
    /// <exception cref="ArgumentException">The frame has the wrong length, or <paramref name="packet"/> is too small to hold even a minimal packet.</exception>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        if (pcm.Length != FrameSamples * Channels)
        {
            throw new ArgumentException($"A {FrameDurationMs} ms frame at {SampleRate} Hz is {FrameSamples * Channels} samples; got {pcm.Length}.", nameof(pcm));
        }

        if (packet.Length < 3)
        {
            throw new ArgumentException("The packet buffer must hold at least 3 octets.", nameof(packet));
        }

        return _encoder.Encode(pcm, FrameSamples, packet, Math.Min(packet.Length, MaxPacketBytes));
    }

    /// <summary>Decodes one received packet.</summary>
    /// <param name="packet">The RTP payload (one Opus packet, RFC 7587 §4.2).</param>
    /// <param name="pcm">Receives the audio; it must hold the packet's duration (at most 120 ms) times <see cref="Channels"/>.</param>
    /// <param name="samples">Samples per channel written.</param>
    /// <returns><see cref="OpusDecodeStatus.Ok"/>, or why the packet was rejected (the decoder state is then unchanged).</returns>
    public OpusDecodeStatus Decode(ReadOnlySpan<byte> packet, Span<short> pcm, out int samples)
    {
        samples = 0;
        OpusDecodeStatus status = OpusPacket.Validate(packet, _frameOffsets, _frameLengths, out int frames, out int samples48k);
        if (status != OpusDecodeStatus.Ok)
        {
            return status;
        }

        int packetSamples = samples48k / (48000 / SampleRate);
        if (pcm.Length < packetSamples * Channels)
        {
            return OpusDecodeStatus.BufferTooSmall;
        }

        if (!HasEmptyFrame(frames))
        {
            return Run(packet, pcm, packetSamples, fec: false, out samples);
        }

        // RFC 6716 §3.2.1: a frame of 0 octets (and libopus treats 1 the same) carries no audio,
        // it is DTX or a lost frame, so the decoder conceals it. Concentus 2.2.2 throws on such
        // frames inside a packet instead, so each frame goes in alone: empty ones as PLC, the
        // others repacked as single-frame code-0 packets, which is what opus_decode_native does
        // frame by frame.
        int frameSamples = packetSamples / frames;
        int written = 0;
        for (int i = 0; i < frames; i++)
        {
            ReadOnlySpan<byte> frame = ReadOnlySpan<byte>.Empty;
            if (_frameLengths[i] > 1)
            {
                _singleFrame[0] = (byte)(packet[0] & 0xFC);
                packet.Slice(_frameOffsets[i], _frameLengths[i]).CopyTo(_singleFrame.AsSpan(1));
                frame = _singleFrame.AsSpan(0, 1 + _frameLengths[i]);
            }

            status = Run(frame, pcm[(written * Channels)..], frameSamples, fec: false, out int frameWritten);
            if (status != OpusDecodeStatus.Ok)
            {
                return status;
            }

            written += frameWritten;
        }

        samples = written;
        return OpusDecodeStatus.Ok;
    }

    /// <summary>
    /// Conceals one lost packet (the codec's own PLC, RFC 6716 §4.4). The lost packet is taken to
    /// last as long as the last one decoded (<see cref="FrameSamples"/> before the first).
    /// </summary>
    /// <param name="pcm">Receives the concealment; it must hold that duration times <see cref="Channels"/>.</param>
    /// <returns>Samples per channel written.</returns>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is too small.</exception>
    public int Conceal(Span<short> pcm)
    {
        int lost = LostSamples();
        if (pcm.Length < lost * Channels)
        {
            throw new ArgumentException($"Concealing {lost} samples per channel needs {lost * Channels} samples; got {pcm.Length}.", nameof(pcm));
        }

        OpusDecodeStatus status = Run(ReadOnlySpan<byte>.Empty, pcm, lost, fec: false, out int samples);
        return status == OpusDecodeStatus.Ok ? samples : throw new InvalidOperationException("The Opus decoder failed to conceal a lost packet.");
    }

    /// <summary>
    /// Rebuilds a lost packet from the in-band FEC data of the packet that followed it
    /// (RFC 6716 §2.1.7; opus_decode with decode_fec = 1). Then decode <paramref name="nextPacket"/>
    /// itself with <see cref="Decode"/>. When the next packet carries no FEC data the decoder
    /// conceals instead, so the output is always usable audio. The lost packet is taken to last as
    /// long as the last one decoded.
    /// </summary>
    /// <param name="nextPacket">The packet received after the gap.</param>
    /// <param name="pcm">Receives the recovered audio of the lost packet.</param>
    /// <param name="samples">Samples per channel written.</param>
    /// <returns><see cref="OpusDecodeStatus.Ok"/>, or why <paramref name="nextPacket"/> was rejected (then conceal with <see cref="Conceal"/>).</returns>
    public OpusDecodeStatus DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm, out int samples)
    {
        samples = 0;
        OpusDecodeStatus status = OpusPacket.Validate(nextPacket, _frameOffsets, _frameLengths, out _, out _);
        if (status != OpusDecodeStatus.Ok)
        {
            return status;
        }

        int lost = LostSamples();
        if (pcm.Length < lost * Channels)
        {
            return OpusDecodeStatus.BufferTooSmall;
        }

        // The FEC data sits in the first frame; an empty one has none, and libopus conceals
        // (Concentus 2.2.2 would throw, see Decode).
        ReadOnlySpan<byte> source = _frameLengths[0] > 1 ? nextPacket : ReadOnlySpan<byte>.Empty;
        return Run(source, pcm, lost, fec: !source.IsEmpty, out samples);
    }

    /// <summary>Returns the encoder and decoder to their initial state (a new stream, e.g. after an SSRC change).</summary>
    public void Reset()
    {
        _encoder.ResetState();
        _decoder.ResetState();
        _downsampler?.ResetMem();
    }

    // RFC 7587 §3.1.1 recommended speech bitrates, per audio bandwidth.
    private static int RecommendedBitrate(int sampleRate) => sampleRate switch
    {
        8000 => 12000,
        12000 => 16000,
        16000 => 20000,
        24000 => 28000,
        _ => 32000,
    };

    private int LostSamples()
    {
        int last = _decoder.LastPacketDuration / _ratio;
        return last > 0 ? last : FrameSamples;
    }

    private bool HasEmptyFrame(int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            if (_frameLengths[i] <= 1)
            {
                return true;
            }
        }

        return false;
    }

    private OpusDecodeStatus Run(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize, bool fec, out int samples)
    {
        samples = 0;
        try
        {
            if (_downsampler is null)
            {
                samples = _decoder.Decode(packet, pcm, frameSize, fec);
                return OpusDecodeStatus.Ok;
            }

            int wide = _decoder.Decode(packet, _wide, frameSize * _ratio, fec);
            int consumed = wide;
            int produced = pcm.Length / Channels;
            _downsampler.ProcessInterleaved(_wide.AsSpan(0, wide * Channels), ref consumed, pcm, ref produced);
            samples = produced;
            return OpusDecodeStatus.Ok;
        }
        catch (OpusException)
        {
            // The framing was valid (checked above), so this is the decoder's own refusal; start
            // clean so one bad packet cannot poison the rest of the stream.
            _decoder.ResetState();
            return OpusDecodeStatus.DecoderError;
        }
    }
}
