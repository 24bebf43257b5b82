// Impairments of one simulated link: loss, delay, jitter, duplication and reordering.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Tests.Simulation;

/// <summary>What a simulated link does to each datagram (probabilities in 0..1).</summary>
public sealed record LinkConditions
{
    /// <summary>A perfect link with 1 ms delay.</summary>
    public static LinkConditions Perfect { get; } = new();

    public double Loss { get; init; }

    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Uniform extra delay in [0, Jitter).</summary>
    public TimeSpan Jitter { get; init; }

    public double Duplication { get; init; }

    /// <summary>Probability that a datagram is held back by <see cref="ReorderDelay"/> so later ones overtake it.</summary>
    public double Reorder { get; init; }

    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(50);
}
