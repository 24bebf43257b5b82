// A run of bytes inside a received message, kept as an offset and a length instead of a copy.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Sip;

/// <summary>
/// An offset and a length into the bytes a message was parsed from. <see cref="None"/> (start -1)
/// means "absent", which differs from an empty but present value (for example <c>;branch=</c>).
/// </summary>
public readonly record struct ByteRange(int Start, int Length)
{
    /// <summary>The absent range.</summary>
    public static ByteRange None => new(-1, 0);

    /// <summary>True when the item this range stands for was present in the message.</summary>
    public bool IsPresent => Start >= 0;

    /// <summary>The offset just past the last byte.</summary>
    public int End => Start + Length;

    /// <summary>Returns the bytes of this range in <paramref name="source"/>, or an empty span when absent.</summary>
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> source) => Start < 0 ? default : source.Slice(Start, Length);

    /// <summary>Shifts a range found in a sub-span to the coordinates of the whole message.</summary>
    internal ByteRange Offset(int by) => Start < 0 ? this : new ByteRange(Start + by, Length);
}
