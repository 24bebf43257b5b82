// One TCP (or TLS) connection of the socket transport: socket, bounded receive buffer, activity time.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net.Sockets;

namespace Sipwire.Transport;

/// <summary>A stream connection and its framing buffer (RFC 3261 §18.3).</summary>
internal sealed class StreamConnection : IDisposable
{
    public StreamConnection(int id, Socket socket, PeerAddress remote, int bufferCap, long now, Stream? stream = null)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        Buffer = new byte[Math.Min(4096, bufferCap)];
        Cap = bufferCap;
        LastActivity = now;
        Stream = stream;
    }

    public int Id { get; }

    public Socket Socket { get; }

    /// <summary>A TLS stream over the socket, or null for plain TCP.</summary>
    public Stream? Stream { get; }

    public PeerAddress Remote { get; }

    public byte[] Buffer { get; private set; }

    public int Count { get; set; }

    public int Cap { get; }

    public long LastActivity { get; set; }

    /// <summary>Makes room for at least one more read; false when the cap is reached.</summary>
    public bool EnsureSpace()
    {
        if (Count < Buffer.Length) return true;
        if (Buffer.Length >= Cap) return false;
        byte[] bigger = new byte[Math.Min(Cap, Buffer.Length * 2)];
        Buffer.AsSpan(0, Count).CopyTo(bigger);
        Buffer = bigger;
        return true;
    }

    public void Consume(int bytes)
    {
        Buffer.AsSpan(bytes, Count - bytes).CopyTo(Buffer);
        Count -= bytes;
    }

    public void Dispose()
    {
        Stream?.Dispose();
        Socket.Dispose();
    }
}
