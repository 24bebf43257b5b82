// Settings of an EchoCanceller: rate, tail, delay search and which stages run.
// SPDX-License-Identifier: MIT

namespace Sipwire.Dsp;

/// <summary>Configuration of an <see cref="EchoCanceller"/>.</summary>
public sealed class EchoCancellerOptions
{
    /// <summary>Sample rate in Hz: 8000 or 16000.</summary>
    public int SampleRate { get; set; } = 16000;

    /// <summary>Echo tail covered by the linear filter, in ms (16..500). Default 128.</summary>
    public int TailMs { get; set; } = 128;

    /// <summary>
    /// Largest bulk delay (far end to microphone) the delay estimator searches, in ms (0 turns the
    /// estimator off; at most 500). Default 240.
    /// </summary>
    public int MaxDelayMs { get; set; } = 240;

    /// <summary>Run the residual echo suppressor (non-linear processing). Default true.</summary>
    public bool Suppression { get; set; } = true;

    /// <summary>Fill suppressed bins with comfort noise at the estimated noise floor. Default true.</summary>
    public bool ComfortNoise { get; set; } = true;

    /// <summary>Use the SIMD kernels where the CPU accelerates them. Default true.</summary>
    public bool Vectorized { get; set; } = true;
}
