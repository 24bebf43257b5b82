// Receiver state for one remote SSRC: A.1 validation, extended sequence, A.8 jitter, A.3 loss for reception reports.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Media.Rtcp;

namespace Sipwire.Media.Rtp;

/// <summary>
/// The per-source receive state of RFC 3550 Appendix A: sequence validation and probation (A.1),
/// extended highest sequence number with wrap count, interarrival jitter (A.8), and the loss
/// figures of a reception report block (A.3). Time is injected (microseconds).
/// </summary>
public sealed class RtpSource
{
    /// <summary>RFC 3550 A.1: largest forward jump still taken as loss rather than a restart.</summary>
    public const int MaxDropout = 3000;

    /// <summary>RFC 3550 A.1: largest backward step still taken as reordering.</summary>
    public const int MaxMisorder = 100;

    /// <summary>RFC 3550 A.1: in-sequence packets needed before a new source is valid.</summary>
    public const int MinSequential = 2;

    private const uint SeqMod = 1u << 16;

    private readonly int _clockRate;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private uint _transit;
    private bool _haveTransit;
    private uint _jitter; // RFC 3550 A.8: scaled by 16
    private uint _lastSrMiddle;
    private long _lastSrArrivalUs;
    private bool _haveSr;

    /// <summary>Starts tracking <paramref name="ssrc"/>, whose first packet carried <paramref name="firstSequence"/>.</summary>
    public RtpSource(uint ssrc, ushort firstSequence, int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        Ssrc = ssrc;
        _clockRate = clockRate;
        InitSequence(firstSequence);
        // A.1: a new source starts on probation, as if the packet before the first had been seen.
        _maxSeq = (ushort)(firstSequence - 1);
        _probation = MinSequential;
    }

    /// <summary>The source identifier.</summary>
    public uint Ssrc { get; }

    /// <summary>True once the source has passed probation.</summary>
    public bool IsValid => _probation == 0;

    /// <summary>Packets received (duplicates included, as in A.3).</summary>
    public uint Received => _received;

    /// <summary>Extended highest sequence number: wrap count in the high 16 bits (A.1 cycles + max_seq).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Interarrival jitter in timestamp units (A.8; the value put in a report block).</summary>
    public uint Jitter => _jitter >> 4;

    /// <summary>Interarrival jitter in microseconds.</summary>
    public long JitterUs => (long)Jitter * 1_000_000 / _clockRate;

    /// <summary>Packets expected from the base sequence up to the extended highest (A.3).</summary>
    public uint Expected => ExtendedHighestSequence - _baseSeq + 1;

    /// <summary>Cumulative packets lost, clamped to 24-bit signed as in A.3 (negative when duplicates arrive).</summary>
    public int CumulativeLost
    {
        get
        {
            long lost = (long)Expected - _received;
            return (int)Math.Clamp(lost, -0x800000, 0x7FFFFF);
        }
    }

    /// <summary>
    /// Validates the sequence number of a packet from this source (RFC 3550 A.1) and, when it is
    /// valid, returns its extended (32-bit) sequence number in <paramref name="extendedSequence"/>.
    /// </summary>
    public RtpSequenceResult UpdateSequence(ushort sequence, out uint extendedSequence)
    {
        ushort udelta = (ushort)(sequence - _maxSeq);
        extendedSequence = 0;
        if (_probation > 0)
        {
            // A.1: packets must be in sequence while on probation.
            if (sequence == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = sequence;
                if (_probation == 0)
                {
                    InitSequence(sequence);
                    _received++;
                    extendedSequence = ExtendedHighestSequence;
                    return RtpSequenceResult.Accepted;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = sequence;
            }

            return RtpSequenceResult.Probation;
        }

        RtpSequenceResult result = RtpSequenceResult.Accepted;
        if (udelta < MaxDropout)
        {
            if (sequence < _maxSeq)
            {
                // In order, with permissible gap, and wrapped.
                _cycles += SeqMod;
            }

            _maxSeq = sequence;
            extendedSequence = _cycles + sequence;
        }
        else if (udelta <= SeqMod - MaxMisorder)
        {
            // The sequence number made a very large jump.
            if (sequence == _badSeq)
            {
                // Two sequential packets: assume the other side restarted without telling us.
                InitSequence(sequence);
                result = RtpSequenceResult.Restarted;
                extendedSequence = ExtendedHighestSequence;
            }
            else
            {
                _badSeq = (sequence + 1u) & (SeqMod - 1);
                return RtpSequenceResult.BadJump;
            }
        }
        else
        {
            // Duplicate or reordered packet: it belongs to this cycle unless it is above max_seq
            // (then it came from before the last wrap).
            result = RtpSequenceResult.Reordered;
            extendedSequence = sequence > _maxSeq && _cycles >= SeqMod ? _cycles - SeqMod + sequence : _cycles + sequence;
        }

        _received++;
        return result;
    }

    /// <summary>
    /// Updates the interarrival jitter (RFC 3550 A.8) with a packet's RTP timestamp and its arrival
    /// time. Call for valid packets only; the first call only sets the reference transit time.
    /// </summary>
    public void UpdateJitter(uint rtpTimestamp, long arrivalUs)
    {
        // Arrival time in timestamp units; only differences matter, so the wrap of uint is harmless.
        // Split seconds and microseconds so Unix-epoch times do not overflow the multiplication.
        long seconds = Math.DivRem(arrivalUs, 1_000_000, out long micros);
        uint arrival = (uint)((seconds * _clockRate) + (micros * _clockRate / 1_000_000));
        uint transit = arrival - rtpTimestamp;
        if (_haveTransit)
        {
            int d = (int)(transit - _transit);
            if (d < 0)
            {
                d = -d;
            }

            // J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16, kept scaled by 16 as in A.8.
            _jitter += (uint)d - ((_jitter + 8) >> 4);
        }

        _transit = transit;
        _haveTransit = true;
    }

    /// <summary>Records a sender report received from this source (for LSR/DLSR, RFC 3550 §6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalUs)
    {
        _lastSrMiddle = NtpTime.Middle32(ntpTimestamp);
        _lastSrArrivalUs = arrivalUs;
        _haveSr = true;
    }

    /// <summary>
    /// Builds the reception report block for this source at <paramref name="nowUs"/> and starts a
    /// new reporting interval (the fraction lost is per interval, RFC 3550 A.3).
    /// </summary>
    public RtcpReportBlock CreateReportBlock(long nowUs)
    {
        uint expected = Expected;
        uint expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        uint receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        long lostInterval = (long)expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        uint lsr = 0;
        uint dlsr = 0;
        if (_haveSr)
        {
            lsr = _lastSrMiddle;
            // §6.4.1 DLSR: delay since the last SR, in units of 1/65536 s.
            dlsr = (uint)((nowUs - _lastSrArrivalUs) * 65536 / 1_000_000);
        }

        return new RtcpReportBlock(Ssrc, fraction, CumulativeLost, ExtendedHighestSequence, Jitter, lsr, dlsr);
    }

    private void InitSequence(ushort sequence)
    {
        _baseSeq = sequence;
        _maxSeq = sequence;
        _badSeq = SeqMod + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }
}
