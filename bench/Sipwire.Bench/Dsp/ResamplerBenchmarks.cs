// Resampler per 10 ms frame: SpeexDSP's resampler (quality 4, its default; baseline) vs C# (SIMD, scalar) vs native C.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Sipwire.Dsp;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// One 10 ms frame per operation, streaming. Baseline: Debian's libspeexdsp
/// speex_resampler_process_int at SPEEX_RESAMPLER_QUALITY_DEFAULT (4); quality 3 for reference.
/// Ours: 48 prototype taps per max(L, M), about 80 dB stopband (tests/vectors/resampler).
/// </summary>
[MemoryDiagnoser]
public unsafe class ResamplerBenchmarks
{
    private short[] _input = [];
    private short[] _output = [];
    private Resampler _resampler = new(8000, 16000);
    private Resampler _resamplerScalar = new(8000, 16000);
    private sw_resampler _cState;
    private delegate* unmanaged<nint, uint, short*, uint*, short*, uint*, int> _speexProcess;
    private nint _speex4;
    private nint _speex3;

    /// <summary>Input and output rate in kHz.</summary>
    [Params("8>16", "16>48", "48>16")]
    public string Rates { get; set; } = "8>16";

    private int InRate => int.Parse(Rates.Split('>')[0], System.Globalization.CultureInfo.InvariantCulture) * 1000;

    private int OutRate => int.Parse(Rates.Split('>')[1], System.Globalization.CultureInfo.InvariantCulture) * 1000;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(48);
        _input = new short[InRate / 100];
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (short)((8000 * Math.Sin(2 * Math.PI * 440 * i / InRate)) + random.Next(-500, 501));
        }

        _output = new short[(OutRate / 100) + 16];
        _resampler = new Resampler(InRate, OutRate);
        _resamplerScalar = new Resampler(InRate, OutRate, ResamplerPath.Scalar);

        NativeBaselineLibrary.RequireSipwireKernels();
        if (ResamplerNative.sw_resampler_get_size() != sizeof(sw_resampler))
        {
            throw new InvalidOperationException("libsipwire_kernels' resampler state size differs from the generated bindings: regenerate them (build.ps1 generate) or rebuild native/.");
        }

        fixed (sw_resampler* st = &_cState)
        {
            int status = ResamplerNative.sw_resampler_init(st, InRate, OutRate);
            if (status != 0)
            {
                throw new InvalidOperationException($"sw_resampler_init returned {status}");
            }
        }

        if (!NativeLibrary.TryLoad("libspeexdsp.so.1", out nint speex))
        {
            throw new DllNotFoundException("SpeexDSP (libspeexdsp.so.1) is missing: apt-get install -y libspeexdsp-dev.");
        }

        var init = (delegate* unmanaged<uint, uint, uint, int, int*, nint>)NativeLibrary.GetExport(speex, "speex_resampler_init");
        _speexProcess = (delegate* unmanaged<nint, uint, short*, uint*, short*, uint*, int>)NativeLibrary.GetExport(speex, "speex_resampler_process_int");
        int err;
        _speex4 = init(1, (uint)InRate, (uint)OutRate, 4, &err);
        _speex3 = init(1, (uint)InRate, (uint)OutRate, 3, &err);
        if (_speex4 == 0 || _speex3 == 0)
        {
            throw new IOException($"speex_resampler_init failed: {err}");
        }
    }

    [Benchmark(Baseline = true)]
    public uint SpeexQuality4() => Speex(_speex4);

    [Benchmark]
    public uint SpeexQuality3() => Speex(_speex3);

    [Benchmark]
    public int CSharp() => _resampler.Process(_input, _output);

    [Benchmark]
    public int CSharpScalar() => _resamplerScalar.Process(_input, _output);

    [Benchmark]
    public int C()
    {
        int written;
        fixed (sw_resampler* st = &_cState)
        fixed (short* input = _input)
        fixed (short* output = _output)
        {
            if (ResamplerNative.sw_resampler_process(st, input, _input.Length, output, _output.Length, &written) != 0)
            {
                throw new InvalidOperationException("sw_resampler_process failed");
            }
        }

        return written;
    }

    private uint Speex(nint state)
    {
        uint inLen = (uint)_input.Length;
        uint outLen = (uint)_output.Length;
        fixed (short* input = _input)
        fixed (short* output = _output)
        {
            _speexProcess(state, 0, input, &inLen, output, &outLen);
        }

        return outLen;
    }
}
