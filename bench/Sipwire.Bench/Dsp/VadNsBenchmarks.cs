// VAD + noise suppressor per 10 ms frame: SpeexDSP's preprocessor (baseline) vs ours (SIMD, scalar, C).
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Sipwire.Dsp;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// One 10 ms frame per operation, streaming through 4 s of speech-like noisy input (AR(1)-coloured
/// noise gated at a syllabic 4 Hz rate over white noise 10 dB under it). Baseline: Debian's
/// SpeexDSP 1.2 speex_preprocess_run with SPEEX_PREPROCESS_SET_VAD and SET_DENOISE on (AGC and
/// dereverb off, -15 dB suppression), called directly in libspeexdsp.so.1, in the same run. Ours:
/// <see cref="Vad"/> + <see cref="NoiseSuppressor"/> (-15 dB) on the SIMD and scalar paths, each
/// alone (the VAD also scalar and in C), and native/src/vad.c + ns.c through the generated bindings.
/// </summary>
[MemoryDiagnoser]
public unsafe class VadNsBenchmarks
{
    private const int Seconds = 4;
    private short[] _input = [];
    private short[] _work = [];
    private short[] _out = [];
    private int _frame;
    private int[] _cursor = new int[8];
    private Vad _vad = null!;
    private Vad _vadScalar = null!;
    private NoiseSuppressor _ns = null!;
    private NoiseSuppressor _nsScalar = null!;
    private nint _speex;
    private delegate* unmanaged<nint, short*, int> _speexRun;
    private delegate* unmanaged<nint, void> _speexDestroy;
    private sw_vad* _cVad;
    private sw_ns* _cNs;

    /// <summary>Sample rate in Hz.</summary>
    [Params(8000, 16000)]
    public int Rate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = Rate / 100;
        int n = Seconds * Rate;
        var rng = new Random(3);
        _input = new short[n];
        double ar = 0;
        for (int i = 0; i < n; i++)
        {
            ar = (0.85 * ar) + (rng.NextDouble() - 0.5);
            double gate = Math.Max(0, Math.Sin(2 * Math.PI * 4 * i / Rate) + 0.3);
            double noise = 600 * (rng.NextDouble() - 0.5);
            _input[i] = (short)Math.Clamp((6000 * ar * gate) + noise, -32768, 32767);
        }
        _work = new short[_frame];
        _out = new short[_frame];
        _vad = new Vad(Rate, vectorized: true);
        _vadScalar = new Vad(Rate, vectorized: false);
        _ns = new NoiseSuppressor(Rate, 15, vectorized: true);
        _nsScalar = new NoiseSuppressor(Rate, 15, vectorized: false);

        nint lib = LoadSpeexDsp();
        var init = (delegate* unmanaged<int, int, nint>)NativeLibrary.GetExport(lib, "speex_preprocess_state_init");
        var ctl = (delegate* unmanaged<nint, int, void*, int>)NativeLibrary.GetExport(lib, "speex_preprocess_ctl");
        _speexRun = (delegate* unmanaged<nint, short*, int>)NativeLibrary.GetExport(lib, "speex_preprocess_run");
        _speexDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "speex_preprocess_state_destroy");
        _speex = init(_frame, Rate);
        int on = 1;
        int off = 0;
        int level = -15;
        ctl(_speex, 4, &on);    // SPEEX_PREPROCESS_SET_VAD
        ctl(_speex, 0, &on);    // SPEEX_PREPROCESS_SET_DENOISE
        ctl(_speex, 2, &off);   // SPEEX_PREPROCESS_SET_AGC
        ctl(_speex, 8, &off);   // SPEEX_PREPROCESS_SET_DEREVERB
        ctl(_speex, 18, &level); // SPEEX_PREPROCESS_SET_NOISE_SUPPRESS

        NativeBaselineLibrary.RequireSipwireKernels();
        _cVad = (sw_vad*)NativeMemory.AlignedAlloc((nuint)sizeof(sw_vad), 16);
        _cNs = (sw_ns*)NativeMemory.AlignedAlloc((nuint)sizeof(sw_ns), 16);
        if (VadNative.sw_vad_init(_cVad, Rate) != 0 || NsNative.sw_ns_init(_cNs, Rate, 15) != 0)
        {
            throw new InvalidOperationException("sw_vad_init / sw_ns_init failed");
        }

        // Let every noise estimate settle on the first second.
        for (int i = 0; i < Rate / _frame; i++)
        {
            SpeexDsp();
            SipwireVector();
            SipwireScalar();
            SipwireC();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _speexDestroy(_speex);
        NativeMemory.AlignedFree(_cVad);
        NativeMemory.AlignedFree(_cNs);
    }

    [Benchmark(Baseline = true, Description = "SpeexDSP preprocess VAD+denoise")]
    public int SpeexDsp()
    {
        int at = Next(0);
        _input.AsSpan(at, _frame).CopyTo(_work);
        fixed (short* w = _work)
        {
            return _speexRun(_speex, w);
        }
    }

    [Benchmark(Description = "Sipwire VAD+NS SIMD")]
    public bool SipwireVector()
    {
        int at = Next(1);
        ReadOnlySpan<short> frame = _input.AsSpan(at, _frame);
        bool active = _vad.Process(frame);
        _ns.Process(frame, _out);
        return active;
    }

    [Benchmark(Description = "Sipwire VAD+NS scalar")]
    public bool SipwireScalar()
    {
        int at = Next(2);
        ReadOnlySpan<short> frame = _input.AsSpan(at, _frame);
        bool active = _vadScalar.Process(frame);
        _nsScalar.Process(frame, _out);
        return active;
    }

    [Benchmark(Description = "Sipwire VAD+NS C")]
    public int SipwireC()
    {
        int at = Next(3);
        int active;
        fixed (short* f = &_input[at])
        fixed (short* o = _out)
        {
            if ((VadNative.sw_vad_process(_cVad, f, &active) | NsNative.sw_ns_process(_cNs, f, o)) != 0)
            {
                throw new InvalidOperationException("sw_vad_process / sw_ns_process failed");
            }
        }
        return active;
    }

    [Benchmark(Description = "Sipwire NS SIMD alone")]
    public void SipwireNsOnly()
    {
        int at = Next(4);
        _ns.Process(_input.AsSpan(at, _frame), _out);
    }

    [Benchmark(Description = "Sipwire VAD SIMD alone")]
    public bool SipwireVadOnly()
    {
        int at = Next(5);
        return _vad.Process(_input.AsSpan(at, _frame));
    }

    [Benchmark(Description = "Sipwire VAD scalar alone")]
    public bool SipwireVadScalarOnly()
    {
        int at = Next(6);
        return _vadScalar.Process(_input.AsSpan(at, _frame));
    }

    [Benchmark(Description = "Sipwire VAD C alone")]
    public int SipwireVadCOnly()
    {
        int at = Next(7);
        int active;
        fixed (short* f = &_input[at])
        {
            if (VadNative.sw_vad_process(_cVad, f, &active) != 0)
            {
                throw new InvalidOperationException("sw_vad_process failed");
            }
        }
        return active;
    }

    private int Next(int which)
    {
        int at = _cursor[which];
        _cursor[which] = at + _frame + _frame > _input.Length ? 0 : at + _frame;
        return at;
    }

    private static nint LoadSpeexDsp()
    {
        foreach (string name in (string[])["libspeexdsp.so.1", "libspeexdsp.so"])
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }
        throw new DllNotFoundException("SpeexDSP (libspeexdsp.so.1) is missing: apt-get install -y libspeexdsp-dev.");
    }
}
