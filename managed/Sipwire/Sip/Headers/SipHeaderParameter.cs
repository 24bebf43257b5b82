// One ;name[=value] header parameter (generic-param, RFC 3261 §25.1), with quoted values unescaped.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip.Headers;

/// <summary>A header parameter. <see cref="Value"/> is null for a flag (";lr"), unquoted and unescaped for a quoted-string.</summary>
/// <param name="Name">Parameter name as written (compare case-insensitively, §7.3.1).</param>
/// <param name="Value">Value, or null when the parameter has none.</param>
/// <param name="Quoted">True when the value was a quoted-string.</param>
public sealed record SipHeaderParameter(string Name, string? Value, bool Quoted = false);
