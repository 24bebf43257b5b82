// The transport protocols a SIP message can travel over (RFC 3261 §18).
// SPDX-License-Identifier: MIT

namespace Sipwire.Transport;

/// <summary>A SIP transport. UDP is unreliable; TCP and TLS are reliable streams (§17.1.1.2, §18).</summary>
public enum TransportProtocol
{
    /// <summary>UDP datagrams (unreliable: the transaction layer retransmits).</summary>
    Udp = 0,
    /// <summary>TCP byte stream (reliable, Content-Length framing §18.3).</summary>
    Tcp = 1,
    /// <summary>TLS over TCP (reliable; sips URIs, §26.2).</summary>
    Tls = 2,
}
