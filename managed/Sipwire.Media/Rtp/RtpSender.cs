// Sender side of one RTP stream: SSRC, sequence number and timestamp, and the SR counters (RFC 3550 §5.1, §6.4.1).
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using Sipwire.Security;

namespace Sipwire.Media.Rtp;

/// <summary>
/// Numbers the packets of one outgoing RTP stream. Sequence number and timestamp start at random
/// values (RFC 3550 §5.1) and wrap modulo 2^16 / 2^32. Counts packets and payload octets for the
/// sender report (§6.4.1).
/// </summary>
public sealed class RtpSender
{
    private readonly int _clockRate;
    private long _lastSendUs;
    private uint _lastTimestamp;
    private bool _sentAny;

    /// <summary>Creates a stream with a random SSRC, sequence number and timestamp.</summary>
    public RtpSender(byte payloadType, int clockRate)
        : this(payloadType, clockRate, RandomUInt32(), (ushort)RandomUInt32(), RandomUInt32())
    {
    }

    // SecureRandom, not RandomNumberGenerator: on Linux the latter needs libssl, which a NativeAOT
    // libsipwire on firmware usually lacks (the process aborts).
    private static uint RandomUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        SecureRandom.Fill(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    /// <summary>Creates a stream with the given initial values (tests, or a restart that keeps the SSRC).</summary>
    public RtpSender(byte payloadType, int clockRate, uint ssrc, ushort initialSequence, uint initialTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        PayloadType = payloadType;
        _clockRate = clockRate;
        Ssrc = ssrc;
        NextSequenceNumber = initialSequence;
        NextTimestamp = initialTimestamp;
    }

    /// <summary>The synchronization source of this stream.</summary>
    public uint Ssrc { get; private set; }

    /// <summary>The payload type written into each packet.</summary>
    public byte PayloadType { get; set; }

    /// <summary>The sequence number of the next packet.</summary>
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>The timestamp of the next packet.</summary>
    public uint NextTimestamp { get; private set; }

    /// <summary>Packets sent (SR sender's packet count; wraps at 2^32).</summary>
    public uint PacketCount { get; private set; }

    /// <summary>Payload octets sent, headers and padding excluded (SR sender's octet count).</summary>
    public uint OctetCount { get; private set; }

    /// <summary>True once a packet has been sent (the "we_sent" flag of §6.3 counts recent sends).</summary>
    public bool HasSent => _sentAny;

    /// <summary>
    /// Writes header and payload of the next packet into <paramref name="destination"/>, then
    /// advances the sequence number by one and the timestamp by <paramref name="samples"/>.
    /// Returns the packet length, or -1 when it does not fit (nothing advances then).
    /// </summary>
    public int WritePacket(Span<byte> destination, ReadOnlySpan<byte> payload, uint samples, bool marker, long nowUs)
    {
        if (destination.Length < RtpHeader.FixedSize + payload.Length)
        {
            return -1;
        }

        var header = new RtpHeader(PayloadType, NextSequenceNumber, NextTimestamp, Ssrc, marker);
        header.TryWrite(destination, out int written);
        payload.CopyTo(destination[written..]);
        _lastTimestamp = NextTimestamp;
        _lastSendUs = nowUs;
        _sentAny = true;
        NextSequenceNumber++;
        NextTimestamp += samples;
        PacketCount++;
        OctetCount += (uint)payload.Length;
        return written + payload.Length;
    }

    /// <summary>
    /// Writes a packet of another payload type in the same stream (same SSRC and sequence space)
    /// with an explicit timestamp, e.g. an RFC 4733 telephone-event whose timestamp is the event's
    /// start (§2.5.1.1). The media timestamp does not advance. Returns the length, or -1 when it does not fit.
    /// </summary>
    public int WritePacket(Span<byte> destination, byte payloadType, ReadOnlySpan<byte> payload, uint timestamp, bool marker, long nowUs)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        if (destination.Length < RtpHeader.FixedSize + payload.Length)
        {
            return -1;
        }

        var header = new RtpHeader(payloadType, NextSequenceNumber, timestamp, Ssrc, marker);
        header.TryWrite(destination, out int written);
        payload.CopyTo(destination[written..]);
        _lastSendUs = nowUs;
        _sentAny = true;
        NextSequenceNumber++;
        PacketCount++;
        OctetCount += (uint)payload.Length;
        return written + payload.Length;
    }

    /// <summary>Advances the timestamp without sending (silence suppression / DTX, RFC 3550 §5.1).</summary>
    public void SkipSamples(uint samples) => NextTimestamp += samples;

    /// <summary>
    /// The RTP timestamp that corresponds to wall-clock <paramref name="nowUs"/>, for the SR
    /// (RFC 3550 §6.4.1: "the same time as the NTP timestamp", extrapolated from the last packet).
    /// </summary>
    public uint TimestampAt(long nowUs)
    {
        if (!_sentAny)
        {
            return NextTimestamp;
        }

        long elapsedUs = nowUs - _lastSendUs;
        return _lastTimestamp + (uint)(elapsedUs * _clockRate / 1_000_000);
    }

    /// <summary>
    /// Picks a new random SSRC after a collision (RFC 3550 §8.2) and resets the SR counters.
    /// </summary>
    public void ChangeSsrc(uint newSsrc)
    {
        Ssrc = newSsrc;
        PacketCount = 0;
        OctetCount = 0;
    }
}
