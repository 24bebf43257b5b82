// P/Invoke to bench/native/speexdsp (libsw_speexdsp_baseline.so): SpeexDSP's AEC and preprocessor.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;

namespace Sipwire.AecEval;

/// <summary>SpeexDSP echo canceller, optionally followed by its preprocessor.</summary>
internal sealed unsafe partial class SpeexBaseline : IDisposable
{
    private const string Library = "sw_speexdsp_baseline";
    private IntPtr _state;

    /// <summary>What follows the echo canceller.</summary>
    public enum Chain
    {
        /// <summary>The echo canceller alone.</summary>
        EchoCanceller = 0,
        /// <summary>Preprocessor with the echo state: residual echo suppression and its default -15 dB denoiser.</summary>
        Preprocess = 1,
        /// <summary>Preprocessor with the echo state and the noise suppression limit at 0 dB: residual echo suppression only.</summary>
        ResidualEchoOnly = 2,
    }

    public SpeexBaseline(int frame, int tail, int rate, Chain chain)
    {
        _state = Create(frame, tail, rate, (int)chain);
        if (_state == IntPtr.Zero)
        {
            throw new InvalidOperationException("SpeexDSP baseline: out of memory.");
        }
    }

    public void Process(ReadOnlySpan<short> mic, ReadOnlySpan<short> far, Span<short> output)
    {
        fixed (short* m = mic)
        fixed (short* f = far)
        fixed (short* o = output)
        {
            ProcessFrame(_state, m, f, o);
        }
    }

    public void Dispose()
    {
        Destroy(_state);
        _state = IntPtr.Zero;
    }

    /// <summary>Thread CPU time in ns (CLOCK_THREAD_CPUTIME_ID), through the baseline library.</summary>
    public static long ThreadCpuNs() => ThreadCpu();

    [LibraryImport(Library, EntryPoint = "sw_speex_baseline_create")]
    private static partial IntPtr Create(int frame, int tail, int rate, int preprocess);

    [LibraryImport(Library, EntryPoint = "sw_speex_baseline_process")]
    private static partial void ProcessFrame(IntPtr state, short* mic, short* far, short* output);

    [LibraryImport(Library, EntryPoint = "sw_speex_baseline_destroy")]
    private static partial void Destroy(IntPtr state);

    [LibraryImport(Library, EntryPoint = "sw_speex_baseline_thread_cpu_ns")]
    private static partial long ThreadCpu();
}
