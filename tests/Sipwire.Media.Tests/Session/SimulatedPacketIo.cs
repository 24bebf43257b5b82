// One media endpoint (RTP and RTCP address) on the SimulatedMediaNetwork, implementing the session's packet I/O.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Media.Session;

namespace Sipwire.Media.Tests.Session;

/// <summary>The RTP/RTCP address pair of one simulated phone.</summary>
internal sealed class SimulatedPacketIo : IMediaPacketIo
{
    private readonly SimulatedMediaNetwork _network;

    public SimulatedPacketIo(SimulatedMediaNetwork network, IPEndPoint rtp, IPEndPoint rtcp)
    {
        _network = network;
        LocalRtp = rtp;
        LocalRtcp = rtcp;
    }

    public IPEndPoint LocalRtp { get; }

    public IPEndPoint LocalRtcp { get; }

    public bool Disposed { get; private set; }

    public long RtpSent { get; private set; }

    public long RtcpSent { get; private set; }

    public bool Send(MediaComponent component, ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (component == MediaComponent.Rtp)
        {
            RtpSent++;
        }
        else
        {
            RtcpSent++;
        }

        _network.Send(datagram, component == MediaComponent.Rtp ? LocalRtp : LocalRtcp, destination);
        return true;
    }

    public int Receive(MediaComponent component, Span<byte> buffer, out IPEndPoint? source)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        return _network.Receive(component == MediaComponent.Rtp ? LocalRtp : LocalRtcp, buffer, out source);
    }

    public void Dispose() => Disposed = true;
}
