// A simulated UDP network for media sessions: seeded loss, delay and jitter (reordering), virtual time, no allocation per datagram.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Media.Session;

namespace Sipwire.Media.Tests.Session;

/// <summary>
/// Carries datagrams between <see cref="SimulatedPacketIo"/> endpoints. Each datagram is dropped
/// with probability <see cref="LossRate"/>, else delivered after <see cref="BaseDelayUs"/> plus a
/// uniform jitter in [0, <see cref="JitterUs"/>), so later packets can overtake earlier ones.
/// Time is <see cref="NowUs"/>, set by the test. Datagram buffers come from a fixed pool, so the
/// network itself allocates nothing per datagram (the zero-allocation test relies on it).
/// </summary>
internal sealed class SimulatedMediaNetwork
{
    private const int SlotSize = 1600;

    private readonly Random _random;
    private readonly byte[][] _data;
    private readonly int[] _length;
    private readonly long[] _due;
    private readonly long[] _order;
    private readonly IPEndPoint?[] _to;
    private readonly IPEndPoint?[] _from;
    private long _nextOrder;

    public SimulatedMediaNetwork(int seed, int capacity = 512)
    {
        _random = new Random(seed);
        _data = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
        {
            _data[i] = new byte[SlotSize];
        }

        _length = new int[capacity];
        _due = new long[capacity];
        _order = new long[capacity];
        _to = new IPEndPoint?[capacity];
        _from = new IPEndPoint?[capacity];
    }

    public long NowUs { get; set; }

    public double LossRate { get; set; }

    public long BaseDelayUs { get; set; } = 10_000;

    public long JitterUs { get; set; }

    /// <summary>When set, every datagram to this address is also dropped (a dead path).</summary>
    public Func<IPEndPoint, bool>? Blackhole { get; set; }

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public SimulatedPacketIo CreateEndpoint(IPAddress address, int rtpPort) => new(this, new IPEndPoint(address, rtpPort), new IPEndPoint(address, rtpPort + 1));

    /// <summary>Injects a datagram as if <paramref name="from"/> had sent it (spoofing, garbage).</summary>
    public void Inject(ReadOnlySpan<byte> datagram, IPEndPoint from, IPEndPoint to) => Enqueue(datagram, from, to, NowUs);

    internal void Send(ReadOnlySpan<byte> datagram, IPEndPoint from, IPEndPoint to)
    {
        Sent++;
        if (_random.NextDouble() < LossRate || (Blackhole is not null && Blackhole(to)))
        {
            Dropped++;
            return;
        }

        long delay = BaseDelayUs + (JitterUs == 0 ? 0 : (long)(_random.NextDouble() * JitterUs));
        Enqueue(datagram, from, to, NowUs + delay);
    }

    /// <summary>Takes the earliest due datagram for <paramref name="to"/> (by due time, then sending order).</summary>
    internal int Receive(IPEndPoint to, Span<byte> buffer, out IPEndPoint? from)
    {
        int best = -1;
        for (int i = 0; i < _to.Length; i++)
        {
            if (_to[i] is { } dest && _due[i] <= NowUs && dest.Equals(to)
                && (best < 0 || _due[i] < _due[best] || (_due[i] == _due[best] && _order[i] < _order[best])))
            {
                best = i;
            }
        }

        from = null;
        if (best < 0)
        {
            return -1;
        }

        int n = Math.Min(_length[best], buffer.Length);
        _data[best].AsSpan(0, n).CopyTo(buffer);
        from = _from[best];
        _to[best] = null;
        return n;
    }

    private void Enqueue(ReadOnlySpan<byte> datagram, IPEndPoint from, IPEndPoint to, long due)
    {
        if (datagram.Length > SlotSize)
        {
            throw new ArgumentException("The simulated network carries datagrams of at most 1600 octets.", nameof(datagram));
        }

        int slot = Array.IndexOf(_to, null);
        if (slot < 0)
        {
            // A full queue behaves as a congested link: tail drop.
            Dropped++;
            return;
        }

        datagram.CopyTo(_data[slot]);
        _length[slot] = datagram.Length;
        _due[slot] = due;
        _order[slot] = _nextOrder++;
        _to[slot] = to;
        _from[slot] = from;
    }
}
