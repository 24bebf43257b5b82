// G.722 64 kbit/s encode/decode per 10/20 ms frame: SpanDSP (baseline) vs C# (SIMD QMF, scalar QMF) vs native C.
// SPDX-License-Identifier: MIT

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sipwire.Dsp;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// One frame of 160/320 samples at 16 kHz (10/20 ms) per operation, streaming (the codec state
/// carries from call to call). Each category's baseline is Debian's SpanDSP 0.0.6
/// g722_encode/g722_decode (64000 bit/s, no options), called through a function pointer in the
/// same run. Target (issue 8): C# within 1.5x of SpanDSP's time.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class G722Benchmarks
{
    private short[] _pcm = [];
    private byte[] _codes = [];
    private byte[] _encoded = [];
    private short[] _decoded = [];
    private G722Encoder _encoder = new();
    private G722Encoder _encoderScalarQmf = new();
    private G722Decoder _decoder = new();
    private G722Decoder _decoderScalarQmf = new();
    private sw_g722_encoder _cEncoder;
    private sw_g722_decoder _cDecoder;
    private delegate* unmanaged<nint, byte*, short*, int, int> _spanEncode;
    private delegate* unmanaged<nint, short*, byte*, int, int> _spanDecode;
    private nint _spanEncoder;
    private nint _spanDecoder;

    /// <summary>Samples per frame at 16 kHz.</summary>
    [Params(160, 320)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Voiced-speech-like frame: a few harmonics with noise, about -12 dBFS.
        var random = new Random(722);
        _pcm = new short[N];
        for (int i = 0; i < N; i++)
        {
            double t = i / 16000.0;
            double v = (4000 * Math.Sin(2 * Math.PI * 140 * t)) + (2500 * Math.Sin(2 * Math.PI * 560 * t)) + (1200 * Math.Sin(2 * Math.PI * 1700 * t));
            _pcm[i] = (short)(v + random.Next(-300, 301));
        }

        _codes = new byte[N / 2];
        _decoded = new short[N];
        _encoder = new G722Encoder();
        _encoderScalarQmf = new G722Encoder(G722QmfPath.Scalar);
        _decoder = new G722Decoder();
        _decoderScalarQmf = new G722Decoder(G722QmfPath.Scalar);
        _encoded = new byte[N / 2];
        _encoder.Encode(_pcm, _encoded);
        _encoder.Reset();

        NativeBaselineLibrary.RequireSipwireKernels();
        if (G722Native.sw_g722_encoder_get_size() != sizeof(sw_g722_encoder) || G722Native.sw_g722_decoder_get_size() != sizeof(sw_g722_decoder))
        {
            throw new InvalidOperationException("libsipwire_kernels' G.722 state sizes differ from the generated bindings: regenerate them (build.ps1 generate) or rebuild native/.");
        }

        fixed (sw_g722_encoder* enc = &_cEncoder)
        fixed (sw_g722_decoder* dec = &_cDecoder)
        {
            if (G722Native.sw_g722_encoder_init(enc) != 0 || G722Native.sw_g722_decoder_init(dec) != 0)
            {
                throw new InvalidOperationException("sw_g722_encoder_init or sw_g722_decoder_init failed");
            }
        }

        NativeBaselineLibrary spanDsp = NativeBaselineLibrary.SpanDsp();
        _spanEncoder = ((delegate* unmanaged<nint, int, int, nint>)spanDsp.Export("g722_encode_init"))(0, 64000, 0);
        _spanDecoder = ((delegate* unmanaged<nint, int, int, nint>)spanDsp.Export("g722_decode_init"))(0, 64000, 0);
        _spanEncode = (delegate* unmanaged<nint, byte*, short*, int, int>)spanDsp.Export("g722_encode");
        _spanDecode = (delegate* unmanaged<nint, short*, byte*, int, int>)spanDsp.Export("g722_decode");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Encode")]
    public int EncodeSpanDsp()
    {
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return _spanEncode(_spanEncoder, codes, pcm, N);
        }
    }

    [Benchmark, BenchmarkCategory("Encode")]
    public int EncodeCSharp() => _encoder.Encode(_pcm, _codes);

    [Benchmark, BenchmarkCategory("Encode")]
    public int EncodeCSharpScalarQmf() => _encoderScalarQmf.Encode(_pcm, _codes);

    [Benchmark, BenchmarkCategory("Encode")]
    public int EncodeC()
    {
        fixed (sw_g722_encoder* state = &_cEncoder)
        fixed (short* pcm = _pcm)
        fixed (byte* codes = _codes)
        {
            return G722Native.sw_g722_encode(state, pcm, codes, N);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Decode")]
    public int DecodeSpanDsp()
    {
        fixed (byte* codes = _encoded)
        fixed (short* pcm = _decoded)
        {
            return _spanDecode(_spanDecoder, pcm, codes, N / 2);
        }
    }

    [Benchmark, BenchmarkCategory("Decode")]
    public int DecodeCSharp() => _decoder.Decode(_encoded, _decoded);

    [Benchmark, BenchmarkCategory("Decode")]
    public int DecodeCSharpScalarQmf() => _decoderScalarQmf.Decode(_encoded, _decoded);

    [Benchmark, BenchmarkCategory("Decode")]
    public int DecodeC()
    {
        fixed (sw_g722_decoder* state = &_cDecoder)
        fixed (byte* codes = _encoded)
        fixed (short* pcm = _decoded)
        {
            return G722Native.sw_g722_decode(state, codes, pcm, N / 2);
        }
    }
}
