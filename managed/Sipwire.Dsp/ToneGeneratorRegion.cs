// Regions with call-progress tone presets.
// SPDX-License-Identifier: MIT

namespace Sipwire.Dsp;

/// <summary>Regions for <see cref="ToneGeneratorPresets"/>.</summary>
public enum ToneGeneratorRegion
{
    /// <summary>North America (ANSI T1.401 / Telcordia "precise tone plan").</summary>
    UnitedStates = 0,

    /// <summary>The CEPT/ETSI 425 Hz plan used by most European countries (ETSI ES 201 970).</summary>
    Europe = 1,

    /// <summary>United Kingdom (BT SIN 350).</summary>
    UnitedKingdom = 2,
}
