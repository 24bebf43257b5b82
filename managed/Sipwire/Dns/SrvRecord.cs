// A DNS SRV record (RFC 2782).
// SPDX-License-Identifier: MIT

namespace Sipwire.Dns;

/// <summary>One SRV record: priority (lower first), weight (share within a priority), port and target host.</summary>
public sealed record SrvRecord(int Priority, int Weight, int Port, string Target);
