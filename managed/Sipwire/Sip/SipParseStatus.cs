// The three outcomes of a parse attempt, in the shape of Kestrel's HTTP/1.1 parser.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>Outcome of <see cref="SipParser"/>.</summary>
public enum SipParseStatus
{
    /// <summary>A whole message was parsed; <see cref="SipParseResult.Consumed"/> says how many bytes it took.</summary>
    Done = 0,

    /// <summary>Stream framing only: the buffer holds a valid but incomplete message. Nothing was consumed.</summary>
    NeedMoreData = 1,

    /// <summary>The bytes are not a valid SIP message; <see cref="SipParseResult.Error"/> says why.</summary>
    Invalid = 2,
}
