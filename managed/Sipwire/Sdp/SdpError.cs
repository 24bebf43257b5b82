// Why an SDP body was rejected (RFC 8866 §5 / §9 grammar).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>The reason an SDP body does not parse; a UAS answers 400 or 488 depending on the request.</summary>
public enum SdpError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>A line is not "&lt;type&gt;=&lt;value&gt;" with a single lower-case letter type.</summary>
    BadLine = 1,
    /// <summary>The first line is not "v=0".</summary>
    BadVersion = 2,
    /// <summary>The o= line is malformed.</summary>
    BadOrigin = 3,
    /// <summary>A c= line is malformed or its address does not match its address type.</summary>
    BadConnection = 4,
    /// <summary>A t= line is malformed.</summary>
    BadTiming = 5,
    /// <summary>An m= line is malformed.</summary>
    BadMedia = 6,
    /// <summary>A required line (o=, s=, t=) is missing or a session-level line is out of order.</summary>
    MissingField = 7,
    /// <summary>A media section has no c= line and the session has none either (RFC 8866 §5.7).</summary>
    MissingConnection = 8,
    /// <summary>A b= line is malformed.</summary>
    BadBandwidth = 9,
    /// <summary>An attribute this parser checks (rtpmap, fmtp, ptime, crypto) is malformed.</summary>
    BadAttribute = 10,
    /// <summary>The body is larger than the limit.</summary>
    TooLarge = 11,
}
