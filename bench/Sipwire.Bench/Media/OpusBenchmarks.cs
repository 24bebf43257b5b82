// Opus encode and decode of one 20 ms speech frame: OpusCodec (managed Concentus) vs libopus (baseline) in the same run.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sipwire.Media.Codecs;

namespace Sipwire.Bench.Media;

/// <summary>
/// Both encoders run OPUS_APPLICATION_VOIP with OPUS_SIGNAL_VOICE forced, VBR, at the RFC 7587
/// §3.1.1 bitrate for the rate (20 kbit/s at 16 kHz: SILK wideband; 32 kbit/s at 48 kHz: hybrid
/// fullband), so both code the same mode. The frames cycle through one second of a synthetic
/// voiced signal. Both decoders decode the same libopus-made packets, in order. libopus is
/// Debian's build, called through bench/native/opus.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet releases the codecs in [GlobalCleanup]; benchmark classes must stay unsealed.")]
public class OpusBenchmarks
{
    private const int Frames = 50;

    private short[] _speech = [];
    private byte[][] _packets = [];
    private readonly byte[] _packet = new byte[OpusCodec.MaxPacketBytes];
    private short[] _pcm = [];
    private OpusCodec? _ours;
    private OpusShimEncoder? _libEncoder;
    private OpusShimDecoder? _libDecoder;
    private int _frameSamples;
    private int _encodeFrame;
    private int _libEncodeFrame;
    private int _decodeFrame;
    private int _libDecodeFrame;

    [Params(16000, 48000)]
    public int SampleRate { get; set; }

    [Params(5, 10)]
    public int Complexity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frameSamples = SampleRate / 50;
        _speech = Voiced(SampleRate, Frames * _frameSamples);
        _pcm = new short[_frameSamples];
        _ours = new OpusCodec(new OpusCodecOptions { SampleRate = SampleRate, Complexity = Complexity, Signal = OpusSignalHint.Voice });
        _libEncoder = new OpusShimEncoder(SampleRate, 1, _ours.Bitrate, Complexity, signal: 1);
        _libDecoder = new OpusShimDecoder(SampleRate, 1);

        using var packetMaker = new OpusShimEncoder(SampleRate, 1, _ours.Bitrate, Complexity, signal: 1);
        _packets = new byte[Frames][];
        for (int f = 0; f < Frames; f++)
        {
            int n = packetMaker.Encode(_speech.AsSpan(f * _frameSamples, _frameSamples), _packet);
            _packets[f] = _packet.AsSpan(0, n).ToArray();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _libEncoder?.Dispose();
        _libDecoder?.Dispose();
    }

    [BenchmarkCategory("Encode")]
    [Benchmark(Baseline = true)]
    public int LibopusEncode()
    {
        int f = _libEncodeFrame;
        _libEncodeFrame = (f + 1) % Frames;
        return _libEncoder!.Encode(_speech.AsSpan(f * _frameSamples, _frameSamples), _packet);
    }

    [BenchmarkCategory("Encode")]
    [Benchmark]
    public int SipwireEncode()
    {
        int f = _encodeFrame;
        _encodeFrame = (f + 1) % Frames;
        return _ours!.Encode(_speech.AsSpan(f * _frameSamples, _frameSamples), _packet);
    }

    [BenchmarkCategory("Decode")]
    [Benchmark(Baseline = true)]
    public int LibopusDecode()
    {
        int f = _libDecodeFrame;
        _libDecodeFrame = (f + 1) % Frames;
        return _libDecoder!.Decode(_packets[f], _pcm);
    }

    [BenchmarkCategory("Decode")]
    [Benchmark]
    public int SipwireDecode()
    {
        int f = _decodeFrame;
        _decodeFrame = (f + 1) % Frames;
        OpusDecodeStatus status = _ours!.Decode(_packets[f], _pcm, out int samples);
        return status == OpusDecodeStatus.Ok ? samples : throw new InvalidOperationException($"Decode: {status}");
    }

    // Vowel-like: a 100-160 Hz harmonic series with a -6 dB/octave tilt, two formant bumps and a
    // 4 Hz syllabic envelope; peaks near -10 dBFS.
    private static short[] Voiced(int sampleRate, int length)
    {
        var pcm = new short[length];
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            double f0 = 130 + (30 * Math.Sin(2 * Math.PI * 0.7 * t));
            double sum = 0;
            for (int k = 1; k * f0 < Math.Min(4000, sampleRate * 0.45); k++)
            {
                double f = k * f0;
                double formants = (1 / (1 + Math.Pow((f - 700) / 150, 2))) + (0.5 / (1 + Math.Pow((f - 1200) / 200, 2)));
                sum += (0.3 + formants) / k * Math.Sin(2 * Math.PI * f0 * k * t);
            }

            double envelope = 0.55 + (0.45 * Math.Sin(2 * Math.PI * 4 * t));
            pcm[i] = (short)Math.Clamp(4000 * envelope * sum, short.MinValue, short.MaxValue);
        }

        return pcm;
    }
}
