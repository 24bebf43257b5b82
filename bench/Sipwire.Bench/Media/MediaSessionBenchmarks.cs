// One 20 ms frame round trip through two media sessions per codec: write → encode → RTP → poll → jitter buffer → decode → read.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Bench.Media;

/// <summary>
/// The whole per-frame media path of a call, both ends in one process over an in-memory link:
/// A.WriteAudio (encode, RTP, optional SRTP), B.Poll (SRTP, RTP checks, latch, jitter buffer put),
/// B.ReadAudio (jitter buffer get, decode, resample to 16 kHz). The application runs at 16 kHz, so
/// G.711 includes resampling both ways. Baseline: PCMU. MemoryDiagnoser shows the per-frame
/// allocation (0 B expected except Opus, where Concentus allocates inside the codec).
/// </summary>
[MemoryDiagnoser]
public class MediaSessionBenchmarks
{
    private readonly short[] _mic = new short[320];
    private readonly short[] _speaker = new short[320];
    private readonly Dictionary<string, (MediaSession A, MediaSession B)> _calls = new();
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _mic.Length; i++)
        {
            _mic[i] = (short)(8000 * System.Math.Sin(2 * System.Math.PI * 700 * i / 16000.0));
        }

        byte[] keyA = new byte[30];
        byte[] keyB = new byte[30];
        keyA.AsSpan().Fill(1);
        keyB.AsSpan().Fill(2);
        Add("PCMU", AudioCodec.Pcmu, 0, null, null, aec: false);
        Add("PCMA", AudioCodec.Pcma, 8, null, null, aec: false);
        Add("G722", AudioCodec.G722, 9, null, null, aec: false);
        Add("L16", AudioCodec.L16Wideband, 97, null, null, aec: false);
        Add("Opus", AudioCodec.Opus, 111, null, null, aec: false);
        Add("PCMU+SRTP", AudioCodec.Pcmu, 0, new SrtpKeys("AES_CM_128_HMAC_SHA1_80", keyA, keyB), new SrtpKeys("AES_CM_128_HMAC_SHA1_80", keyB, keyA), aec: false);
        Add("G722+AEC", AudioCodec.G722, 9, null, null, aec: true);
        for (int i = 0; i < 200; i++)
        {
            foreach (string name in _calls.Keys)
            {
                RoundTrip(name);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach ((MediaSession a, MediaSession b) in _calls.Values)
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    public void Pcmu() => RoundTrip("PCMU");

    [Benchmark]
    public void Pcma() => RoundTrip("PCMA");

    [Benchmark]
    public void G722() => RoundTrip("G722");

    [Benchmark]
    public void L16() => RoundTrip("L16");

    [Benchmark]
    public void Opus() => RoundTrip("Opus");

    [Benchmark]
    public void PcmuSrtp() => RoundTrip("PCMU+SRTP");

    [Benchmark]
    public void G722EchoCanceller() => RoundTrip("G722+AEC");

    private void RoundTrip(string name)
    {
        (MediaSession a, MediaSession b) = _calls[name];
        _now += 20_000;
        a.WriteAudio(_mic, _now);
        b.Poll(_now);
        b.ReadAudio(_speaker, _now);
    }

    private void Add(string name, AudioCodec codec, int pt, SrtpKeys? keysA, SrtpKeys? keysB, bool aec)
    {
        (MediaLoopbackIo ioA, MediaLoopbackIo ioB) = MediaLoopbackIo.CreatePair();
        var options = new MediaSessionOptions { SampleRate = 16000, FrameMs = 20, EchoCanceller = aec, RtcpSeed = 1, Cname = "bench" };
        var a = new MediaSession(Audio(codec, pt, ioB, keysA), ioA, options, 0);
        var b = new MediaSession(Audio(codec, pt, ioA, keysB), ioB, options, 0);
        _calls[name] = (a, b);
    }

    private static NegotiatedAudio Audio(AudioCodec codec, int pt, MediaLoopbackIo remote, SrtpKeys? keys) => new()
    {
        Remote = remote.LocalRtp,
        SendCodec = codec,
        SendPayloadType = pt,
        ReceivePayloadTypes = new Dictionary<int, AudioCodec> { [pt] = codec },
        TelephoneEventPayloadType = 101,
        PTimeMs = 20,
        Send = true,
        Receive = true,
        Srtp = keys,
    };
}
