// A view of one name-addr / addr-spec header value over the message bytes (From, To, Contact, ...).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>One name-addr or addr-spec value with its parameters, read without copying (RFC 3261 §20.10, §20.20, §20.39).</summary>
public readonly ref struct SipNameAddress
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly NameAddrParts _parts;

    internal SipNameAddress(ReadOnlySpan<byte> message, NameAddrParts parts)
    {
        _message = message;
        _parts = parts;
    }

    /// <summary>True when the message had this value.</summary>
    public bool IsPresent => _parts.Value.IsPresent;

    /// <summary>Contact only: the value is "*" (§10.2.2).</summary>
    public bool IsStar => _parts.IsStar;

    /// <summary>The whole value as received.</summary>
    public ReadOnlySpan<byte> Value => _parts.Value.Slice(_message);

    /// <summary>The display name as written (a quoted-string keeps its quotes and escapes); empty when absent.</summary>
    public ReadOnlySpan<byte> DisplayName => _parts.DisplayName.Slice(_message);

    /// <summary>The URI (without &lt;&gt;).</summary>
    public ReadOnlySpan<byte> Uri => _parts.Uri.Slice(_message);

    /// <summary>Header parameters after the URI, as written (without the first ';').</summary>
    public ReadOnlySpan<byte> Parameters => _parts.Parameters.Slice(_message);

    /// <summary>True when a tag parameter is present (§19.3).</summary>
    public bool HasTag => _parts.Tag.IsPresent;

    /// <summary>The tag parameter, empty when absent.</summary>
    public ReadOnlySpan<byte> Tag => _parts.Tag.Slice(_message);

    /// <summary>Contact ;expires= in seconds: -1 absent; values beyond 2^32-1 read as <see cref="long.MaxValue"/>.</summary>
    public long Expires => _parts.Expires;

    /// <summary>Contact ;q= in thousandths (0-1000), -1 when absent.</summary>
    public int QMillis => _parts.QMillis;
}
