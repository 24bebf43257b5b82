// Per-SSRC SRTP state: rollover counter, highest sequence, replay windows, SRTCP index (RFC 3711 §3.2.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Srtp;

/// <summary>The per-SSRC part of an SRTP cryptographic context.</summary>
internal sealed class SrtpStream
{
    public uint Ssrc;
    public bool InUse;
    public bool RtpStarted;
    public uint Roc;
    public ushort HighestSequence; // RFC 3711 §3.3.1 "s_l"
    public SrtpReplayWindow RtpReplay;
    public uint RtcpIndex; // next SRTCP index to send
    public SrtpReplayWindow RtcpReplay;

    public void Reset(uint ssrc)
    {
        Ssrc = ssrc;
        InUse = true;
        RtpStarted = false;
        Roc = 0;
        HighestSequence = 0;
        RtpReplay = default;
        RtcpIndex = 0;
        RtcpReplay = default;
    }

    /// <summary>
    /// RFC 3711 §3.3.1 / Appendix A: the ROC guess v for a received sequence number, from the
    /// highest sequence s_l seen so far. Returns the 48-bit index v * 2^16 + SEQ.
    /// </summary>
    public ulong EstimateIndex(ushort sequence, out uint v)
    {
        if (!RtpStarted)
        {
            v = Roc;
            return ((ulong)v << 16) | sequence;
        }

        v = Roc;
        if (HighestSequence < 32768)
        {
            if (sequence - HighestSequence > 32768 && Roc > 0)
            {
                v = Roc - 1;
            }
        }
        else if (HighestSequence - 32768 > sequence)
        {
            v = Roc + 1;
        }

        return ((ulong)v << 16) | sequence;
    }

    /// <summary>RFC 3711 §3.3.1: update ROC and s_l after the packet authenticated.</summary>
    public void CommitIndex(ushort sequence, uint v)
    {
        if (!RtpStarted)
        {
            RtpStarted = true;
            Roc = v;
            HighestSequence = sequence;
        }
        else if (v == Roc + 1 && Roc != uint.MaxValue)
        {
            Roc = v;
            HighestSequence = sequence;
        }
        else if (v == Roc && sequence > HighestSequence)
        {
            HighestSequence = sequence;
        }
    }
}
