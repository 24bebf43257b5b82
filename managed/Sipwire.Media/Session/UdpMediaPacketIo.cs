// IMediaPacketIo over a pair of non-blocking UDP sockets (RTP on an even port, RTCP on the next), allocation-free per datagram.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using System.Net.Sockets;

namespace Sipwire.Media.Session;

/// <summary>
/// The RTP/RTCP socket pair of one call on the host's network stack. Both sockets are
/// non-blocking; receiving and sending go through <see cref="SocketAddress"/> buffers and the last
/// peer address is cached, so steady-state traffic with one peer allocates nothing.
/// </summary>
public sealed class UdpMediaPacketIo : IMediaPacketIo
{
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly Endpoints _rtpEndpoints;
    private readonly Endpoints _rtcpEndpoints;

    /// <summary>Binds RTP to <paramref name="address"/>:<paramref name="rtpPort"/> and RTCP to the next port (RFC 3550 §11).</summary>
    /// <exception cref="SocketException">A port is in use or the address is not local.</exception>
    public UdpMediaPacketIo(IPAddress address, int rtpPort)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rtpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtpPort, 65534);
        _rtp = Open(address, rtpPort);
        try
        {
            _rtcp = Open(address, rtpPort + 1);
        }
        catch
        {
            _rtp.Dispose();
            throw;
        }

        LocalRtp = (IPEndPoint)_rtp.LocalEndPoint!;
        _rtpEndpoints = new Endpoints(address.AddressFamily);
        _rtcpEndpoints = new Endpoints(address.AddressFamily);
    }

    /// <inheritdoc />
    public IPEndPoint LocalRtp { get; }

    /// <summary>Datagrams that failed to send or receive with a socket error.</summary>
    public long SocketErrors { get; private set; }

    /// <inheritdoc />
    public bool Send(MediaComponent component, ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Socket socket = component == MediaComponent.Rtp ? _rtp : _rtcp;
        Endpoints cache = component == MediaComponent.Rtp ? _rtpEndpoints : _rtcpEndpoints;
        try
        {
            return socket.SendTo(datagram, SocketFlags.None, cache.AddressOf(destination)) == datagram.Length;
        }
        catch (SocketException)
        {
            // ICMP errors, a full send buffer, a vanished route: UDP may lose the datagram anyway.
            SocketErrors++;
            return false;
        }
    }

    /// <inheritdoc />
    public int Receive(MediaComponent component, Span<byte> buffer, out IPEndPoint? source)
    {
        Socket socket = component == MediaComponent.Rtp ? _rtp : _rtcp;
        Endpoints cache = component == MediaComponent.Rtp ? _rtpEndpoints : _rtcpEndpoints;
        source = null;
        try
        {
            if (socket.Available == 0)
            {
                return -1;
            }

            int n = socket.ReceiveFrom(buffer, SocketFlags.None, cache.Received);
            source = cache.EndpointOfReceived();
            return n;
        }
        catch (SocketException)
        {
            SocketErrors++;
            return -1;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private static Socket Open(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Blocking = false;
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Serialized addresses of the last destination and the last source, with their IPEndPoint objects.</summary>
    private sealed class Endpoints
    {
        private IPEndPoint? _destination;
        private SocketAddress? _destinationAddress;
        private IPEndPoint? _source;
        private SocketAddress? _sourceAddress;

        public Endpoints(AddressFamily family)
        {
            Received = new SocketAddress(family);
        }

        public SocketAddress Received { get; }

        public SocketAddress AddressOf(IPEndPoint destination)
        {
            if (_destinationAddress is null || !ReferenceEquals(destination, _destination) && !destination.Equals(_destination))
            {
                _destination = destination;
                _destinationAddress = destination.Serialize();
            }

            return _destinationAddress;
        }

        public IPEndPoint EndpointOfReceived()
        {
            if (_source is null || !Received.Equals(_sourceAddress))
            {
                _sourceAddress = new SocketAddress(Received.Family, Received.Size);
                Received.Buffer.Span[..Received.Size].CopyTo(_sourceAddress.Buffer.Span);
                _source = (IPEndPoint)new IPEndPoint(Received.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(_sourceAddress);
            }

            return _source;
        }
    }
}
