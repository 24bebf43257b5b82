// A send buffer rented from ArrayPool<byte>.Shared for SipMessageBuilder; returned on Dispose.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers;

namespace Sipwire.Sip;

/// <summary>
/// Rents a byte array for serializing one message and returns it on <see cref="Dispose"/>, so a
/// steady-state send path allocates nothing. Not thread-safe; dispose exactly once.
/// </summary>
public sealed class SipPooledBuffer : IDisposable
{
    private byte[]? _array;

    /// <summary>Rents at least <paramref name="minimumSize"/> bytes (default: one maximum UDP datagram).</summary>
    public SipPooledBuffer(int minimumSize = 65535)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumSize);
        _array = ArrayPool<byte>.Shared.Rent(minimumSize);
    }

    /// <summary>Bytes of the message written so far (set by <see cref="Commit"/>).</summary>
    public int Length { get; private set; }

    /// <summary>The whole rented space to build into.</summary>
    public Span<byte> Space => (_array ?? throw new ObjectDisposedException(nameof(SipPooledBuffer))).AsSpan();

    /// <summary>The committed message bytes.</summary>
    public ReadOnlyMemory<byte> Message => (_array ?? throw new ObjectDisposedException(nameof(SipPooledBuffer))).AsMemory(0, Length);

    /// <summary>Records how many bytes the builder produced (its <see cref="SipMessageBuilder.Finish()"/> result).</summary>
    public void Commit(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Space.Length);
        Length = length;
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[]? a = _array;
        _array = null;
        Length = 0;
        if (a is not null) ArrayPool<byte>.Shared.Return(a);
    }
}
