// One ;name[=value] parameter or ?name=value header of a URI, as written (escapes kept).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>A URI parameter or header component; <see cref="Value"/> is null for a flag parameter such as ;lr.</summary>
public sealed record SipUriParameter(string Name, string? Value);
