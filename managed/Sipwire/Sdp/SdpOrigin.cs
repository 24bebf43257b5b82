// o= origin (RFC 8866 §5.2).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;.</summary>
public sealed record SdpOrigin(string UserName, string SessionId, ulong SessionVersion, string NetType, string AddressType, string Address)
{
    /// <summary>Serializes as the value of an o= line.</summary>
    public override string ToString() => $"{UserName} {SessionId} {SessionVersion} {NetType} {AddressType} {Address}";
}
