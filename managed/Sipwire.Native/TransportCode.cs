// SPDX-License-Identifier: MIT
// SIP transport protocols as they cross the C ABI (RFC 3261 §18).

namespace Sipwire.Native;

/// <summary>A SIP transport protocol.</summary>
[CName("sw_transport")]
internal enum TransportCode
{
    /// <summary>UDP datagrams.</summary>
    [CName("SW_TRANSPORT_UDP")]
    Udp = 0,

    /// <summary>TCP byte stream.</summary>
    [CName("SW_TRANSPORT_TCP")]
    Tcp = 1,

    /// <summary>TLS over TCP (sips).</summary>
    [CName("SW_TRANSPORT_TLS")]
    Tls = 2,
}
