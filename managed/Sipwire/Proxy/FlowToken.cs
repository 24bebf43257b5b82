// Flow tokens in the user part of the proxy's Path URI (RFC 5626 §5.2 style): the flow a REGISTER arrived on, HMAC-protected.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>
/// Encodes the transport, address, port and connection of a flow into a token that fits a SIP URI user part
/// (lowercase hex), with an HMAC-SHA256 over it so that nobody can make the proxy send to an address of their
/// choosing by forging a Route (RFC 5626 §5.2: "the proxy MUST ... detect tampering"). Stateless: nothing is kept
/// per registration, so it works alike in stateless and stateful mode.
/// </summary>
internal sealed class FlowToken
{
    /// <summary>Prefix that marks a flow token (a Route to this proxy with another user part is not ours).</summary>
    public const string Prefix = "ft-";

    private const int MacLength = 10;
    private readonly byte[] _key;

    public FlowToken(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <summary>The token for <paramref name="flow"/>: "ft-" and hex of protocol, address, port, connection and MAC.</summary>
    public string Encode(in PeerAddress flow)
    {
        Span<byte> raw = stackalloc byte[1 + 1 + 16 + 2 + 4 + MacLength];
        int n = Body(flow, raw);
        Mac(raw[..n], raw.Slice(n, MacLength));
        return Prefix + Convert.ToHexStringLower(raw[..(n + MacLength)]);
    }

    /// <summary>Decodes a token; false when it is not one of ours or was altered.</summary>
    public bool TryDecode(ReadOnlySpan<char> token, out PeerAddress flow)
    {
        flow = default;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> hex = token[Prefix.Length..];
        Span<byte> raw = stackalloc byte[1 + 1 + 16 + 2 + 4 + MacLength];
        if (hex.Length % 2 != 0 || hex.Length / 2 > raw.Length) return false;
        if (Convert.FromHexString(hex, raw, out _, out int written) != System.Buffers.OperationStatus.Done) return false;
        if (written < 2) return false;
        int addressLength = raw[1];
        if (addressLength is not (4 or 16)) return false;
        int n = 2 + addressLength + 2 + 4;
        if (written != n + MacLength) return false;
        Span<byte> expected = stackalloc byte[MacLength];
        Mac(raw[..n], expected);
        // Constant time: the comparison time tells nothing about how many leading bytes were right.
        if (!CryptographicOperations.FixedTimeEquals(expected, raw.Slice(n, MacLength))) return false;
        var protocol = (TransportProtocol)raw[0];
        if (protocol is not (TransportProtocol.Udp or TransportProtocol.Tcp or TransportProtocol.Tls)) return false;
        int port = BinaryPrimitives.ReadUInt16BigEndian(raw.Slice(2 + addressLength, 2));
        int connection = BinaryPrimitives.ReadInt32BigEndian(raw.Slice(4 + addressLength, 4));
        if (port == 0) return false;
        flow = PeerAddress.FromBytes(protocol, raw.Slice(2, addressLength), port, connection);
        return true;
    }

    private static int Body(in PeerAddress flow, Span<byte> raw)
    {
        raw[0] = (byte)flow.Protocol;
        int addressLength = flow.WriteAddressBytes(raw[2..]);
        raw[1] = (byte)addressLength;
        BinaryPrimitives.WriteUInt16BigEndian(raw.Slice(2 + addressLength, 2), (ushort)flow.Port);
        BinaryPrimitives.WriteInt32BigEndian(raw.Slice(4 + addressLength, 4), flow.ConnectionId);
        return 2 + addressLength + 2 + 4;
    }

    private void Mac(ReadOnlySpan<byte> data, Span<byte> into)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(_key, data, full);
        full[..into.Length].CopyTo(into);
    }
}
