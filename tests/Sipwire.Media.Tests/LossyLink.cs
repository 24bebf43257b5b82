// A deterministic packet-loss / jitter / reorder / duplicate channel for media tests (seeded Random, virtual time).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Media.Tests;

/// <summary>
/// Delivers datagrams after a base delay plus uniform jitter, drops a fraction, duplicates a
/// fraction. Reordering follows from the jitter (a later packet can overtake an earlier one).
/// </summary>
internal sealed class LossyLink
{
    private readonly Random _random;
    private readonly List<(long DueUs, long Order, byte[] Data)> _inFlight = new();
    private long _order;

    public LossyLink(int seed, double lossRate, long baseDelayUs, long jitterUs, double duplicateRate = 0)
    {
        _random = new Random(seed);
        LossRate = lossRate;
        BaseDelayUs = baseDelayUs;
        JitterUs = jitterUs;
        DuplicateRate = duplicateRate;
    }

    public double LossRate { get; }

    public long BaseDelayUs { get; }

    public long JitterUs { get; }

    public double DuplicateRate { get; }

    public int Sent { get; private set; }

    public int Dropped { get; private set; }

    public void Send(ReadOnlySpan<byte> datagram, long nowUs)
    {
        Sent++;
        if (_random.NextDouble() < LossRate)
        {
            Dropped++;
            return;
        }

        Enqueue(datagram.ToArray(), nowUs);
        if (_random.NextDouble() < DuplicateRate)
        {
            Enqueue(datagram.ToArray(), nowUs);
        }
    }

    /// <summary>Removes and returns the datagrams due at or before <paramref name="nowUs"/>, in arrival order.</summary>
    public List<byte[]> Receive(long nowUs)
    {
        var due = new List<(long DueUs, long Order, byte[] Data)>();
        for (int i = _inFlight.Count - 1; i >= 0; i--)
        {
            if (_inFlight[i].DueUs <= nowUs)
            {
                due.Add(_inFlight[i]);
                _inFlight.RemoveAt(i);
            }
        }

        due.Sort((a, b) => a.DueUs != b.DueUs ? a.DueUs.CompareTo(b.DueUs) : a.Order.CompareTo(b.Order));
        return due.ConvertAll(d => d.Data);
    }

    private void Enqueue(byte[] data, long nowUs)
    {
        long delay = BaseDelayUs + (JitterUs == 0 ? 0 : (long)(_random.NextDouble() * JitterUs));
        _inFlight.Add((nowUs + delay, _order++, data));
    }
}
