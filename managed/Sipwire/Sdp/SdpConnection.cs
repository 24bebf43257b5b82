// c= connection data (RFC 8866 §5.7), IPv4 or IPv6 (RFC 5118 §4.6).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;.</summary>
/// <param name="NetType">Normally "IN".</param>
/// <param name="AddressType">"IP4" or "IP6" (others kept as given).</param>
/// <param name="Address">The address with any /ttl/count suffix as written.</param>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    /// <summary>Serializes as the value of a c= line.</summary>
    public override string ToString() => $"{NetType} {AddressType} {Address}";
}
