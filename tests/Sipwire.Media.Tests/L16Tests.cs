// L16 payload (RFC 3551 §4.5.11): big-endian byte order, odd lengths, short buffers, round trip.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers;
using System.Buffers.Binary;
using NUnit.Framework;
using Sipwire.Media.Codecs;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class L16Tests
{
    [Test]
    public void EncodeWritesNetworkByteOrder()
    {
        short[] pcm = [0x1234, -2, short.MinValue, short.MaxValue, 0, 1];
        var payload = new byte[12];

        Assert.That(L16.Encode(pcm, payload, out int written), Is.EqualTo(OperationStatus.Done));
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(12));

            // RFC 3551 §4.5.11: most significant octet first.
            Assert.That(payload, Is.EqualTo(new byte[] { 0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F, 0xFF, 0x00, 0x00, 0x00, 0x01 }));
        });
    }

    [Test]
    public void DecodeReadsNetworkByteOrder()
    {
        byte[] payload = [0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F, 0xFF];
        var pcm = new short[4];

        Assert.That(L16.Decode(payload, pcm, out int samples), Is.EqualTo(OperationStatus.Done));
        Assert.Multiple(() =>
        {
            Assert.That(samples, Is.EqualTo(4));
            Assert.That(pcm, Is.EqualTo(new short[] { 0x1234, -2, short.MinValue, short.MaxValue }));
        });
    }

    [Test]
    public void OddPayloadIsInvalidAndWritesNothing()
    {
        var pcm = new short[4];
        pcm.AsSpan().Fill(77);
        Assert.Multiple(() =>
        {
            Assert.That(L16.Decode(new byte[] { 1, 2, 3 }, pcm, out int samples), Is.EqualTo(OperationStatus.InvalidData));
            Assert.That(samples, Is.EqualTo(0));
            Assert.That(pcm, Is.All.EqualTo(77));
        });
    }

    [Test]
    public void ShortDestinationsWriteNothing()
    {
        var payload = new byte[5];
        var pcm = new short[1];
        pcm[0] = 77;
        Assert.Multiple(() =>
        {
            Assert.That(L16.Encode(new short[3], payload, out int written), Is.EqualTo(OperationStatus.DestinationTooSmall));
            Assert.That(written, Is.EqualTo(0));
            Assert.That(payload, Is.All.EqualTo(0));
            Assert.That(L16.Decode(new byte[4], pcm, out int samples), Is.EqualTo(OperationStatus.DestinationTooSmall));
            Assert.That(samples, Is.EqualTo(0));
            Assert.That(pcm[0], Is.EqualTo(77));
        });
    }

    [Test]
    public void RoundTripMatchesAnIndependentBigEndianReader([Values(0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 80, 160, 320, 960)] int count)
    {
        var random = new Random(count);
        var pcm = new short[count];
        for (int i = 0; i < count; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        // Odd offsets: an RTP payload need not be 2-aligned in the packet buffer.
        var packet = new byte[(2 * count) + 13];
        Span<byte> payload = packet.AsSpan(13);
        var back = new short[count];
        Assert.That(L16.Encode(pcm, payload, out int written), Is.EqualTo(OperationStatus.Done));
        Assert.That(L16.Decode(payload[..written], back, out int samples), Is.EqualTo(OperationStatus.Done));
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(2 * count));
            Assert.That(samples, Is.EqualTo(count));
            Assert.That(back, Is.EqualTo(pcm));
            for (int i = 0; i < count; i++)
            {
                Assert.That(BinaryPrimitives.ReadInt16BigEndian(packet.AsSpan(13 + (2 * i))), Is.EqualTo(pcm[i]), $"sample {i}");
            }
        });
    }
}
