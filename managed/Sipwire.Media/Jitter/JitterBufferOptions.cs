// Configuration of the adaptive jitter buffer.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Jitter;

/// <summary>Settings for <see cref="JitterBuffer"/>. All delays in microseconds.</summary>
public sealed class JitterBufferOptions
{
    /// <summary>RTP clock rate of the payload (8000 for G.711, 48000 for Opus...).</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>Samples per frame (RTP timestamp increment per packet): 160 = 20 ms at 8 kHz.</summary>
    public int FrameSamples { get; init; } = 160;

    /// <summary>Largest payload a slot holds.</summary>
    public int MaxPayloadBytes { get; init; } = 1500;

    /// <summary>Slots (frames) in the buffer; bounds memory and the largest delay.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Lower bound of the playout delay.</summary>
    public long MinDelayUs { get; init; } = 20_000;

    /// <summary>Upper bound of the playout delay.</summary>
    public long MaxDelayUs { get; init; } = 400_000;

    /// <summary>Delay used until enough arrivals have been measured.</summary>
    public long InitialDelayUs { get; init; } = 60_000;

    /// <summary>Fraction of packets allowed to miss their playout time: the target delay is this quantile of the measured delay spread.</summary>
    public double LateQuantile { get; init; } = 0.95;

    /// <summary>Arrivals in the delay-statistics window (the base delay is the minimum over it).</summary>
    public int WindowPackets { get; init; } = 250;

    /// <summary>Shortest time between two shrinks (frames dropped to cut delay): shrinking is slow and periodic.</summary>
    public long ShrinkIntervalUs { get; init; } = 500_000;

    /// <summary>Shortest time between two grows (frames stretched to add delay): growing is fast.</summary>
    public long GrowIntervalUs { get; init; } = 40_000;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPayloadBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 4);
        ArgumentOutOfRangeException.ThrowIfNegative(MinDelayUs);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelayUs, MinDelayUs);
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowPackets, 8);
        if (LateQuantile is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LateQuantile), LateQuantile, "Quantile in (0, 1].");
        }

        long frameUs = (long)FrameSamples * 1_000_000 / ClockRate;
        if (MaxDelayUs >= (Capacity - 2) * frameUs)
        {
            throw new ArgumentException($"MaxDelayUs {MaxDelayUs} needs more than {Capacity} slots of {frameUs} us.");
        }
    }
}
