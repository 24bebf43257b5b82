// Describes a call-progress or DTMF tone: up to two frequencies with levels, and an on/off cadence.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Dsp;

/// <summary>
/// A tone for <see cref="ToneGenerator"/>: one or two frequencies, each with its level in dBm0,
/// and a cadence of (on, off) pairs in milliseconds that repeats; an empty cadence is continuous.
/// </summary>
public sealed class ToneGeneratorSpec
{
    /// <summary>Creates a tone description.</summary>
    public ToneGeneratorSpec(string name, IReadOnlyList<double> frequenciesHz, IReadOnlyList<double> levelsDbm0, IReadOnlyList<(int OnMs, int OffMs)> cadence)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(frequenciesHz);
        ArgumentNullException.ThrowIfNull(levelsDbm0);
        ArgumentNullException.ThrowIfNull(cadence);
        if (frequenciesHz.Count is < 1 or > 2 || levelsDbm0.Count != frequenciesHz.Count)
        {
            throw new ArgumentException("One or two frequencies, each with a level.");
        }

        foreach ((int on, int off) in cadence)
        {
            if (on <= 0 || off < 0)
            {
                throw new ArgumentException("Cadence segments need on > 0 ms and off >= 0 ms.", nameof(cadence));
            }
        }

        Name = name;
        FrequenciesHz = frequenciesHz;
        LevelsDbm0 = levelsDbm0;
        Cadence = cadence;
    }

    /// <summary>A label, e.g. "US ringback".</summary>
    public string Name { get; }

    /// <summary>The tone frequencies.</summary>
    public IReadOnlyList<double> FrequenciesHz { get; }

    /// <summary>Level of each frequency component, in dBm0.</summary>
    public IReadOnlyList<double> LevelsDbm0 { get; }

    /// <summary>Repeating (on, off) segments in ms; empty = continuous.</summary>
    public IReadOnlyList<(int OnMs, int OffMs)> Cadence { get; }

    /// <summary>
    /// The ITU-T Q.23 DTMF pair for <paramref name="digit"/> (0-9 * # A-D), low tone at
    /// <paramref name="lowLevelDbm0"/> and high tone 2 dB stronger (usual pre-emphasis), continuous.
    /// </summary>
    public static ToneGeneratorSpec Dtmf(char digit, double lowLevelDbm0 = -9)
    {
        int index = "123A456B789C*0#D".IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        if (index < 0)
        {
            throw new ArgumentException($"'{digit}' is not a DTMF digit.", nameof(digit));
        }

        double[] low = [697, 770, 852, 941];
        double[] high = [1209, 1336, 1477, 1633];
        return new ToneGeneratorSpec($"DTMF {digit}", [low[index / 4], high[index % 4]], [lowLevelDbm0, lowLevelDbm0 + 2], []);
    }
}
