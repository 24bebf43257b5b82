// One header field line of a parsed message: its kind and where its name and value are.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>A header field of a parsed message, as offsets into the message bytes.</summary>
/// <param name="Kind">The recognised header, or <see cref="SipHeaderKind.Unknown"/>.</param>
/// <param name="Name">The field name as received (compact or long, any case).</param>
/// <param name="Value">The value with surrounding LWS trimmed; folded lines stay inside as CR LF WS.</param>
public readonly record struct SipHeaderEntry(SipHeaderKind Kind, ByteRange Name, ByteRange Value);
