// An allocation-free transport address: protocol, IPv4/IPv6 address, port and stream connection id.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sipwire.Transport;

/// <summary>
/// Where a message came from or goes to. A value type so that receiving, matching and response
/// routing (RFC 3261 §18.2.2) copy no objects; converted to <see cref="IPEndPoint"/> only at the
/// socket edge. <see cref="ConnectionId"/> names the stream connection a request arrived on
/// (0 = none / any), so responses go back over the same connection (§18.2.2).
/// </summary>
public readonly struct PeerAddress : IEquatable<PeerAddress>
{
    private readonly ulong _hi;
    private readonly ulong _lo;

    private PeerAddress(TransportProtocol protocol, ulong hi, ulong lo, bool v6, int port, int connectionId)
    {
        Protocol = protocol;
        _hi = hi;
        _lo = lo;
        IsIPv6 = v6;
        Port = port;
        ConnectionId = connectionId;
    }

    /// <summary>The transport protocol.</summary>
    public TransportProtocol Protocol { get; }

    /// <summary>True for an IPv6 address, false for IPv4.</summary>
    public bool IsIPv6 { get; }

    /// <summary>The port (0-65535).</summary>
    public int Port { get; }

    /// <summary>The stream connection this address is bound to (0 when none).</summary>
    public int ConnectionId { get; }

    /// <summary>True for TCP and TLS (§17.1.1.2: reliable transports need no retransmission timers).</summary>
    public bool IsReliable => Protocol != TransportProtocol.Udp;

    /// <summary>True for the default value (no address).</summary>
    public bool IsEmpty => Port == 0 && _hi == 0 && _lo == 0;

    /// <summary>An IPv4 address from its four octets in network order.</summary>
    public static PeerAddress FromIPv4(TransportProtocol protocol, uint addressNetworkOrder, int port, int connectionId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)port, 65535u, nameof(port));
        return new PeerAddress(protocol, 0, addressNetworkOrder, false, port, connectionId);
    }

    /// <summary>An address from raw address bytes (4 or 16).</summary>
    public static PeerAddress FromBytes(TransportProtocol protocol, ReadOnlySpan<byte> address, int port, int connectionId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)port, 65535u, nameof(port));
        if (address.Length == 4) return new PeerAddress(protocol, 0, BinaryPrimitives.ReadUInt32BigEndian(address), false, port, connectionId);
        if (address.Length == 16)
            return new PeerAddress(protocol, BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), true, port, connectionId);
        throw new ArgumentException("An IP address has 4 or 16 bytes.", nameof(address));
    }

    /// <summary>An address from an <see cref="IPEndPoint"/> (socket edge).</summary>
    public static PeerAddress FromEndPoint(TransportProtocol protocol, IPEndPoint endPoint, int connectionId = 0)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        IPAddress a = endPoint.Address;
        if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        a.TryWriteBytes(b, out int n);
        return FromBytes(protocol, b[..n], endPoint.Port, connectionId);
    }

    /// <summary>An address from a raw <see cref="SocketAddress"/> (socket edge, no allocation).</summary>
    /// <exception cref="ArgumentException">Neither IPv4 nor IPv6.</exception>
    public static PeerAddress FromSocketAddress(TransportProtocol protocol, SocketAddress address, int connectionId = 0)
    {
        ArgumentNullException.ThrowIfNull(address);
        ReadOnlySpan<byte> b = address.Buffer.Span;
        // sockaddr_in / sockaddr_in6: port in network order at offset 2; address at 4 (IPv4) or 8 (IPv6).
        int port = (b[2] << 8) | b[3];
        return address.Family switch
        {
            AddressFamily.InterNetwork => FromBytes(protocol, b.Slice(4, 4), port, connectionId),
            AddressFamily.InterNetworkV6 => FromBytes(protocol, b.Slice(8, 16), port, connectionId),
            _ => throw new ArgumentException("Only IPv4 and IPv6 socket addresses are supported.", nameof(address)),
        };
    }

    /// <summary>Writes this address into <paramref name="address"/> of the same family (reused by the sender; no allocation).</summary>
    public void WriteTo(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> b = address.Buffer.Span;
        b[2] = (byte)(Port >> 8);
        b[3] = (byte)Port;
        if (IsIPv6)
        {
            b.Slice(4, 4).Clear();
            WriteAddressBytes(b.Slice(8, 16));
            b.Slice(24, 4).Clear();
        }
        else
        {
            WriteAddressBytes(b.Slice(4, 4));
        }
    }

    /// <summary>Parses "1.2.3.4:5060" or "[::1]:5060" (the port is required).</summary>
    public static bool TryParse(TransportProtocol protocol, ReadOnlySpan<char> text, out PeerAddress address)
    {
        address = default;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port) || (uint)port > 65535) return false;
        ReadOnlySpan<char> host = text[..colon];
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']') host = host[1..^1];
        if (!IPAddress.TryParse(host, out IPAddress? ip)) return false;
        address = FromEndPoint(protocol, new IPEndPoint(ip, port));
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/> or throws.</summary>
    /// <exception cref="FormatException">The text is not an address with a port.</exception>
    public static PeerAddress Parse(TransportProtocol protocol, string text) =>
        TryParse(protocol, text, out PeerAddress a) ? a : throw new FormatException($"'{text}' is not an IP address with a port.");

    /// <summary>The same address bound to another connection (or to none with 0).</summary>
    public PeerAddress WithConnection(int connectionId) => new(Protocol, _hi, _lo, IsIPv6, Port, connectionId);

    /// <summary>The same address with another port.</summary>
    public PeerAddress WithPort(int port) => new(Protocol, _hi, _lo, IsIPv6, port, ConnectionId);

    /// <summary>The same address over another protocol.</summary>
    public PeerAddress WithProtocol(TransportProtocol protocol) => new(protocol, _hi, _lo, IsIPv6, Port, ConnectionId);

    /// <summary>Writes the address bytes (4 or 16) and returns how many.</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        if (!IsIPv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_lo);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
        return 16;
    }

    /// <summary>The address as an <see cref="IPEndPoint"/> (allocates; socket edge only).</summary>
    public IPEndPoint ToEndPoint()
    {
        Span<byte> b = stackalloc byte[16];
        int n = WriteAddressBytes(b);
        return new IPEndPoint(new IPAddress(b[..n]), Port);
    }

    /// <summary>The address family.</summary>
    public AddressFamily AddressFamily => IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>
    /// Writes the host as it appears in a Via sent-by or a received parameter: dotted IPv4, or an
    /// IPv6 reference in brackets (RFC 3261 §25.1 IPv6reference; RFC 5118 §4.5). Returns the bytes written.
    /// </summary>
    public int FormatHost(Span<byte> destination, bool bracketsForIPv6 = true)
    {
        if (!IsIPv6)
        {
            uint v = (uint)_lo;
            int n = 0;
            for (int i = 3; i >= 0; i--)
            {
                ((v >> (8 * i)) & 0xFF).TryFormat(destination[n..], out int w);
                n += w;
                if (i > 0) destination[n++] = (byte)'.';
            }
            return n;
        }
        Span<byte> raw = stackalloc byte[16];
        WriteAddressBytes(raw);
        Span<char> text = stackalloc char[64];
        new IPAddress(raw).TryFormat(text, out int chars);
        int o = 0;
        if (bracketsForIPv6) destination[o++] = (byte)'[';
        o += Encoding.ASCII.GetBytes(text[..chars], destination[o..]);
        if (bracketsForIPv6) destination[o++] = (byte)']';
        return o;
    }

    /// <inheritdoc />
    public bool Equals(PeerAddress other) => _hi == other._hi && _lo == other._lo && IsIPv6 == other.IsIPv6
        && Port == other.Port && Protocol == other.Protocol && ConnectionId == other.ConnectionId;

    /// <summary>Equal address, port and protocol, whatever connection each is bound to.</summary>
    public bool SameEndPoint(PeerAddress other) => _hi == other._hi && _lo == other._lo && IsIPv6 == other.IsIPv6
        && Port == other.Port && Protocol == other.Protocol;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PeerAddress p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_hi, _lo, Port, Protocol, ConnectionId);

    /// <summary>Equality.</summary>
    public static bool operator ==(PeerAddress left, PeerAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PeerAddress left, PeerAddress right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[48];
        int n = FormatHost(b);
        return $"{Protocol.ToString().ToUpperInvariant()}:{Encoding.ASCII.GetString(b[..n])}:{Port}" + (ConnectionId != 0 ? $"#{ConnectionId}" : "");
    }
}
