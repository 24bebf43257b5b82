// Symmetric RTP (RFC 4961): send to the address the peer's valid media actually comes from.
// SPDX-License-Identifier: MIT

using System;
using System.Net;

namespace Sipwire.Media.Rtp;

/// <summary>
/// Latches the destination of outgoing RTP onto the source address of the peer's incoming RTP
/// (RFC 4961 §3: a symmetric RTP endpoint sends from and receives on the same port, so the
/// address packets arrive from is where the peer listens, even behind a NAT).
/// Only packets that passed validation (and SRTP authentication) count: the first one latches;
/// afterwards a different address takes over only after <see cref="RelatchThreshold"/> consecutive
/// valid packets from it, so one spoofed or stray packet cannot hijack the stream.
/// </summary>
public sealed class SymmetricRtpLatch
{
    private IPEndPoint? _candidate;
    private int _candidateCount;

    /// <summary>Starts with the address from the SDP (c= and m= lines) as the destination.</summary>
    public SymmetricRtpLatch(IPEndPoint signaledRemote, int relatchThreshold = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(relatchThreshold);
        Destination = signaledRemote ?? throw new ArgumentNullException(nameof(signaledRemote));
        RelatchThreshold = relatchThreshold;
    }

    /// <summary>Where to send RTP now.</summary>
    public IPEndPoint Destination { get; private set; }

    /// <summary>True once incoming media has set the destination.</summary>
    public bool IsLatched { get; private set; }

    /// <summary>Consecutive valid packets a new source address needs to take over once latched.</summary>
    public int RelatchThreshold { get; }

    /// <summary>
    /// Reports a received packet from <paramref name="source"/> that passed validation; returns
    /// true when the destination changed. Invalid packets must not be reported.
    /// </summary>
    public bool OnValidPacket(IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!IsLatched)
        {
            IsLatched = true;
            bool changed = !source.Equals(Destination);
            Destination = source;
            return changed;
        }

        if (source.Equals(Destination))
        {
            _candidate = null;
            _candidateCount = 0;
            return false;
        }

        if (_candidate is not null && source.Equals(_candidate))
        {
            _candidateCount++;
        }
        else
        {
            _candidate = source;
            _candidateCount = 1;
        }

        if (_candidateCount >= RelatchThreshold)
        {
            Destination = source;
            _candidate = null;
            _candidateCount = 0;
            return true;
        }

        return false;
    }
}
