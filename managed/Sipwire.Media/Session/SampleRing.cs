// A fixed-capacity FIFO of PCM16 samples for the media session's framing (allocation-free after construction).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Session;

/// <summary>First-in first-out PCM samples in a ring; writing past the capacity drops the oldest samples.</summary>
internal sealed class SampleRing
{
    private readonly short[] _data;
    private int _start;

    public SampleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _data = new short[capacity];
    }

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Samples dropped because the ring was full.</summary>
    public long Overflows { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        if (samples.Length > _data.Length)
        {
            Overflows += samples.Length - _data.Length;
            samples = samples[^_data.Length..];
        }

        int excess = Count + samples.Length - _data.Length;
        if (excess > 0)
        {
            Skip(excess);
            Overflows += excess;
        }

        int end = (_start + Count) % _data.Length;
        int first = Math.Min(samples.Length, _data.Length - end);
        samples[..first].CopyTo(_data.AsSpan(end));
        samples[first..].CopyTo(_data);
        Count += samples.Length;
    }

    public void WriteSilence(int count)
    {
        Span<short> zeros = stackalloc short[160];
        zeros.Clear();
        while (count > 0)
        {
            int n = Math.Min(count, zeros.Length);
            Write(zeros[..n]);
            count -= n;
        }
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length samples; the missing tail is zero-filled. Returns the samples that were real.</summary>
    public int Read(Span<short> destination)
    {
        int n = Math.Min(destination.Length, Count);
        int first = Math.Min(n, _data.Length - _start);
        _data.AsSpan(_start, first).CopyTo(destination);
        _data.AsSpan(0, n - first).CopyTo(destination[first..]);
        destination[n..].Clear();
        Skip(n);
        return n;
    }

    public void Clear()
    {
        _start = 0;
        Count = 0;
    }

    private void Skip(int n)
    {
        _start = (_start + n) % _data.Length;
        Count -= n;
    }
}
