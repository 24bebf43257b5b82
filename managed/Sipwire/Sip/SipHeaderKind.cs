// The header fields the stack knows by name, with their compact forms.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>A header field the stack recognises; <see cref="Unknown"/> for every other name (kept intact).</summary>
public enum SipHeaderKind
{
    /// <summary>A header field the stack does not know; its name and value are kept as received.</summary>
    Unknown = 0,
    /// <summary>Accept (RFC 3261 §20.1).</summary>
    Accept = 1,
    /// <summary>Accept-Encoding (RFC 3261 §20.2).</summary>
    AcceptEncoding = 2,
    /// <summary>Accept-Language (RFC 3261 §20.3).</summary>
    AcceptLanguage = 3,
    /// <summary>Alert-Info (RFC 3261 §20.4).</summary>
    AlertInfo = 4,
    /// <summary>Allow (RFC 3261 §20.5).</summary>
    Allow = 5,
    /// <summary>Authentication-Info (RFC 3261 §20.6).</summary>
    AuthenticationInfo = 6,
    /// <summary>Authorization (RFC 3261 §20.7).</summary>
    Authorization = 7,
    /// <summary>Call-ID (RFC 3261 §20.8, compact form 'i').</summary>
    CallId = 8,
    /// <summary>Call-Info (RFC 3261 §20.9).</summary>
    CallInfo = 9,
    /// <summary>Contact (RFC 3261 §20.10, compact form 'm').</summary>
    Contact = 10,
    /// <summary>Content-Disposition (RFC 3261 §20.11).</summary>
    ContentDisposition = 11,
    /// <summary>Content-Encoding (RFC 3261 §20.12, compact form 'e').</summary>
    ContentEncoding = 12,
    /// <summary>Content-Language (RFC 3261 §20.13).</summary>
    ContentLanguage = 13,
    /// <summary>Content-Length (RFC 3261 §20.14, compact form 'l').</summary>
    ContentLength = 14,
    /// <summary>Content-Type (RFC 3261 §20.15, compact form 'c').</summary>
    ContentType = 15,
    /// <summary>CSeq (RFC 3261 §20.16).</summary>
    CSeq = 16,
    /// <summary>Date (RFC 3261 §20.17).</summary>
    Date = 17,
    /// <summary>Error-Info (RFC 3261 §20.18).</summary>
    ErrorInfo = 18,
    /// <summary>Expires (RFC 3261 §20.19).</summary>
    Expires = 19,
    /// <summary>From (RFC 3261 §20.20, compact form 'f').</summary>
    From = 20,
    /// <summary>In-Reply-To (RFC 3261 §20.21).</summary>
    InReplyTo = 21,
    /// <summary>Max-Forwards (RFC 3261 §20.22).</summary>
    MaxForwards = 22,
    /// <summary>Min-Expires (RFC 3261 §20.23).</summary>
    MinExpires = 23,
    /// <summary>MIME-Version (RFC 3261 §20.24).</summary>
    MimeVersion = 24,
    /// <summary>Organization (RFC 3261 §20.25).</summary>
    Organization = 25,
    /// <summary>Priority (RFC 3261 §20.26).</summary>
    Priority = 26,
    /// <summary>Proxy-Authenticate (RFC 3261 §20.27).</summary>
    ProxyAuthenticate = 27,
    /// <summary>Proxy-Authorization (RFC 3261 §20.28).</summary>
    ProxyAuthorization = 28,
    /// <summary>Proxy-Require (RFC 3261 §20.29).</summary>
    ProxyRequire = 29,
    /// <summary>Record-Route (RFC 3261 §20.30).</summary>
    RecordRoute = 30,
    /// <summary>Reply-To (RFC 3261 §20.31).</summary>
    ReplyTo = 31,
    /// <summary>Require (RFC 3261 §20.32).</summary>
    Require = 32,
    /// <summary>Retry-After (RFC 3261 §20.33).</summary>
    RetryAfter = 33,
    /// <summary>Route (RFC 3261 §20.34).</summary>
    Route = 34,
    /// <summary>Server (RFC 3261 §20.35).</summary>
    Server = 35,
    /// <summary>Subject (RFC 3261 §20.36, compact form 's').</summary>
    Subject = 36,
    /// <summary>Supported (RFC 3261 §20.37, compact form 'k').</summary>
    Supported = 37,
    /// <summary>Timestamp (RFC 3261 §20.38).</summary>
    Timestamp = 38,
    /// <summary>To (RFC 3261 §20.39, compact form 't').</summary>
    To = 39,
    /// <summary>Unsupported (RFC 3261 §20.40).</summary>
    Unsupported = 40,
    /// <summary>User-Agent (RFC 3261 §20.41).</summary>
    UserAgent = 41,
    /// <summary>Via (RFC 3261 §20.42, compact form 'v').</summary>
    Via = 42,
    /// <summary>Warning (RFC 3261 §20.43).</summary>
    Warning = 43,
    /// <summary>WWW-Authenticate (RFC 3261 §20.44).</summary>
    WwwAuthenticate = 44,
    /// <summary>Event (RFC 6665 §8.2.1, compact form 'o').</summary>
    Event = 45,
    /// <summary>Allow-Events (RFC 6665 §8.2.2, compact form 'u').</summary>
    AllowEvents = 46,
    /// <summary>Subscription-State (RFC 6665 §8.2.3).</summary>
    SubscriptionState = 47,
    /// <summary>Refer-To (RFC 3515 §2.1, compact form 'r').</summary>
    ReferTo = 48,
    /// <summary>Referred-By (RFC 3892 §3, compact form 'b').</summary>
    ReferredBy = 49,
    /// <summary>Replaces (RFC 3891 §6.1).</summary>
    Replaces = 50,
    /// <summary>RSeq (RFC 3262 §7.1).</summary>
    RSeq = 51,
    /// <summary>RAck (RFC 3262 §7.2).</summary>
    RAck = 52,
    /// <summary>Session-Expires (RFC 4028 §4, compact form 'x').</summary>
    SessionExpires = 53,
    /// <summary>Min-SE (RFC 4028 §5).</summary>
    MinSE = 54,
    /// <summary>Path (RFC 3327 §4).</summary>
    Path = 55,
    /// <summary>Service-Route (RFC 3608 §5).</summary>
    ServiceRoute = 56,
    /// <summary>P-Asserted-Identity (RFC 3325 §9.1).</summary>
    PAssertedIdentity = 57,
    /// <summary>P-Preferred-Identity (RFC 3325 §9.2).</summary>
    PPreferredIdentity = 58,
    /// <summary>Privacy (RFC 3323 §4.2).</summary>
    Privacy = 59,
    /// <summary>Reason (RFC 3326 §2).</summary>
    Reason = 60,
    /// <summary>SIP-ETag (RFC 3903 §11.3.1).</summary>
    SipETag = 61,
    /// <summary>SIP-If-Match (RFC 3903 §11.3.2).</summary>
    SipIfMatch = 62,
    /// <summary>Accept-Contact (RFC 3841 §9.2, compact form 'a').</summary>
    AcceptContact = 63,
    /// <summary>Reject-Contact (RFC 3841 §9.2, compact form 'j').</summary>
    RejectContact = 64,
    /// <summary>Request-Disposition (RFC 3841 §9.1, compact form 'd').</summary>
    RequestDisposition = 65,
    /// <summary>Identity (RFC 8224 §4, compact form 'y').</summary>
    Identity = 66,
    /// <summary>Refer-Sub (RFC 4488 §4).</summary>
    ReferSub = 67,
    /// <summary>Flow-Timer (RFC 5626 §11).</summary>
    Flowtimer = 68,
}
