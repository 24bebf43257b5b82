// SDES item types (RFC 3550 §6.5).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtcp;

/// <summary>SDES item type codes (RFC 3550 §6.5, §12.2).</summary>
public static class RtcpSdesItem
{
    /// <summary>End of the item list.</summary>
    public const byte End = 0;

    /// <summary>Canonical end-point identifier (mandatory in every compound packet, §6.1).</summary>
    public const byte Cname = 1;

    /// <summary>User name.</summary>
    public const byte Name = 2;

    /// <summary>Application or tool name.</summary>
    public const byte Tool = 6;
}
