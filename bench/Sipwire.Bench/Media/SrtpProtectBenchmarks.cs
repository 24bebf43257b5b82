// SRTP protect of one 20 ms G.711 frame (160-byte payload): Sipwire vs libsrtp2 (baseline) in the same run.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;

namespace Sipwire.Bench.Media;

/// <summary>
/// Protects a 12-byte-header + 160-byte-payload RTP packet in place, with a new sequence number
/// each time (both implementations refuse to reuse an index). libsrtp2 (Debian's build, NSS AES
/// backend) is called through the bench/native/srtp shim.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet releases the contexts in [GlobalCleanup]; benchmark classes must stay unsealed.")]
public class SrtpProtectBenchmarks
{
    private const int PayloadLength = 160;
    private const int RtpLength = RtpHeader.FixedSize + PayloadLength;

    private readonly byte[] _ourBuffer = new byte[RtpLength + 160];
    private readonly byte[] _libBuffer = new byte[RtpLength + 160];
    private SrtpContext? _ours;
    private LibSrtp? _lib;
    private ushort _ourSeq;
    private ushort _libSeq;

    [Params(SrtpProfile.AesCm128HmacSha1Tag80, SrtpProfile.AesCm128HmacSha1Tag32)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
        byte[] keySalt = [.. key, .. salt];
        _ours = new SrtpContext(Profile, key, salt);
        _lib = new LibSrtp(Profile == SrtpProfile.AesCm128HmacSha1Tag80 ? 80 : 32, keySalt, outbound: true);
        new RtpHeader(0, 0, 0, 0x12345678).TryWrite(_ourBuffer, out _);
        new RtpHeader(0, 0, 0, 0x12345678).TryWrite(_libBuffer, out _);
        new Random(1).NextBytes(_ourBuffer.AsSpan(RtpHeader.FixedSize, PayloadLength));
        _ourBuffer.AsSpan(RtpHeader.FixedSize, PayloadLength).CopyTo(_libBuffer.AsSpan(RtpHeader.FixedSize));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _lib?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int LibSrtp2()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_libBuffer.AsSpan(2, 2), _libSeq++);
        int length = RtpLength;
        int status = _lib!.Protect(_libBuffer, ref length);
        return status == 0 ? length : throw new InvalidOperationException($"srtp_protect: {status}");
    }

    [Benchmark]
    public int Sipwire()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_ourBuffer.AsSpan(2, 2), _ourSeq++);
        SrtpStatus status = _ours!.ProtectRtp(_ourBuffer, RtpLength, out int length);
        return status == SrtpStatus.Ok ? length : throw new InvalidOperationException($"ProtectRtp: {status}");
    }
}
