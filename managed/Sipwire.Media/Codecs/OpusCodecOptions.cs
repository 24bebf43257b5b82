// Settings of an OpusCodec: sample rate, frame duration, bitrate, complexity, FEC, DTX.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Codecs;

/// <summary>
/// Settings for <see cref="OpusCodec"/>. The defaults suit a VoIP call: mono, 20 ms frames,
/// complexity 5, a speech hint, and the bitrate RFC 7587 §3.1.1 recommends for the sample rate.
/// </summary>
public sealed class OpusCodecOptions
{
    /// <summary>PCM sample rate in Hz: 8000 (NB), 12000 (MB), 16000 (WB), 24000 (SWB) or 48000 (FB). Default 48000.</summary>
    /// <remarks>The RTP clock stays 48 kHz whatever this is (RFC 7587 §4.1).</remarks>
    public int SampleRate { get; init; } = 48000;

    /// <summary>1 (mono) or 2 (interleaved stereo). Default 1.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Frame duration in ms: 10, 20, 40 or 60 (RFC 7587 §4.2 ptime). Default 20.</summary>
    public int FrameDurationMs { get; init; } = 20;

    /// <summary>
    /// Target bitrate in bit/s, 6000..510000; 0 (default) picks the RFC 7587 §3.1.1 speech
    /// recommendation for the sample rate (NB 12, MB 16, WB 20, SWB 28, FB 32 kbit/s).
    /// </summary>
    public int Bitrate { get; init; }

    /// <summary>Encoder complexity 0..10 (more is better quality for more CPU). Default 5.</summary>
    public int Complexity { get; init; } = 5;

    /// <summary>Signal hint; <see cref="OpusSignalHint.Voice"/> by default.</summary>
    public OpusSignalHint Signal { get; init; } = OpusSignalHint.Voice;

    /// <summary>The widest audio bandwidth the encoder may code (RFC 7587 §6.1 maxplaybackrate). Default no cap.</summary>
    public OpusBandwidth MaxBandwidth { get; init; } = OpusBandwidth.Auto;

    /// <summary>
    /// In-band FEC (RFC 6716 §2.1.7; SDP useinbandfec=1, RFC 7587 §6.1): each packet also carries
    /// a low-bitrate copy of the previous frame. Effective only in the SILK and hybrid modes.
    /// </summary>
    public bool InbandFec { get; init; }

    /// <summary>Expected packet loss in percent, 0..100; with <see cref="InbandFec"/> it sets how much FEC is sent. Default 0.</summary>
    public int PacketLossPercent { get; init; }

    /// <summary>Discontinuous transmission (RFC 6716 §2.1.9; SDP usedtx=1): silence gives packets of 1–2 octets that need not be sent.</summary>
    public bool Dtx { get; init; }

    /// <summary>Variable bitrate (RFC 7587 §3.1.2; SDP cbr=1 turns it off). Default true.</summary>
    public bool Vbr { get; init; } = true;
}
