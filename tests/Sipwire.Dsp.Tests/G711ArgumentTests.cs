// G.711 public API: short and overlapping buffers are rejected with ArgumentException and nothing is written.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G711ArgumentTests
{
    [Test]
    public void ShortCodeBufferIsRejected()
    {
        var pcm = new short[160];
        var codes = new byte[159];
        Assert.Throws<ArgumentException>(() => G711.EncodeULaw(pcm, codes));
        Assert.Throws<ArgumentException>(() => G711.EncodeALaw(pcm, codes));
        Assert.That(codes, Is.All.Zero);
    }

    [Test]
    public void ShortPcmBufferIsRejected()
    {
        var codes = new byte[160];
        Array.Fill(codes, (byte)0x55);
        var pcm = new short[100];
        Assert.Throws<ArgumentException>(() => G711.DecodeULaw(codes, pcm));
        Assert.Throws<ArgumentException>(() => G711.DecodeALaw(codes, pcm));
        Assert.That(pcm, Is.All.Zero);
    }

    [Test]
    public void OverlappingBuffersAreRejected()
    {
        var storage = new short[200];
        Assert.Throws<ArgumentException>(() =>
        {
            Span<short> pcm = storage.AsSpan(0, 160);
            G711.EncodeULaw(pcm, MemoryMarshal.AsBytes(storage.AsSpan(40, 160)));
        });
        Assert.Throws<ArgumentException>(() =>
        {
            Span<short> all = storage.AsSpan();
            G711.DecodeALaw(MemoryMarshal.AsBytes(all)[..160], all[..160]);
        });
    }

    [Test]
    public void LongerOutputIsWrittenOnlyForTheInputLength()
    {
        var pcm = new short[33];
        var codes = new byte[40];
        Array.Fill(codes, (byte)0x11);
        G711.EncodeULaw(pcm, codes);
        Assert.That(codes[..33], Is.All.EqualTo(0xFF));
        Assert.That(codes[33..], Is.All.EqualTo(0x11));
    }

    [Test]
    public void EmptyInputIsANoOp()
    {
        // Nothing is read or written: empty spans are accepted and a larger output stays untouched.
        G711.EncodeULaw(ReadOnlySpan<short>.Empty, Span<byte>.Empty);
        byte[] codes = [0x11, 0x11, 0x11, 0x11];
        short[] pcm = [7, 7, 7, 7];
        G711.EncodeULaw(ReadOnlySpan<short>.Empty, codes);
        G711.DecodeALaw(ReadOnlySpan<byte>.Empty, pcm);
        Assert.That(codes, Is.All.EqualTo(0x11));
        Assert.That(pcm, Is.All.EqualTo(7));
    }
}
