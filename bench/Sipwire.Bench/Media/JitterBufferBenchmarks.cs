// Jitter buffer put + get of one 20 ms frame, against a plain FIFO copy-in/copy-out (baseline: the floor).
// SPDX-License-Identifier: MIT

using System;
using BenchmarkDotNet.Attributes;
using Sipwire.Media.Jitter;

namespace Sipwire.Bench.Media;

/// <summary>
/// One frame in, one frame out, in order, as in steady state. The baseline is a ring of
/// pre-allocated slots with no reordering, statistics or adaptation: the ratio is the cost of the
/// adaptive logic (delay quantile, skew fit, late/duplicate checks).
/// </summary>
[MemoryDiagnoser]
public class JitterBufferBenchmarks
{
    private const int FrameBytes = 160;

    private readonly byte[] _payload = new byte[FrameBytes];
    private readonly byte[] _output = new byte[1500];
    private readonly byte[][] _ring = new byte[64][];
    private JitterBuffer? _buffer;
    private int _head;
    private int _tail;
    private long _i;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new byte[FrameBytes];
        }

        _buffer = new JitterBuffer(new JitterBufferOptions());
        for (_i = 0; _i < 500; _i++)
        {
            PutGet();
        }
    }

    [Benchmark(Baseline = true)]
    public int FifoCopy()
    {
        _payload.CopyTo(_ring[_head], 0);
        _head = (_head + 1) & 63;
        _ring[_tail].CopyTo(_output, 0);
        _tail = (_tail + 1) & 63;
        return _output[0];
    }

    [Benchmark]
    public int PutGet()
    {
        long now = _i * 20_000;
        _buffer!.Put(_payload, (uint)(_i * 160), (ushort)_i, false, now);
        JitterBufferFrame frame = _buffer.Get(now + 5_000, _output);
        _i++;
        return frame.Length;
    }
}
