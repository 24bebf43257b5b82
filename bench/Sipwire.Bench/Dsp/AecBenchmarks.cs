// Echo canceller per 10 ms frame: SpeexDSP MDF + preprocess (baseline) vs ours (SIMD, scalar, C).
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Sipwire.Dsp;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// One 10 ms frame per operation, streaming through 4 s of a converged echo scenario (speech-like
/// far end through a 0.15 s RT60 decaying echo path, ERL 6 dB, noise 60 dB under the echo), 128 ms
/// tail. Baseline: Debian's SpeexDSP 1.2.1 full chain (speex_echo_cancellation followed by
/// speex_preprocess_run with the echo state: residual echo suppression and denoise), from
/// bench/native/speexdsp (libsw_speexdsp_baseline.so, $SIPWIRE_SPEEX_BASELINE_DIR), in the same
/// run. Ours: the full chain (linear filter, delay estimator, suppressor, comfort noise) on the
/// SIMD path, the scalar path, and native/src/aec.c through the generated AecNative binding. Targets
/// (issue 9): ours at or below SpeexDSP; C within 1.5x of the SIMD C#.
/// </summary>
[MemoryDiagnoser]
public unsafe class AecBenchmarks
{
    private const int Seconds = 4;
    private short[] _far = [];
    private short[] _mic = [];
    private short[] _out = [];
    private int _frame;
    private EchoCanceller _vector = null!;
    private EchoCanceller _scalar = null!;
    private nint _speex;
    private nint _speexMdf;
    private void* _cMemory;
    private sw_aec* _cState;
    private delegate* unmanaged<nint, short*, short*, short*, void> _speexProcess;
    private delegate* unmanaged<nint, void> _speexDestroy;

    /// <summary>Sample rate in Hz.</summary>
    [Params(8000, 16000)]
    public int Rate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = Rate / 100;
        int n = Seconds * Rate;
        var rng = new Random(9);
        var far = new double[n];
        double ar = 0;
        for (int i = 0; i < n; i++)
        {
            // AR(1)-coloured noise gated at a syllabic 4 Hz rate: speech-like spectrum and pauses.
            ar = (0.85 * ar) + (rng.NextDouble() - 0.5);
            double gate = Math.Max(0, Math.Sin(2 * Math.PI * 4 * i / Rate) + 0.3);
            far[i] = 6000 * ar * gate;
        }
        int taps = Rate / 8;
        var h = new double[taps];
        double decay = Math.Pow(10, -3.0 / (0.15 * Rate));
        for (int k = 24; k < taps; k++)
        {
            h[k] = 0.08 * (rng.NextDouble() - 0.5) * Math.Pow(decay, k);
        }
        _far = new short[n];
        _mic = new short[n];
        _out = new short[_frame];
        for (int i = 0; i < n; i++)
        {
            double e = 0;
            for (int k = 0; k < taps && k <= i; k++)
            {
                e += h[k] * far[i - k];
            }
            _far[i] = (short)Math.Clamp(far[i], -32768, 32767);
            _mic[i] = (short)Math.Clamp(e + (rng.NextDouble() - 0.5), -32768, 32767);
        }
        _vector = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Vectorized = true });
        _scalar = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Vectorized = false });

        nint speex = SpeexBaseline();
        var create = (delegate* unmanaged<int, int, int, int, nint>)NativeLibrary.GetExport(speex, "sw_speex_baseline_create");
        _speexProcess = (delegate* unmanaged<nint, short*, short*, short*, void>)NativeLibrary.GetExport(speex, "sw_speex_baseline_process");
        _speexDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(speex, "sw_speex_baseline_destroy");
        int tail = 128 * Rate / 1000;
        _speex = create(_frame, tail, Rate, 1);
        _speexMdf = create(_frame, tail, Rate, 0);

        NativeBaselineLibrary.RequireSipwireKernels();
        sw_aec_config cfg;
        AecNative.sw_aec_config_init(&cfg);
        if (cfg.struct_size != (uint)sizeof(sw_aec_config))
        {
            throw new InvalidOperationException("libsipwire_kernels' sw_aec_config differs from the generated binding: regenerate the bindings (build.ps1 generate) or rebuild native/.");
        }
        cfg.sample_rate = Rate;
        int size;
        if (AecNative.sw_aec_get_size(&cfg, &size) != 0)
        {
            throw new InvalidOperationException("sw_aec_get_size rejected the settings");
        }
        _cMemory = NativeMemory.AlignedAlloc((nuint)size, 16);
        sw_aec* state;
        if (AecNative.sw_aec_init(_cMemory, size, &cfg, &state) != 0)
        {
            throw new InvalidOperationException("sw_aec_init failed");
        }
        _cState = state;

        // Converge every canceller on the first 3 s, so the timed frames are steady state.
        for (int i = 0; i < 3 * Rate / _frame; i++)
        {
            SpeexDsp();
            SpeexDspMdfOnly();
            SipwireVector();
            SipwireScalar();
            SipwireC();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _speexDestroy(_speex);
        _speexDestroy(_speexMdf);
        NativeMemory.AlignedFree(_cMemory);
    }

    [Benchmark(Baseline = true, Description = "SpeexDSP MDF+preprocess")]
    public void SpeexDsp()
    {
        int at = Next(0);
        fixed (short* m = &_mic[at])
        fixed (short* f = &_far[at])
        fixed (short* o = _out)
        {
            _speexProcess(_speex, m, f, o);
        }
    }

    [Benchmark(Description = "SpeexDSP MDF only")]
    public void SpeexDspMdfOnly()
    {
        int at = Next(1);
        fixed (short* m = &_mic[at])
        fixed (short* f = &_far[at])
        fixed (short* o = _out)
        {
            _speexProcess(_speexMdf, m, f, o);
        }
    }

    [Benchmark(Description = "Sipwire C# SIMD")]
    public void SipwireVector()
    {
        int at = Next(2);
        _vector.Process(_mic.AsSpan(at, _frame), _far.AsSpan(at, _frame), _out);
    }

    [Benchmark(Description = "Sipwire C# scalar")]
    public void SipwireScalar()
    {
        int at = Next(3);
        _scalar.Process(_mic.AsSpan(at, _frame), _far.AsSpan(at, _frame), _out);
    }

    [Benchmark(Description = "Sipwire C (aec.c)")]
    public int SipwireC()
    {
        int at = Next(4);
        fixed (short* m = &_mic[at])
        fixed (short* f = &_far[at])
        fixed (short* o = _out)
        {
            return AecNative.sw_aec_process(_cState, m, f, o);
        }
    }

    // Each canceller walks the signal on its own cursor (index = which canceller) so each sees a
    // continuous stream whatever order BenchmarkDotNet runs the methods in.
    private readonly int[] _cursor = new int[5];

    private int Next(int which)
    {
        int at = _cursor[which];
        _cursor[which] = at + _frame + _frame > _far.Length ? 0 : at + _frame;
        return at;
    }

    // bench/native/speexdsp built by CMake: $SIPWIRE_SPEEX_BASELINE_DIR, else artifacts/speexdsp.
    private static nint SpeexBaseline()
    {
        string? directory = Environment.GetEnvironmentVariable("SIPWIRE_SPEEX_BASELINE_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            directory = Path.Combine("artifacts", "speexdsp");
        }
        string path = Path.Combine(directory, "libsw_speexdsp_baseline.so");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: cmake -S bench/native/speexdsp -B artifacts/speexdsp && cmake --build artifacts/speexdsp (needs libspeexdsp-dev), or set SIPWIRE_SPEEX_BASELINE_DIR.", path);
        }
        return NativeLibrary.Load(path);
    }
}
