// A DNS NAPTR record as RFC 3263 §4.1 uses it (RFC 3403).
// SPDX-License-Identifier: MIT

namespace Sipwire.Dns;

/// <summary>One NAPTR record: order, preference, flags ("s" for SRV), service ("SIP+D2U", ...) and replacement.</summary>
public sealed record NaptrRecord(int Order, int Preference, string Flags, string Service, string Replacement);
