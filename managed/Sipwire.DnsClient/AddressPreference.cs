// Which address families a host name resolves to, and in which order they are tried.
// SPDX-License-Identifier: MIT

namespace Sipwire.DnsClient;

/// <summary>
/// Order of A and AAAA results in <see cref="DnsClientResolver.QueryAddresses"/>. RFC 3263 §4.2 leaves
/// the order to the client; every address becomes a failover target, so putting a family the device
/// cannot reach first costs one Timer B/F (32 s) per address before the usable one is tried.
/// </summary>
public enum AddressPreference
{
    /// <summary>A records first, then AAAA (the default: most devices have IPv4 connectivity).</summary>
    IPv4First = 0,
    /// <summary>AAAA records first, then A.</summary>
    IPv6First = 1,
    /// <summary>A records only; no AAAA query is sent.</summary>
    IPv4Only = 2,
    /// <summary>AAAA records only; no A query is sent.</summary>
    IPv6Only = 3,
}
