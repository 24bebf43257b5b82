// Typed reads of every value of a header kind across all its lines (comma lists and repeated lines alike).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Sip.Headers;

/// <summary>
/// Materializes header values of a parsed <see cref="SipMessage"/> (RFC 3261 §7.3.1: repeated lines and
/// comma-separated values are equivalent). These allocate; the hot fields on SipMessage do not.
/// Each method returns false when a value is malformed; the values before it are kept.
/// </summary>
public static class SipTypedHeaders
{
    /// <summary>Every Via value, top first.</summary>
    public static bool TryGetVias(SipMessage message, List<SipViaHeader> into) =>
        ForEach(message, SipHeaderKind.Via, (v, l) => SipViaHeader.TryParseList(v, l), into);

    /// <summary>Every value of a name-addr header (Contact, Route, Record-Route, Path, Service-Route, P-Asserted-Identity...).</summary>
    public static bool TryGetNameAddresses(SipMessage message, SipHeaderKind kind, List<SipNameAddressHeader> into) =>
        ForEach(message, kind, (v, l) => SipNameAddressHeader.TryParseList(v, l, kind == SipHeaderKind.Contact), into);

    /// <summary>Every token of an option-tag or method list (Require, Proxy-Require, Supported, Unsupported, Allow).</summary>
    public static bool TryGetTokens(SipMessage message, SipHeaderKind kind, List<string> into) =>
        ForEach(message, kind, (v, l) => SipTokenHeader.TryParseTokens(v, l), into);

    /// <summary>Every token-with-parameters value (Event, Allow-Events, Subscription-State, Accept-Encoding, Reason...).</summary>
    public static bool TryGetTokenHeaders(SipMessage message, SipHeaderKind kind, List<SipTokenHeader> into) =>
        ForEach(message, kind, (v, l) => SipTokenHeader.TryParseList(v, l), into);

    /// <summary>Every Accept entry.</summary>
    public static bool TryGetAccept(SipMessage message, List<SipMediaTypeHeader> into) =>
        ForEach(message, SipHeaderKind.Accept, (v, l) => SipMediaTypeHeader.TryParseList(v, l), into);

    /// <summary>Every Warning value.</summary>
    public static bool TryGetWarnings(SipMessage message, List<SipWarningHeader> into) =>
        ForEach(message, SipHeaderKind.Warning, (v, l) => SipWarningHeader.TryParseList(v, l), into);

    /// <summary>Every challenge or credentials line (one per header line, RFC 3261 §20.27 / §20.44).</summary>
    public static bool TryGetAuth(SipMessage message, SipHeaderKind kind, List<SipAuthHeader> into) =>
        ForEach(message, kind, (v, l) =>
        {
            if (!SipAuthHeader.TryParse(v, out SipAuthHeader? h)) return false;
            l.Add(h!);
            return true;
        }, into);

    private delegate bool ValueParser<T>(ReadOnlySpan<byte> value, List<T> into);

    private static bool ForEach<T>(SipMessage message, SipHeaderKind kind, ValueParser<T> parse, List<T> into)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(into);
        for (int h = message.IndexOfHeader(kind); h >= 0; h = message.IndexOfHeader(kind, h + 1))
        {
            if (!parse(message.GetHeaderValue(h), into)) return false;
        }
        return true;
    }
}
