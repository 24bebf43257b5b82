// Case-insensitive lookup of header field names, long and compact forms (RFC 3261 §7.3.1, §7.3.3).
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.Sip;

/// <summary>Maps header field names to <see cref="SipHeaderKind"/> and back.</summary>
public static class SipHeaderNames
{
    /// <summary>Classifies a header field name; field names are case-insensitive (§7.3.1).</summary>
    public static SipHeaderKind Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            // RFC 3261 §7.3.3 compact forms (plus those of the extensions listed in SipHeaderKind).
            return (name[0] | 0x20) switch
            {
                'i' => SipHeaderKind.CallId,
                'm' => SipHeaderKind.Contact,
                'e' => SipHeaderKind.ContentEncoding,
                'l' => SipHeaderKind.ContentLength,
                'c' => SipHeaderKind.ContentType,
                'f' => SipHeaderKind.From,
                's' => SipHeaderKind.Subject,
                'k' => SipHeaderKind.Supported,
                't' => SipHeaderKind.To,
                'v' => SipHeaderKind.Via,
                'o' => SipHeaderKind.Event,
                'u' => SipHeaderKind.AllowEvents,
                'r' => SipHeaderKind.ReferTo,
                'b' => SipHeaderKind.ReferredBy,
                'x' => SipHeaderKind.SessionExpires,
                'a' => SipHeaderKind.AcceptContact,
                'j' => SipHeaderKind.RejectContact,
                'd' => SipHeaderKind.RequestDisposition,
                'y' => SipHeaderKind.Identity,
                _ => SipHeaderKind.Unknown,
            };
        }
        switch (name.Length)
        {
            case 2:
                if (Ascii.EqualsIgnoreCase(name, "To"u8)) return SipHeaderKind.To;
                break;
            case 3:
                if (Ascii.EqualsIgnoreCase(name, "Via"u8)) return SipHeaderKind.Via;
                break;
            case 4:
                if (Ascii.EqualsIgnoreCase(name, "CSeq"u8)) return SipHeaderKind.CSeq;
                if (Ascii.EqualsIgnoreCase(name, "Date"u8)) return SipHeaderKind.Date;
                if (Ascii.EqualsIgnoreCase(name, "From"u8)) return SipHeaderKind.From;
                if (Ascii.EqualsIgnoreCase(name, "RSeq"u8)) return SipHeaderKind.RSeq;
                if (Ascii.EqualsIgnoreCase(name, "RAck"u8)) return SipHeaderKind.RAck;
                if (Ascii.EqualsIgnoreCase(name, "Path"u8)) return SipHeaderKind.Path;
                break;
            case 5:
                if (Ascii.EqualsIgnoreCase(name, "Allow"u8)) return SipHeaderKind.Allow;
                if (Ascii.EqualsIgnoreCase(name, "Route"u8)) return SipHeaderKind.Route;
                if (Ascii.EqualsIgnoreCase(name, "Event"u8)) return SipHeaderKind.Event;
                break;
            case 6:
                if (Ascii.EqualsIgnoreCase(name, "Accept"u8)) return SipHeaderKind.Accept;
                if (Ascii.EqualsIgnoreCase(name, "Server"u8)) return SipHeaderKind.Server;
                if (Ascii.EqualsIgnoreCase(name, "Min-SE"u8)) return SipHeaderKind.MinSE;
                if (Ascii.EqualsIgnoreCase(name, "Reason"u8)) return SipHeaderKind.Reason;
                break;
            case 7:
                if (Ascii.EqualsIgnoreCase(name, "Call-ID"u8)) return SipHeaderKind.CallId;
                if (Ascii.EqualsIgnoreCase(name, "Contact"u8)) return SipHeaderKind.Contact;
                if (Ascii.EqualsIgnoreCase(name, "Expires"u8)) return SipHeaderKind.Expires;
                if (Ascii.EqualsIgnoreCase(name, "Require"u8)) return SipHeaderKind.Require;
                if (Ascii.EqualsIgnoreCase(name, "Subject"u8)) return SipHeaderKind.Subject;
                if (Ascii.EqualsIgnoreCase(name, "Warning"u8)) return SipHeaderKind.Warning;
                if (Ascii.EqualsIgnoreCase(name, "Privacy"u8)) return SipHeaderKind.Privacy;
                break;
            case 8:
                if (Ascii.EqualsIgnoreCase(name, "Priority"u8)) return SipHeaderKind.Priority;
                if (Ascii.EqualsIgnoreCase(name, "Reply-To"u8)) return SipHeaderKind.ReplyTo;
                if (Ascii.EqualsIgnoreCase(name, "Refer-To"u8)) return SipHeaderKind.ReferTo;
                if (Ascii.EqualsIgnoreCase(name, "Replaces"u8)) return SipHeaderKind.Replaces;
                if (Ascii.EqualsIgnoreCase(name, "SIP-ETag"u8)) return SipHeaderKind.SipETag;
                if (Ascii.EqualsIgnoreCase(name, "Identity"u8)) return SipHeaderKind.Identity;
                break;
            case 9:
                if (Ascii.EqualsIgnoreCase(name, "Call-Info"u8)) return SipHeaderKind.CallInfo;
                if (Ascii.EqualsIgnoreCase(name, "Supported"u8)) return SipHeaderKind.Supported;
                if (Ascii.EqualsIgnoreCase(name, "Timestamp"u8)) return SipHeaderKind.Timestamp;
                if (Ascii.EqualsIgnoreCase(name, "Refer-Sub"u8)) return SipHeaderKind.ReferSub;
                break;
            case 10:
                if (Ascii.EqualsIgnoreCase(name, "Alert-Info"u8)) return SipHeaderKind.AlertInfo;
                if (Ascii.EqualsIgnoreCase(name, "Error-Info"u8)) return SipHeaderKind.ErrorInfo;
                if (Ascii.EqualsIgnoreCase(name, "User-Agent"u8)) return SipHeaderKind.UserAgent;
                if (Ascii.EqualsIgnoreCase(name, "Flow-Timer"u8)) return SipHeaderKind.Flowtimer;
                break;
            case 11:
                if (Ascii.EqualsIgnoreCase(name, "In-Reply-To"u8)) return SipHeaderKind.InReplyTo;
                if (Ascii.EqualsIgnoreCase(name, "Min-Expires"u8)) return SipHeaderKind.MinExpires;
                if (Ascii.EqualsIgnoreCase(name, "Retry-After"u8)) return SipHeaderKind.RetryAfter;
                if (Ascii.EqualsIgnoreCase(name, "Unsupported"u8)) return SipHeaderKind.Unsupported;
                if (Ascii.EqualsIgnoreCase(name, "Referred-By"u8)) return SipHeaderKind.ReferredBy;
                break;
            case 12:
                if (Ascii.EqualsIgnoreCase(name, "Content-Type"u8)) return SipHeaderKind.ContentType;
                if (Ascii.EqualsIgnoreCase(name, "Max-Forwards"u8)) return SipHeaderKind.MaxForwards;
                if (Ascii.EqualsIgnoreCase(name, "MIME-Version"u8)) return SipHeaderKind.MimeVersion;
                if (Ascii.EqualsIgnoreCase(name, "Organization"u8)) return SipHeaderKind.Organization;
                if (Ascii.EqualsIgnoreCase(name, "Record-Route"u8)) return SipHeaderKind.RecordRoute;
                if (Ascii.EqualsIgnoreCase(name, "Allow-Events"u8)) return SipHeaderKind.AllowEvents;
                if (Ascii.EqualsIgnoreCase(name, "SIP-If-Match"u8)) return SipHeaderKind.SipIfMatch;
                break;
            case 13:
                if (Ascii.EqualsIgnoreCase(name, "Authorization"u8)) return SipHeaderKind.Authorization;
                if (Ascii.EqualsIgnoreCase(name, "Proxy-Require"u8)) return SipHeaderKind.ProxyRequire;
                if (Ascii.EqualsIgnoreCase(name, "Service-Route"u8)) return SipHeaderKind.ServiceRoute;
                break;
            case 14:
                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8)) return SipHeaderKind.ContentLength;
                if (Ascii.EqualsIgnoreCase(name, "Accept-Contact"u8)) return SipHeaderKind.AcceptContact;
                if (Ascii.EqualsIgnoreCase(name, "Reject-Contact"u8)) return SipHeaderKind.RejectContact;
                break;
            case 15:
                if (Ascii.EqualsIgnoreCase(name, "Accept-Encoding"u8)) return SipHeaderKind.AcceptEncoding;
                if (Ascii.EqualsIgnoreCase(name, "Accept-Language"u8)) return SipHeaderKind.AcceptLanguage;
                if (Ascii.EqualsIgnoreCase(name, "Session-Expires"u8)) return SipHeaderKind.SessionExpires;
                break;
            case 16:
                if (Ascii.EqualsIgnoreCase(name, "Content-Encoding"u8)) return SipHeaderKind.ContentEncoding;
                if (Ascii.EqualsIgnoreCase(name, "Content-Language"u8)) return SipHeaderKind.ContentLanguage;
                if (Ascii.EqualsIgnoreCase(name, "WWW-Authenticate"u8)) return SipHeaderKind.WwwAuthenticate;
                break;
            case 18:
                if (Ascii.EqualsIgnoreCase(name, "Proxy-Authenticate"u8)) return SipHeaderKind.ProxyAuthenticate;
                if (Ascii.EqualsIgnoreCase(name, "Subscription-State"u8)) return SipHeaderKind.SubscriptionState;
                break;
            case 19:
                if (Ascii.EqualsIgnoreCase(name, "Authentication-Info"u8)) return SipHeaderKind.AuthenticationInfo;
                if (Ascii.EqualsIgnoreCase(name, "Content-Disposition"u8)) return SipHeaderKind.ContentDisposition;
                if (Ascii.EqualsIgnoreCase(name, "Proxy-Authorization"u8)) return SipHeaderKind.ProxyAuthorization;
                if (Ascii.EqualsIgnoreCase(name, "P-Asserted-Identity"u8)) return SipHeaderKind.PAssertedIdentity;
                if (Ascii.EqualsIgnoreCase(name, "Request-Disposition"u8)) return SipHeaderKind.RequestDisposition;
                break;
            case 20:
                if (Ascii.EqualsIgnoreCase(name, "P-Preferred-Identity"u8)) return SipHeaderKind.PPreferredIdentity;
                break;
        }
        return SipHeaderKind.Unknown;
    }

    /// <summary>The canonical long name of a known header field; empty for <see cref="SipHeaderKind.Unknown"/>.</summary>
    public static ReadOnlySpan<byte> GetName(SipHeaderKind kind) => kind switch
    {
        SipHeaderKind.Accept => "Accept"u8,
        SipHeaderKind.AcceptEncoding => "Accept-Encoding"u8,
        SipHeaderKind.AcceptLanguage => "Accept-Language"u8,
        SipHeaderKind.AlertInfo => "Alert-Info"u8,
        SipHeaderKind.Allow => "Allow"u8,
        SipHeaderKind.AuthenticationInfo => "Authentication-Info"u8,
        SipHeaderKind.Authorization => "Authorization"u8,
        SipHeaderKind.CallId => "Call-ID"u8,
        SipHeaderKind.CallInfo => "Call-Info"u8,
        SipHeaderKind.Contact => "Contact"u8,
        SipHeaderKind.ContentDisposition => "Content-Disposition"u8,
        SipHeaderKind.ContentEncoding => "Content-Encoding"u8,
        SipHeaderKind.ContentLanguage => "Content-Language"u8,
        SipHeaderKind.ContentLength => "Content-Length"u8,
        SipHeaderKind.ContentType => "Content-Type"u8,
        SipHeaderKind.CSeq => "CSeq"u8,
        SipHeaderKind.Date => "Date"u8,
        SipHeaderKind.ErrorInfo => "Error-Info"u8,
        SipHeaderKind.Expires => "Expires"u8,
        SipHeaderKind.From => "From"u8,
        SipHeaderKind.InReplyTo => "In-Reply-To"u8,
        SipHeaderKind.MaxForwards => "Max-Forwards"u8,
        SipHeaderKind.MinExpires => "Min-Expires"u8,
        SipHeaderKind.MimeVersion => "MIME-Version"u8,
        SipHeaderKind.Organization => "Organization"u8,
        SipHeaderKind.Priority => "Priority"u8,
        SipHeaderKind.ProxyAuthenticate => "Proxy-Authenticate"u8,
        SipHeaderKind.ProxyAuthorization => "Proxy-Authorization"u8,
        SipHeaderKind.ProxyRequire => "Proxy-Require"u8,
        SipHeaderKind.RecordRoute => "Record-Route"u8,
        SipHeaderKind.ReplyTo => "Reply-To"u8,
        SipHeaderKind.Require => "Require"u8,
        SipHeaderKind.RetryAfter => "Retry-After"u8,
        SipHeaderKind.Route => "Route"u8,
        SipHeaderKind.Server => "Server"u8,
        SipHeaderKind.Subject => "Subject"u8,
        SipHeaderKind.Supported => "Supported"u8,
        SipHeaderKind.Timestamp => "Timestamp"u8,
        SipHeaderKind.To => "To"u8,
        SipHeaderKind.Unsupported => "Unsupported"u8,
        SipHeaderKind.UserAgent => "User-Agent"u8,
        SipHeaderKind.Via => "Via"u8,
        SipHeaderKind.Warning => "Warning"u8,
        SipHeaderKind.WwwAuthenticate => "WWW-Authenticate"u8,
        SipHeaderKind.Event => "Event"u8,
        SipHeaderKind.AllowEvents => "Allow-Events"u8,
        SipHeaderKind.SubscriptionState => "Subscription-State"u8,
        SipHeaderKind.ReferTo => "Refer-To"u8,
        SipHeaderKind.ReferredBy => "Referred-By"u8,
        SipHeaderKind.Replaces => "Replaces"u8,
        SipHeaderKind.RSeq => "RSeq"u8,
        SipHeaderKind.RAck => "RAck"u8,
        SipHeaderKind.SessionExpires => "Session-Expires"u8,
        SipHeaderKind.MinSE => "Min-SE"u8,
        SipHeaderKind.Path => "Path"u8,
        SipHeaderKind.ServiceRoute => "Service-Route"u8,
        SipHeaderKind.PAssertedIdentity => "P-Asserted-Identity"u8,
        SipHeaderKind.PPreferredIdentity => "P-Preferred-Identity"u8,
        SipHeaderKind.Privacy => "Privacy"u8,
        SipHeaderKind.Reason => "Reason"u8,
        SipHeaderKind.SipETag => "SIP-ETag"u8,
        SipHeaderKind.SipIfMatch => "SIP-If-Match"u8,
        SipHeaderKind.AcceptContact => "Accept-Contact"u8,
        SipHeaderKind.RejectContact => "Reject-Contact"u8,
        SipHeaderKind.RequestDisposition => "Request-Disposition"u8,
        SipHeaderKind.Identity => "Identity"u8,
        SipHeaderKind.ReferSub => "Refer-Sub"u8,
        SipHeaderKind.Flowtimer => "Flow-Timer"u8,
        _ => default,
    };

    /// <summary>The canonical long name of a known header field as a string.</summary>
    public static string GetNameString(SipHeaderKind kind) => kind switch
    {
        SipHeaderKind.Accept => "Accept",
        SipHeaderKind.AcceptEncoding => "Accept-Encoding",
        SipHeaderKind.AcceptLanguage => "Accept-Language",
        SipHeaderKind.AlertInfo => "Alert-Info",
        SipHeaderKind.Allow => "Allow",
        SipHeaderKind.AuthenticationInfo => "Authentication-Info",
        SipHeaderKind.Authorization => "Authorization",
        SipHeaderKind.CallId => "Call-ID",
        SipHeaderKind.CallInfo => "Call-Info",
        SipHeaderKind.Contact => "Contact",
        SipHeaderKind.ContentDisposition => "Content-Disposition",
        SipHeaderKind.ContentEncoding => "Content-Encoding",
        SipHeaderKind.ContentLanguage => "Content-Language",
        SipHeaderKind.ContentLength => "Content-Length",
        SipHeaderKind.ContentType => "Content-Type",
        SipHeaderKind.CSeq => "CSeq",
        SipHeaderKind.Date => "Date",
        SipHeaderKind.ErrorInfo => "Error-Info",
        SipHeaderKind.Expires => "Expires",
        SipHeaderKind.From => "From",
        SipHeaderKind.InReplyTo => "In-Reply-To",
        SipHeaderKind.MaxForwards => "Max-Forwards",
        SipHeaderKind.MinExpires => "Min-Expires",
        SipHeaderKind.MimeVersion => "MIME-Version",
        SipHeaderKind.Organization => "Organization",
        SipHeaderKind.Priority => "Priority",
        SipHeaderKind.ProxyAuthenticate => "Proxy-Authenticate",
        SipHeaderKind.ProxyAuthorization => "Proxy-Authorization",
        SipHeaderKind.ProxyRequire => "Proxy-Require",
        SipHeaderKind.RecordRoute => "Record-Route",
        SipHeaderKind.ReplyTo => "Reply-To",
        SipHeaderKind.Require => "Require",
        SipHeaderKind.RetryAfter => "Retry-After",
        SipHeaderKind.Route => "Route",
        SipHeaderKind.Server => "Server",
        SipHeaderKind.Subject => "Subject",
        SipHeaderKind.Supported => "Supported",
        SipHeaderKind.Timestamp => "Timestamp",
        SipHeaderKind.To => "To",
        SipHeaderKind.Unsupported => "Unsupported",
        SipHeaderKind.UserAgent => "User-Agent",
        SipHeaderKind.Via => "Via",
        SipHeaderKind.Warning => "Warning",
        SipHeaderKind.WwwAuthenticate => "WWW-Authenticate",
        SipHeaderKind.Event => "Event",
        SipHeaderKind.AllowEvents => "Allow-Events",
        SipHeaderKind.SubscriptionState => "Subscription-State",
        SipHeaderKind.ReferTo => "Refer-To",
        SipHeaderKind.ReferredBy => "Referred-By",
        SipHeaderKind.Replaces => "Replaces",
        SipHeaderKind.RSeq => "RSeq",
        SipHeaderKind.RAck => "RAck",
        SipHeaderKind.SessionExpires => "Session-Expires",
        SipHeaderKind.MinSE => "Min-SE",
        SipHeaderKind.Path => "Path",
        SipHeaderKind.ServiceRoute => "Service-Route",
        SipHeaderKind.PAssertedIdentity => "P-Asserted-Identity",
        SipHeaderKind.PPreferredIdentity => "P-Preferred-Identity",
        SipHeaderKind.Privacy => "Privacy",
        SipHeaderKind.Reason => "Reason",
        SipHeaderKind.SipETag => "SIP-ETag",
        SipHeaderKind.SipIfMatch => "SIP-If-Match",
        SipHeaderKind.AcceptContact => "Accept-Contact",
        SipHeaderKind.RejectContact => "Reject-Contact",
        SipHeaderKind.RequestDisposition => "Request-Disposition",
        SipHeaderKind.Identity => "Identity",
        SipHeaderKind.ReferSub => "Refer-Sub",
        SipHeaderKind.Flowtimer => "Flow-Timer",
        _ => string.Empty,
    };
}
