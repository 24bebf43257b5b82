// SPDX-License-Identifier: MIT
// A TLS session run by the firmware's sw_tls_provider, exposed to the transport as a Stream.

using System;
using System.IO;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Sipwire.Native;

/// <summary>
/// The provider pulls record bytes with sw_tls_io_recv() from a receive buffer this stream fills
/// asynchronously from the TCP stream (no thread blocks in C waiting for the network), and pushes
/// them with sw_tls_io_send() straight to the TCP stream. Every call into the provider holds the
/// session lock, so the transport's read (I/O thread) and write (polling thread) never overlap in C.
/// </summary>
internal sealed class FirmwareTlsStream : Stream
{
    /// <summary>Every live sw_tls_io handle of the process.</summary>
    public static HandleTable<FirmwareTlsStream> IoHandles { get; } = new(4096);

    private readonly Stream _inner;
    private readonly TlsProviderTable _provider;
    private readonly Lock _lock = new();
    private readonly byte[] _rx = new byte[16 * 1024 + 512];
    private readonly byte[] _fill = new byte[16 * 1024];
    private readonly nint _io;
    private nint _session;
    private int _rxStart;
    private int _rxCount;
    private bool _eof;
    private bool _closed;

    private FirmwareTlsStream(Stream inner, in TlsProviderTable provider)
    {
        _inner = inner;
        _provider = provider;
        _io = IoHandles.Add(this);
    }

    /// <summary>Opens a session and runs its handshake to completion.</summary>
    /// <exception cref="AuthenticationException">The provider refused the session or the handshake failed.</exception>
    public static async Task<Stream> StartAsync(Stream inner, TlsProviderTable provider, string? serverName, CancellationToken cancellationToken)
    {
        var s = new FirmwareTlsStream(inner, provider);
        try
        {
            s.Open(serverName);
            while (true)
            {
                TlsResult r = s.Handshake();
                if (r == TlsResult.Ok) return s;
                if (r != TlsResult.WantRead) throw new AuthenticationException("the TLS provider failed the handshake (certificate, name or protocol)");
                if (!await s.FillAsync(cancellationToken).ConfigureAwait(false)) throw new AuthenticationException("the peer closed the connection during the TLS handshake");
            }
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    private unsafe void Open(string? serverName)
    {
        lock (_lock)
        {
            void* session = null;
            int r;
            byte[]? name = serverName is null ? null : System.Text.Encoding.UTF8.GetBytes(serverName + "\0");
            fixed (byte* n = name)
            {
                r = _provider.open(serverName is null ? 1 : 0, n, (TlsIoHandle*)_io, &session, _provider.user_data);
            }
            if (r != (int)TlsResult.Ok || session == null) throw new AuthenticationException("the TLS provider could not open a session");
            _session = (nint)session;
        }
    }

    private unsafe TlsResult Handshake()
    {
        lock (_lock)
        {
            return (TlsResult)_provider.handshake((void*)_session, _provider.user_data);
        }
    }

    // Reads record bytes from the TCP stream into the receive buffer; false at end of stream.
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        int n = await _inner.ReadAsync(_fill, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (n == 0)
            {
                _eof = true;
                return false;
            }
            if (_rxStart + _rxCount + n > _rx.Length)
            {
                Buffer.BlockCopy(_rx, _rxStart, _rx, 0, _rxCount);
                _rxStart = 0;
            }
            if (_rxCount + n > _rx.Length) throw new IOException("TLS receive buffer overflow: the provider does not consume its input");
            Buffer.BlockCopy(_fill, 0, _rx, _rxStart + _rxCount, n);
            _rxCount += n;
            return true;
        }
    }

    /// <summary>sw_tls_io_recv: copies buffered record bytes; 0 when none yet; -1 at end of stream.</summary>
    public int IoReceive(Span<byte> destination)
    {
        if (_rxCount == 0) return _eof ? -1 : 0;
        int n = Math.Min(destination.Length, _rxCount);
        _rx.AsSpan(_rxStart, n).CopyTo(destination);
        _rxStart += n;
        _rxCount -= n;
        if (_rxCount == 0) _rxStart = 0;
        return n;
    }

    /// <summary>sw_tls_io_send: writes record bytes to the TCP stream.</summary>
    public void IoSend(ReadOnlySpan<byte> data) => _inner.Write(data);

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TlsResult r = ReadOnce(buffer.Span, out int n);
            if (r == TlsResult.Ok && n > 0) return n;
            if (r == TlsResult.Closed) return 0;
            if (r != TlsResult.WantRead) throw new IOException("the TLS provider failed to read");
            if (!await FillAsync(cancellationToken).ConfigureAwait(false)) return 0;
        }
    }

    private unsafe TlsResult ReadOnce(Span<byte> buffer, out int read)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            int n = 0;
            TlsResult r;
            fixed (byte* b = buffer)
            {
                r = (TlsResult)_provider.read((void*)_session, b, buffer.Length, &n, _provider.user_data);
            }
            read = n;
            return r;
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            int r;
            fixed (byte* b = buffer)
            {
                r = _provider.write((void*)_session, b, buffer.Length, _provider.user_data);
            }
            if (r != (int)TlsResult.Ok) throw new IOException("the TLS provider failed to write");
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override unsafe void Dispose(bool disposing)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _closed = true;
                if (_session != 0)
                {
                    try
                    {
                        _provider.close((void*)_session, _provider.user_data);
                    }
                    finally
                    {
                        _session = 0;
                    }
                }
                IoHandles.Remove(_io);
            }
        }
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
