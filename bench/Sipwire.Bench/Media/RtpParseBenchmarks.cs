// RTP header parse: the validating RtpHeader.TryParse against a bare read of the three fields (baseline).
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sipwire.Media.Rtp;

namespace Sipwire.Bench.Media;

/// <summary>
/// The baseline reads sequence number, timestamp and SSRC with no validation at all: the floor any
/// parser pays. The ratio shows what RFC 3550 validation (version, CSRC, extension, padding) costs.
/// </summary>
[MemoryDiagnoser]
public class RtpParseBenchmarks
{
    private readonly byte[] _packet = new byte[RtpHeader.FixedSize + 160];

    [GlobalSetup]
    public void Setup() => new RtpHeader(0, 4711, 123456, 0xCAFEBABE, marker: true).TryWrite(_packet, out _);

    [Benchmark(Baseline = true)]
    public uint RawFieldRead()
    {
        ReadOnlySpan<byte> p = _packet;
        return BinaryPrimitives.ReadUInt16BigEndian(p[2..]) ^ BinaryPrimitives.ReadUInt32BigEndian(p[4..]) ^ BinaryPrimitives.ReadUInt32BigEndian(p[8..]);
    }

    [Benchmark]
    public uint TryParse()
    {
        if (!RtpHeader.TryParse(_packet, out RtpHeader h, out RtpParseError error))
        {
            throw new InvalidOperationException(error.ToString());
        }

        return h.SequenceNumber ^ h.Timestamp ^ h.Ssrc ^ (uint)h.PayloadLength;
    }
}
