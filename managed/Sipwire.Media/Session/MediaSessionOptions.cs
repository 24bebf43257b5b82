// Settings of a media session: the application's audio format, the jitter buffer, DTMF timing and the echo canceller.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Session;

/// <summary>Settings for <see cref="MediaSession"/>. The application's audio format stays fixed whatever codec a re-INVITE picks.</summary>
public sealed class MediaSessionOptions
{
    /// <summary>Sample rate of the PCM16 frames the application writes and reads: 8000 or 16000 Hz.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Length of the application's frames: 10 or 20 ms.</summary>
    public int FrameMs { get; init; } = 20;

    /// <summary>Run the echo canceller on the written (microphone) frames with the read (loudspeaker) frames as the far end (issue 9 item 5).</summary>
    public bool EchoCanceller { get; init; }

    /// <summary>Echo tail the canceller covers, in milliseconds.</summary>
    public int EchoTailMs { get; init; } = 128;

    /// <summary>Largest bulk delay between loudspeaker and microphone the canceller searches, in milliseconds.</summary>
    public int EchoMaxDelayMs { get; init; } = 240;

    /// <summary>Lower bound of the jitter buffer's playout delay, in microseconds.</summary>
    public long JitterMinDelayUs { get; init; } = 20_000;

    /// <summary>Upper bound of the jitter buffer's playout delay, in microseconds.</summary>
    public long JitterMaxDelayUs { get; init; } = 300_000;

    /// <summary>Duration of each DTMF digit sent with <see cref="MediaSession.SendDtmf"/>, in milliseconds (ITU-T Q.24: at least 40).</summary>
    public int DtmfDurationMs { get; init; } = 100;

    /// <summary>Pause between two DTMF digits, in milliseconds.</summary>
    public int DtmfGapMs { get; init; } = 60;

    /// <summary>The RTCP CNAME (RFC 3550 §6.5.1); a random one when null.</summary>
    public string? Cname { get; init; }

    /// <summary>Seed of the RTCP interval randomization (tests); random when null.</summary>
    public int? RtcpSeed { get; init; }

    /// <summary>Checks the values and names the bad one.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (SampleRate is not 8000 and not 16000)
        {
            throw new ArgumentException($"SampleRate must be 8000 or 16000, not {SampleRate}.");
        }

        if (FrameMs is not 10 and not 20)
        {
            throw new ArgumentException($"FrameMs must be 10 or 20, not {FrameMs}.");
        }

        if (EchoTailMs is < 10 or > 512)
        {
            throw new ArgumentException($"EchoTailMs must be 10 to 512, not {EchoTailMs}.");
        }

        if (EchoMaxDelayMs is < 0 or > 1000)
        {
            throw new ArgumentException($"EchoMaxDelayMs must be 0 to 1000, not {EchoMaxDelayMs}.");
        }

        if (JitterMinDelayUs < 0 || JitterMaxDelayUs < JitterMinDelayUs || JitterMaxDelayUs > 1_000_000)
        {
            throw new ArgumentException($"Jitter delays must satisfy 0 <= min ({JitterMinDelayUs}) <= max ({JitterMaxDelayUs}) <= 1 s.");
        }

        if (DtmfDurationMs is < 40 or > 5000 || DtmfGapMs is < 40 or > 5000)
        {
            throw new ArgumentException("DtmfDurationMs and DtmfGapMs must be 40 to 5000 ms (ITU-T Q.24 minimum 40 ms).");
        }
    }
}
