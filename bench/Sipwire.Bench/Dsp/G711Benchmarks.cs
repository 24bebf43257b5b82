// G.711 encode/decode per 10/20/40 ms frame: scalar C# (baseline) vs Vector128 vs Vector256 vs C vs SpanDSP.
// SPDX-License-Identifier: MIT

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// One frame of 80/160/320 samples (10/20/40 ms at 8 kHz) per operation. Each category has the
/// scalar C# path as its baseline, so every ratio is measured in the same run. The Vector128 and
/// Vector256 methods call each path directly (software-emulated when the CPU does not accelerate
/// it). "C" is native/src/g711.c (gcc -O3 via CMake Release); "SpanDsp" is Debian's libspandsp
/// g711_encode/g711_decode (its mu-law is the Sun variant, so its codes differ on a few inputs).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class G711Benchmarks
{
    private const int SpanDspALaw = 0; // G711_ALAW in spandsp/g711.h
    private const int SpanDspULaw = 1; // G711_ULAW

    private short[] _pcm = [];
    private byte[] _ulaw = [];
    private byte[] _alaw = [];
    private byte[] _codes = [];
    private short[] _decoded = [];

    private delegate* unmanaged<nint, byte*, short*, int, int> _spanEncode;
    private delegate* unmanaged<nint, short*, byte*, int, int> _spanDecode;
    private nint _spanULaw;
    private nint _spanALaw;

    /// <summary>Samples per frame.</summary>
    [Params(80, 160, 320)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Speech-like level distribution: mostly small samples, some loud ones.
        var random = new Random(711);
        _pcm = new short[N];
        for (int i = 0; i < N; i++)
        {
            double level = Math.Pow(2, random.Next(4, 16));
            _pcm[i] = (short)Math.Clamp(Math.Round((random.NextDouble() * 2 - 1) * level), short.MinValue, short.MaxValue);
        }

        _ulaw = new byte[N];
        _alaw = new byte[N];
        Sipwire.Dsp.G711.EncodeULawScalar(_pcm, _ulaw);
        Sipwire.Dsp.G711.EncodeALawScalar(_pcm, _alaw);
        _codes = new byte[N];
        _decoded = new short[N];

        NativeBaselineLibrary.RequireSipwireKernels();

        NativeBaselineLibrary spanDsp = NativeBaselineLibrary.SpanDsp();
        var init = (delegate* unmanaged<nint, int, nint>)spanDsp.Export("g711_init");
        _spanEncode = (delegate* unmanaged<nint, byte*, short*, int, int>)spanDsp.Export("g711_encode");
        _spanDecode = (delegate* unmanaged<nint, short*, byte*, int, int>)spanDsp.Export("g711_decode");
        _spanULaw = init(0, SpanDspULaw);
        _spanALaw = init(0, SpanDspALaw);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ULawEncode")]
    public void ULawEncodeScalar() => Sipwire.Dsp.G711.EncodeULawScalar(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ULawEncode")]
    public void ULawEncodeVector128() => Sipwire.Dsp.G711.EncodeULawVector128(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ULawEncode")]
    public void ULawEncodeVector256() => Sipwire.Dsp.G711.EncodeULawVector256(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ULawEncode")]
    public int ULawEncodeC()
    {
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return G711Native.sw_g711_ulaw_encode(pcm, codes, N);
        }
    }

    [Benchmark, BenchmarkCategory("ULawEncode")]
    public int ULawEncodeSpanDsp()
    {
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return _spanEncode(_spanULaw, codes, pcm, N);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ULawDecode")]
    public void ULawDecodeScalar() => Sipwire.Dsp.G711.DecodeULawScalar(_ulaw, _decoded);

    [Benchmark, BenchmarkCategory("ULawDecode")]
    public void ULawDecodeVector128() => Sipwire.Dsp.G711.DecodeULawVector128(_ulaw, _decoded);

    [Benchmark, BenchmarkCategory("ULawDecode")]
    public void ULawDecodeVector256() => Sipwire.Dsp.G711.DecodeULawVector256(_ulaw, _decoded);

    [Benchmark, BenchmarkCategory("ULawDecode")]
    public int ULawDecodeC()
    {
        fixed (byte* codes = _ulaw)
        fixed (short* pcm = _decoded)
        {
            return G711Native.sw_g711_ulaw_decode(codes, pcm, N);
        }
    }

    [Benchmark, BenchmarkCategory("ULawDecode")]
    public int ULawDecodeSpanDsp()
    {
        fixed (byte* codes = _ulaw)
        fixed (short* pcm = _decoded)
        {
            return _spanDecode(_spanULaw, pcm, codes, N);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ALawEncode")]
    public void ALawEncodeScalar() => Sipwire.Dsp.G711.EncodeALawScalar(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ALawEncode")]
    public void ALawEncodeVector128() => Sipwire.Dsp.G711.EncodeALawVector128(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ALawEncode")]
    public void ALawEncodeVector256() => Sipwire.Dsp.G711.EncodeALawVector256(_pcm, _codes);

    [Benchmark, BenchmarkCategory("ALawEncode")]
    public int ALawEncodeC()
    {
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return G711Native.sw_g711_alaw_encode(pcm, codes, N);
        }
    }

    [Benchmark, BenchmarkCategory("ALawEncode")]
    public int ALawEncodeSpanDsp()
    {
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return _spanEncode(_spanALaw, codes, pcm, N);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ALawDecode")]
    public void ALawDecodeScalar() => Sipwire.Dsp.G711.DecodeALawScalar(_alaw, _decoded);

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public void ALawDecodeVector128() => Sipwire.Dsp.G711.DecodeALawVector128(_alaw, _decoded);

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public void ALawDecodeVector256() => Sipwire.Dsp.G711.DecodeALawVector256(_alaw, _decoded);

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public int ALawDecodeC()
    {
        fixed (byte* codes = _alaw)
        fixed (short* pcm = _decoded)
        {
            return G711Native.sw_g711_alaw_decode(codes, pcm, N);
        }
    }

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public int ALawDecodeSpanDsp()
    {
        fixed (byte* codes = _alaw)
        fixed (short* pcm = _decoded)
        {
            return _spanDecode(_spanALaw, pcm, codes, N);
        }
    }
}
