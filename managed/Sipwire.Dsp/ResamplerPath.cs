// Which dot-product implementation a Resampler uses (tests and benchmarks pick one directly).
// SPDX-License-Identifier: MIT

namespace Sipwire.Dsp;

/// <summary>Resampler inner-product path.</summary>
internal enum ResamplerPath
{
    /// <summary>The widest path the CPU accelerates.</summary>
    Auto,

    /// <summary>The scalar reference (sequential float sum).</summary>
    Scalar,

    /// <summary>Vector128: four partial sums.</summary>
    Vector128,

    /// <summary>Vector256: eight partial sums.</summary>
    Vector256,
}
