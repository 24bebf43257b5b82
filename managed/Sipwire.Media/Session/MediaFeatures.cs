// Trimming-friendly feature switches of the media engine (Opus opt-in for size-bound firmware builds).
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics.CodeAnalysis;

namespace Sipwire.Media.Session;

/// <summary>
/// Feature switches read through <see cref="AppContext"/>. An app that publishes with
/// <c>&lt;RuntimeHostConfigurationOption Include="Sipwire.Media.Opus" Value="false" Trim="true" /&gt;</c>
/// lets the trimmer and NativeAOT fold <see cref="IsOpusSupported"/> to false and drop the Opus
/// codec (Concentus, about 1 MB of code) from the binary. Without the option Opus is available.
/// </summary>
public static class MediaFeatures
{
    /// <summary>The AppContext switch name.</summary>
    public const string OpusSwitchName = "Sipwire.Media.Opus";

    /// <summary>True when Opus (RFC 6716, RTP payload RFC 7587) can be offered and decoded.</summary>
    [FeatureSwitchDefinition(OpusSwitchName)]
    public static bool IsOpusSupported => !AppContext.TryGetSwitch(OpusSwitchName, out bool enabled) || enabled;
}
