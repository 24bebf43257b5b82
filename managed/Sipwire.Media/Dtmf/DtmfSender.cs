// RFC 4733 telephone-event sender: start packet with M bit, periodic updates, three end packets, long-event segmentation.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Dtmf;

/// <summary>
/// Produces the telephone-event packets of one event at a time (RFC 4733 §2.5.1). Call
/// <see cref="TryNextPacket"/> once per packet interval while <see cref="IsActive"/>:
/// the first packet carries the marker bit; updates repeat the event timestamp with a growing
/// duration; after <see cref="Stop"/> the final packet is sent three times with the E bit
/// (§2.5.1.4 end-packet redundancy); events longer than 0xFFFF timestamp units are split into
/// segments (§2.5.1.3). Timestamps are the media (RTP) clock; the caller numbers the packets.
/// </summary>
public sealed class DtmfSender
{
    /// <summary>RFC 4733 §2.5.1.4: the final packet is sent this many times.</summary>
    public const int EndPacketCount = 3;

    private readonly uint _packetInterval;
    private byte _event;
    private byte _volume;
    private uint _segmentStart;
    private uint _elapsed; // in the current segment
    private bool _sentFirst;
    private bool _newSegment;
    private bool _stopping;
    private uint _stopDuration;
    private int _endPacketsLeft;

    /// <summary>Creates a sender for a media clock with the given packet interval (e.g. 160 = 20 ms at 8 kHz; §2.5.1.2 suggests 50 ms or less).</summary>
    public DtmfSender(uint packetIntervalSamples = 160)
    {
        ArgumentOutOfRangeException.ThrowIfZero(packetIntervalSamples);
        _packetInterval = packetIntervalSamples;
    }

    /// <summary>True while an event is being sent (including its end packets).</summary>
    public bool IsActive { get; private set; }

    /// <summary>
    /// Starts an event at media timestamp <paramref name="timestamp"/> (the RTP timestamp of the
    /// event's first packet; §2.5.1.1). <paramref name="volume"/> in -dBm0, 0-63.
    /// </summary>
    public void Start(byte eventCode, uint timestamp, byte volume = 10)
    {
        if (IsActive)
        {
            throw new InvalidOperationException("An event is already in progress; stop it first.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, (byte)63);
        _event = eventCode;
        _volume = volume;
        _segmentStart = timestamp;
        _elapsed = 0;
        _sentFirst = false;
        _newSegment = false;
        _stopping = false;
        _endPacketsLeft = EndPacketCount;
        IsActive = true;
    }

    /// <summary>
    /// Ends the event: the next <see cref="EndPacketCount"/> packets carry the E bit and the final
    /// duration, <paramref name="durationSamples"/> from the start of the current segment (by default,
    /// up to the next packet time).
    /// </summary>
    public void Stop(uint? durationSamples = null)
    {
        if (!IsActive || _stopping)
        {
            return;
        }

        _stopping = true;
        // The end packet goes out at the next packet time: by then the tone has lasted one more interval.
        _stopDuration = durationSamples ?? (_sentFirst ? _elapsed + _packetInterval : _packetInterval);
    }

    /// <summary>
    /// The next packet: payload (4 octets), RTP timestamp (the segment's start) and marker bit.
    /// Returns false when no event is active.
    /// </summary>
    public bool TryNextPacket(Span<byte> payload, out uint timestamp, out bool marker)
    {
        timestamp = 0;
        marker = false;
        if (!IsActive)
        {
            return false;
        }

        if (_stopping)
        {
            uint duration = Math.Min(_stopDuration, 0xFFFF);
            new TelephoneEvent(_event, true, _volume, (ushort)duration).Write(payload);
            timestamp = _segmentStart;
            marker = !_sentFirst;
            _sentFirst = true;
            if (--_endPacketsLeft == 0)
            {
                IsActive = false;
            }

            return true;
        }

        if (_newSegment)
        {
            // §2.5.1.3: a new segment starts where the previous one ended, without the marker bit.
            _segmentStart += 0xFFFF;
            _elapsed -= 0xFFFF;
            _newSegment = false;
        }

        if (_sentFirst)
        {
            _elapsed += _packetInterval;
        }

        ushort reported = (ushort)Math.Min(_elapsed, 0xFFFF);
        if (_elapsed >= 0xFFFF)
        {
            // The duration field would overflow: report 0xFFFF and start a new segment next time.
            _newSegment = true;
        }

        new TelephoneEvent(_event, false, _volume, reported).Write(payload);
        timestamp = _segmentStart;
        marker = !_sentFirst;
        _sentFirst = true;
        return true;
    }
}
