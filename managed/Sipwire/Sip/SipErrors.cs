// The one switch from a rejection reason to the SIP response a UAS sends for it.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>Maps a <see cref="SipParseError"/> to the status code and reason phrase of the response.</summary>
public static class SipErrors
{
    /// <summary>
    /// The status code a UAS answers a request with when it is rejected for <paramref name="error"/>.
    /// A response that fails to parse is dropped instead (RFC 3261 §18.1.2: no reply to a response).
    /// </summary>
    public static int ToStatusCode(SipParseError error) => error switch
    {
        SipParseError.None => 200,
        // RFC 3261 §21.5.14: 513 for a message the server will not process because of its size.
        SipParseError.MessageTooLarge or SipParseError.LineTooLong or SipParseError.TooManyHeaders => 513,
        // RFC 3261 §21.5.20 / §8.2.2.1 note: 505 when the SIP-Version is not supported.
        SipParseError.UnsupportedVersion => 505,
        SipParseError.UnsupportedUriScheme => 416,
        SipParseError.BadExtension => 420,
        SipParseError.UnsupportedMediaType => 415,
        SipParseError.TooManyHops => 483,
        SipParseError.NotAcceptable => 406,
        _ => 400,
    };

    /// <summary>
    /// The reason phrase for the response; for 400 it names the problem (RFC 3261 §21.4.1 lets the
    /// phrase carry the detail). Static strings: nothing is allocated.
    /// </summary>
    public static string ReasonPhrase(SipParseError error) => error switch
    {
        SipParseError.None => "OK",
        SipParseError.MessageTooLarge => "Message Too Large",
        SipParseError.LineTooLong => "Message Too Large (header line too long)",
        SipParseError.TooManyHeaders => "Message Too Large (too many header fields)",
        SipParseError.BadStartLine => "Bad Request - Malformed Start Line",
        SipParseError.BadMethod => "Bad Request - Malformed Method",
        SipParseError.BadRequestUri => "Bad Request - Malformed Request-URI",
        SipParseError.RequestUriHeaders => "Bad Request - Headers Not Allowed In Request-URI",
        SipParseError.BadVersion => "Bad Request - Malformed SIP-Version",
        SipParseError.UnsupportedVersion => "Version Not Supported",
        SipParseError.BadStatusCode => "Bad Request - Malformed Status-Code",
        SipParseError.BadReasonPhrase => "Bad Request - Malformed Reason-Phrase",
        SipParseError.BadHeaderName => "Bad Request - Malformed Header Field Name",
        SipParseError.BadHeaderValue => "Bad Request - Control Character In Header Field",
        SipParseError.HeadersNotTerminated => "Bad Request - Header Section Not Terminated",
        SipParseError.BadVia => "Bad Request - Malformed Via",
        SipParseError.BadFrom => "Bad Request - Malformed From",
        SipParseError.BadTo => "Bad Request - Malformed To",
        SipParseError.BadCallId => "Bad Request - Malformed Call-ID",
        SipParseError.BadCSeq => "Bad Request - Malformed CSeq",
        SipParseError.BadMaxForwards => "Bad Request - Malformed Max-Forwards",
        SipParseError.BadContentLength => "Bad Request - Malformed Content-Length",
        SipParseError.BadContact => "Bad Request - Malformed Contact",
        SipParseError.BadRoute => "Bad Request - Malformed Route",
        SipParseError.BadDate => "Bad Request - Malformed Date",
        SipParseError.BadContentType => "Bad Request - Malformed Content-Type",
        SipParseError.DuplicateHeader => "Bad Request - Duplicate Single-Value Header Field",
        SipParseError.DuplicateContentLength => "Bad Request - Multiple Content-Length",
        SipParseError.MissingVia => "Bad Request - Missing Via",
        SipParseError.MissingFrom => "Bad Request - Missing From",
        SipParseError.MissingTo => "Bad Request - Missing To",
        SipParseError.MissingCallId => "Bad Request - Missing Call-ID",
        SipParseError.MissingCSeq => "Bad Request - Missing CSeq",
        SipParseError.CSeqMethodMismatch => "Bad Request - CSeq Method Mismatch",
        SipParseError.ContentLengthExceedsMessage => "Bad Request - Content-Length Exceeds Message",
        SipParseError.MissingContentLength => "Bad Request - Missing Content-Length",
        SipParseError.UnsupportedUriScheme => "Unsupported URI Scheme",
        SipParseError.BadExtension => "Bad Extension",
        SipParseError.UnsupportedMediaType => "Unsupported Media Type",
        SipParseError.TooManyHops => "Too Many Hops",
        SipParseError.NotAcceptable => "Not Acceptable",
        SipParseError.BadAddressOfRecord => "Bad Request - To Is Not A SIP Address-of-Record",
        _ => "Bad Request",
    };

    /// <summary>
    /// True when a stream transport must close the connection after this error because the framing
    /// can no longer be trusted (RFC 4475 §3.3.9; RFC 3261 §18.3).
    /// </summary>
    public static bool BreaksFraming(SipParseError error) => error is SipParseError.DuplicateContentLength
        or SipParseError.BadContentLength or SipParseError.MissingContentLength or SipParseError.MessageTooLarge
        or SipParseError.LineTooLong or SipParseError.TooManyHeaders or SipParseError.HeadersNotTerminated;
}
