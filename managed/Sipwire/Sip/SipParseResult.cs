// Result of one parse attempt: status, the reason when invalid, where, and how much was consumed.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>The result of a <see cref="SipParser"/> call. Never thrown: malformed input is data.</summary>
/// <param name="Status">Done, NeedMoreData or Invalid.</param>
/// <param name="Error">Why the message is invalid (<see cref="SipParseError.None"/> otherwise).</param>
/// <param name="Position">Byte offset (from the start of the input) where the problem was found; -1 when not invalid.</param>
/// <param name="Consumed">Bytes that make up the message (stream framing: advance the buffer by this much).</param>
public readonly record struct SipParseResult(SipParseStatus Status, SipParseError Error, int Position, int Consumed)
{
    /// <summary>A successful parse of <paramref name="consumed"/> bytes.</summary>
    public static SipParseResult Done(int consumed) => new(SipParseStatus.Done, SipParseError.None, -1, consumed);

    /// <summary>
    /// An incomplete message on a stream. <paramref name="consumed"/> counts leading CRLF keep-alives
    /// (RFC 3261 §7.5, RFC 5626 §3.5.1) the caller may drop; the partial message itself is not consumed.
    /// </summary>
    public static SipParseResult NeedMoreData(int consumed = 0) => new(SipParseStatus.NeedMoreData, SipParseError.None, -1, consumed);

    /// <summary>A malformed message.</summary>
    public static SipParseResult Invalid(SipParseError error, int position) => new(SipParseStatus.Invalid, error, position, 0);

    /// <summary>True when <see cref="Status"/> is <see cref="SipParseStatus.Done"/>.</summary>
    public bool IsDone => Status == SipParseStatus.Done;
}
