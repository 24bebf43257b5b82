// The one reason enum of the SIP message layer; SipErrors maps each value to the response a UAS sends.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>
/// Why a message is rejected. Values are stable (they cross the C ABI as int32). Parser reasons come
/// first; the application-level reasons at the end come from <see cref="SipRequestChecks"/>.
/// </summary>
public enum SipParseError
{
    /// <summary>No error.</summary>
    None = 0,

    // Limits (RFC 3261 §21.5.14 513 Message Too Large).

    /// <summary>The message is longer than <see cref="SipParserOptions.MaxMessageSize"/>.</summary>
    MessageTooLarge = 1,
    /// <summary>A start line or header field (with its folded lines) is longer than <see cref="SipParserOptions.MaxLineLength"/>.</summary>
    LineTooLong = 2,
    /// <summary>More header fields than <see cref="SipParserOptions.MaxHeaderCount"/>.</summary>
    TooManyHeaders = 3,

    // Start line (RFC 3261 §7.1, §7.2).

    /// <summary>The start line is neither a Request-Line nor a Status-Line.</summary>
    BadStartLine = 10,
    /// <summary>The method is not a token.</summary>
    BadMethod = 11,
    /// <summary>The Request-URI is malformed (including &lt;&gt; around it or LWS inside it).</summary>
    BadRequestUri = 12,
    /// <summary>The Request-URI carries a headers component, which §19.1.1 does not allow there.</summary>
    RequestUriHeaders = 13,
    /// <summary>The SIP-Version is not of the form SIP/x.y.</summary>
    BadVersion = 14,
    /// <summary>The SIP-Version is well formed but not 2.0 (505).</summary>
    UnsupportedVersion = 15,
    /// <summary>The Status-Code is not three digits.</summary>
    BadStatusCode = 16,
    /// <summary>The Reason-Phrase holds a control character.</summary>
    BadReasonPhrase = 17,

    // Header framing (RFC 3261 §7.3).

    /// <summary>A header field name is not a token or the colon is missing.</summary>
    BadHeaderName = 20,
    /// <summary>A header line holds a bare CR or another control character that may not appear there.</summary>
    BadHeaderValue = 21,
    /// <summary>A datagram ended before the empty line that closes the header section.</summary>
    HeadersNotTerminated = 22,

    // Single headers (RFC 3261 §20, §25.1).

    /// <summary>A Via header field value is malformed.</summary>
    BadVia = 30,
    /// <summary>The From header field value is malformed.</summary>
    BadFrom = 31,
    /// <summary>The To header field value is malformed.</summary>
    BadTo = 32,
    /// <summary>The Call-ID is not word [@ word].</summary>
    BadCallId = 33,
    /// <summary>The CSeq is malformed or its number exceeds 2^32-1.</summary>
    BadCSeq = 34,
    /// <summary>Max-Forwards is not an integer 0-255.</summary>
    BadMaxForwards = 35,
    /// <summary>Content-Length is not a non-negative integer.</summary>
    BadContentLength = 36,
    /// <summary>A Contact header field value is malformed (including an unbracketed URI with ',', ';' or '?').</summary>
    BadContact = 37,
    /// <summary>A Route or Record-Route header field value is malformed.</summary>
    BadRoute = 38,
    /// <summary>The Date header field is not an RFC 1123 date in GMT (§20.17).</summary>
    BadDate = 39,
    /// <summary>A Content-Type header field value is malformed.</summary>
    BadContentType = 40,

    // Whole-message rules (RFC 3261 §8.1.1, §8.2.2, §18.3, §20).

    /// <summary>A header that may appear once appears more than once (§7.3.1, RFC 4475 §3.3.8).</summary>
    DuplicateHeader = 50,
    /// <summary>Content-Length appears more than once (RFC 4475 §3.3.9); a stream must be closed.</summary>
    DuplicateContentLength = 51,
    /// <summary>No Via header field.</summary>
    MissingVia = 52,
    /// <summary>No From header field.</summary>
    MissingFrom = 53,
    /// <summary>No To header field.</summary>
    MissingTo = 54,
    /// <summary>No Call-ID header field.</summary>
    MissingCallId = 55,
    /// <summary>No CSeq header field.</summary>
    MissingCSeq = 56,
    /// <summary>The CSeq method differs from the request method (§8.2.2 / RFC 4475 §3.1.2.17).</summary>
    CSeqMethodMismatch = 57,
    /// <summary>Content-Length is larger than the octets the datagram carries (RFC 4475 §3.1.2.2).</summary>
    ContentLengthExceedsMessage = 58,
    /// <summary>A message on a stream has no Content-Length (§18.3 makes it mandatory there).</summary>
    MissingContentLength = 59,

    // Application-level checks a UAS or proxy applies to a well-formed request (SipRequestChecks).

    /// <summary>The Request-URI scheme is not supported (416, §8.2.2.1).</summary>
    UnsupportedUriScheme = 70,
    /// <summary>Require or Proxy-Require names an option tag that is not supported (420, §8.2.2.3).</summary>
    BadExtension = 71,
    /// <summary>The body's Content-Type is not supported (415, §8.2.3).</summary>
    UnsupportedMediaType = 72,
    /// <summary>Max-Forwards reached zero at a proxy (483, §16.3).</summary>
    TooManyHops = 73,
    /// <summary>The request's Accept excludes every type the UAS can answer with (406, RFC 4475 §3.3.15).</summary>
    NotAcceptable = 74,
    /// <summary>The To header of a REGISTER is not a SIP or SIPS URI (400, RFC 4475 §3.3.4).</summary>
    BadAddressOfRecord = 75,
}
