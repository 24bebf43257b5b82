// One TCP (or TLS) connection of the socket transport: socket, bounded receive buffer, activity time.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Sipwire.Transport;

/// <summary>A stream connection and its framing buffer (RFC 3261 §18.3).</summary>
internal sealed class StreamConnection : IDisposable
{
    public StreamConnection(int id, Socket socket, PeerAddress remote, int bufferCap, long now)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        Buffer = new byte[Math.Min(4096, bufferCap)];
        Cap = bufferCap;
        LastActivity = now;
    }

    public int Id { get; }

    public Socket Socket { get; }

    /// <summary>The TLS stream once the handshake is done; null for plain TCP or while handshaking.</summary>
    public Stream? Stream { get; set; }

    /// <summary>True for a TLS connection (reads and the handshake run asynchronously, completed in Poll).</summary>
    public bool IsTls { get; init; }

    /// <summary>True for a connection we opened (we run the client side of its TLS handshake).</summary>
    public bool IsOutgoing { get; set; }

    /// <summary>The TLS handshake in progress.</summary>
    public Task<Stream>? Handshake { get; set; }

    /// <summary>The TLS read in progress.</summary>
    public Task<int>? PendingRead { get; set; }

    /// <summary>Messages queued while the TLS handshake runs.</summary>
    public List<byte[]> Queued { get; } = [];

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
