// A view of one Via header value over the message bytes (RFC 3261 §20.42, RFC 3581, RFC 5118).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>One via-parm, read without copying. Absent parts are empty spans (check the Has* members).</summary>
public readonly ref struct SipVia
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly ViaParts _parts;

    internal SipVia(ReadOnlySpan<byte> message, ViaParts parts)
    {
        _message = message;
        _parts = parts;
    }

    /// <summary>True when the message had this Via.</summary>
    public bool IsPresent => _parts.Value.IsPresent;

    /// <summary>The whole value as received.</summary>
    public ReadOnlySpan<byte> Value => _parts.Value.Slice(_message);

    /// <summary>Protocol name, normally "SIP".</summary>
    public ReadOnlySpan<byte> ProtocolName => _parts.ProtocolName.Slice(_message);

    /// <summary>Protocol version, normally "2.0".</summary>
    public ReadOnlySpan<byte> ProtocolVersion => _parts.ProtocolVersion.Slice(_message);

    /// <summary>Transport token (UDP, TCP, TLS, SCTP, WS, ... compare case-insensitively).</summary>
    public ReadOnlySpan<byte> Transport => _parts.Transport.Slice(_message);

    /// <summary>sent-by host; an IPv6 reference keeps its brackets.</summary>
    public ReadOnlySpan<byte> Host => _parts.Host.Slice(_message);

    /// <summary>sent-by port, or -1 when absent (the transport default applies, §18.2.2).</summary>
    public int Port => _parts.Port;

    /// <summary>All parameters after the sent-by, as written (without the first ';').</summary>
    public ReadOnlySpan<byte> Parameters => _parts.Parameters.Slice(_message);

    /// <summary>True when a branch parameter is present (it may be empty of anything after the cookie).</summary>
    public bool HasBranch => _parts.Branch.IsPresent;

    /// <summary>The branch parameter value (§8.1.1.7).</summary>
    public ReadOnlySpan<byte> Branch => _parts.Branch.Slice(_message);

    /// <summary>True when the branch starts with the RFC 3261 magic cookie "z9hG4bK" (§17.2.3).</summary>
    public bool HasMagicCookie => Branch.StartsWith("z9hG4bK"u8);

    /// <summary>True when a received parameter is present.</summary>
    public bool HasReceived => _parts.Received.IsPresent;

    /// <summary>The received parameter (brackets kept when the sender wrote them, RFC 5118 §4.5).</summary>
    public ReadOnlySpan<byte> Received => _parts.Received.Slice(_message);

    /// <summary>True when an rport parameter is present (RFC 3581 §3).</summary>
    public bool HasRPort => _parts.RPort >= 0;

    /// <summary>The rport value: -1 absent, 0 present without a value, else the port.</summary>
    public int RPort => _parts.RPort;

    /// <summary>The maddr parameter, empty when absent.</summary>
    public ReadOnlySpan<byte> Maddr => _parts.Maddr.Slice(_message);

    /// <summary>The ttl parameter, -1 when absent.</summary>
    public int Ttl => _parts.Ttl;
}
