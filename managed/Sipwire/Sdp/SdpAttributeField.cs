// a= attribute (RFC 8866 §5.13): a property name with an optional value.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>a=&lt;name&gt;[:&lt;value&gt;]; <see cref="Value"/> is null for a property attribute.</summary>
public sealed record SdpAttributeField(string Name, string? Value)
{
    /// <summary>Serializes as the value of an a= line.</summary>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
