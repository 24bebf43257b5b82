// An in-memory packet I/O that hands each datagram straight to its peer, for media-session benchmarks (no sockets, no allocation).
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Media.Session;

namespace Sipwire.Bench.Media;

/// <summary>One end of a lossless, zero-delay link; datagrams wait in a small pre-allocated ring per component.</summary>
internal sealed class MediaLoopbackIo : IMediaPacketIo
{
    private const int Slots = 16;

    private readonly byte[][] _data = new byte[2 * Slots][];
    private readonly int[] _length = new int[2 * Slots];
    private readonly int[] _head = new int[2];
    private readonly int[] _count = new int[2];
    private MediaLoopbackIo? _peer;

    private MediaLoopbackIo(IPEndPoint local)
    {
        LocalRtp = local;
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = new byte[1600];
        }
    }

    public IPEndPoint LocalRtp { get; }

    public static (MediaLoopbackIo A, MediaLoopbackIo B) CreatePair()
    {
        var a = new MediaLoopbackIo(new IPEndPoint(IPAddress.Loopback, 40000));
        var b = new MediaLoopbackIo(new IPEndPoint(IPAddress.Loopback, 50000));
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    public bool Send(MediaComponent component, ReadOnlySpan<byte> datagram, IPEndPoint destination) =>
        _peer!.Enqueue((int)component - 1, datagram);

    public int Receive(MediaComponent component, Span<byte> buffer, out IPEndPoint? source)
    {
        int c = (int)component - 1;
        source = null;
        if (_count[c] == 0)
        {
            return -1;
        }

        int slot = (c * Slots) + _head[c];
        int n = Math.Min(_length[slot], buffer.Length);
        _data[slot].AsSpan(0, n).CopyTo(buffer);
        _head[c] = (_head[c] + 1) % Slots;
        _count[c]--;
        source = _peer!.LocalRtp;
        return n;
    }

    public void Dispose()
    {
    }

    private bool Enqueue(int c, ReadOnlySpan<byte> datagram)
    {
        if (_count[c] == Slots || datagram.Length > 1600)
        {
            return false;
        }

        int slot = (c * Slots) + ((_head[c] + _count[c]) % Slots);
        datagram.CopyTo(_data[slot]);
        _length[slot] = datagram.Length;
        _count[c]++;
        return true;
    }
}
