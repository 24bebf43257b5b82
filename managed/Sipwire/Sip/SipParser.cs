// The SIP message parser: start line, header framing, hot header fields and body framing (RFC 3261 §7, §18.3).
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Sip.Headers;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>
/// Parses SIP messages from received bytes into a reusable <see cref="SipMessage"/>. Never throws on
/// malformed input: the result says Done, NeedMoreData (stream framing) or Invalid with a reason and
/// the byte position. Stateless between calls; a stream caller simply calls again with more bytes.
/// </summary>
public static class SipParser
{
    private const int SeenFrom = 1, SeenTo = 2, SeenCallId = 4, SeenCSeq = 8, SeenMaxForwards = 16,
        SeenContentLength = 32, SeenContentType = 64, SeenVia = 128;

    /// <summary>
    /// Parses one message from <paramref name="input"/>; the message keeps referring to that memory
    /// (no copy), so it must stay unchanged while <paramref name="message"/> is in use.
    /// </summary>
    public static SipParseResult Parse(ReadOnlyMemory<byte> input, SipFraming framing, SipMessage message, SipParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        SipParseResult r = ParseCore(input.Span, framing, message, options ?? SipParserOptions.Default, out int start, out int length);
        if (r.IsDone) message.Attach(input.Slice(start, length));
        else message.Reset();
        return r;
    }

    /// <summary>
    /// Parses one message from <paramref name="input"/> and copies its bytes into a buffer the
    /// message owns (grown once, then reused), so the input may be released afterwards.
    /// </summary>
    public static SipParseResult Parse(ReadOnlySpan<byte> input, SipFraming framing, SipMessage message, SipParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        SipParseResult r = ParseCore(input, framing, message, options ?? SipParserOptions.Default, out int start, out int length);
        if (r.IsDone) message.Attach(message.CopyToOwnBuffer(input.Slice(start, length)));
        else message.Reset();
        return r;
    }

    private static SipParseResult ParseCore(ReadOnlySpan<byte> input, SipFraming framing, SipMessage m, SipParserOptions o,
        out int msgStart, out int msgLength)
    {
        m.Reset();
        m._framing = framing;
        msgLength = 0;

        // RFC 3261 §7.5: ignore CRLFs before the start-line (also the RFC 5626 keep-alives on streams).
        int lead = 0;
        while (lead < input.Length && input[lead] is (byte)'\r' or (byte)'\n') lead++;
        msgStart = lead;
        ReadOnlySpan<byte> s = input[lead..];

        if (framing == SipFraming.Stream)
        {
            if (s.IsEmpty) return SipParseResult.NeedMoreData(lead);
            int headerEnd = FindHeaderEnd(s, o.MaxMessageSize);
            if (headerEnd < 0)
            {
                if (s.Length >= o.MaxMessageSize) return SipParseResult.Invalid(SipParseError.MessageTooLarge, lead + o.MaxMessageSize);
                // Reject early what can never become valid: an over-long start line or header field.
                if (LongestLine(s) > o.MaxLineLength) return SipParseResult.Invalid(SipParseError.LineTooLong, lead);
                return SipParseResult.NeedMoreData(lead);
            }
        }
        else
        {
            if (s.IsEmpty) return SipParseResult.Invalid(SipParseError.BadStartLine, lead);
            if (s.Length > o.MaxMessageSize) return SipParseResult.Invalid(SipParseError.MessageTooLarge, lead + o.MaxMessageSize);
        }

        // Start line.
        int nl = s.IndexOf((byte)'\n');
        if (nl < 0) return SipParseResult.Invalid(SipParseError.BadStartLine, lead);
        int lineEnd = nl > 0 && s[nl - 1] == '\r' ? nl - 1 : nl;
        if (lineEnd > o.MaxLineLength) return SipParseResult.Invalid(SipParseError.LineTooLong, lead);
        SipParseError e = ParseStartLine(s[..lineEnd], m, out int errAt);
        if (e != SipParseError.None) return SipParseResult.Invalid(e, lead + errAt);

        int pos = nl + 1;
        int seen = 0;
        bool terminated = false;
        while (pos < s.Length)
        {
            byte c = s[pos];
            if (c == '\n') { pos++; terminated = true; break; }
            if (c == '\r')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '\n') { pos += 2; terminated = true; break; }
                return SipParseResult.Invalid(SipParseError.BadHeaderValue, lead + pos);
            }
            int nameLen = SipSyntax.Span(s, pos, SipSyntax.Token);
            if (nameLen == 0) return SipParseResult.Invalid(SipParseError.BadHeaderName, lead + pos);
            int colon = pos + nameLen;
            while (colon < s.Length && s[colon] is (byte)' ' or (byte)'\t') colon++;
            if (colon >= s.Length || s[colon] != ':') return SipParseResult.Invalid(SipParseError.BadHeaderName, lead + pos);

            // The value runs to the end of the line plus every continuation line (§7.3.1 folding).
            int valueStart = colon + 1;
            int end = valueStart;
            int next;
            while (true)
            {
                int n = s[end..].IndexOf((byte)'\n');
                if (n < 0) return SipParseResult.Invalid(SipParseError.HeadersNotTerminated, lead + s.Length);
                int lf = end + n;
                next = lf + 1;
                end = lf > 0 && s[lf - 1] == '\r' ? lf - 1 : lf;
                if (next < s.Length && s[next] is (byte)' ' or (byte)'\t') { end = next; continue; }
                break;
            }
            if (end - pos > o.MaxLineLength) return SipParseResult.Invalid(SipParseError.LineTooLong, lead + pos);
            if (m._headerCount >= o.MaxHeaderCount) return SipParseResult.Invalid(SipParseError.TooManyHeaders, lead + pos);

            ReadOnlySpan<byte> value = SipSyntax.Trim(s[valueStart..end], out int trimmed);
            var nameRange = new ByteRange(pos, nameLen);
            var valueRange = new ByteRange(valueStart + trimmed, value.Length);
            SipHeaderKind kind = SipHeaderNames.Lookup(s.Slice(pos, nameLen));
            m.AddHeader(new SipHeaderEntry(kind, nameRange, valueRange));
            if (kind != SipHeaderKind.Unknown)
            {
                e = ReadHotHeader(kind, value, valueRange.Start, m, ref seen, out int at);
                if (e != SipParseError.None) return SipParseResult.Invalid(e, lead + valueRange.Start + at);
            }
            pos = next;
        }
        if (!terminated)
            return framing == SipFraming.Stream ? SipParseResult.NeedMoreData(lead) : SipParseResult.Invalid(SipParseError.HeadersNotTerminated, lead + s.Length);

        // RFC 3261 §8.1.1 / §8.2.2 and RFC 4475 §3.3.1: every message carries To, From, Call-ID,
        // CSeq and Via. Max-Forwards is not required: RFC 2543 peers omit it (RFC 4475 §3.4.1).
        if ((seen & SeenVia) == 0) return SipParseResult.Invalid(SipParseError.MissingVia, lead + pos);
        if ((seen & SeenFrom) == 0) return SipParseResult.Invalid(SipParseError.MissingFrom, lead + pos);
        if ((seen & SeenTo) == 0) return SipParseResult.Invalid(SipParseError.MissingTo, lead + pos);
        if ((seen & SeenCallId) == 0) return SipParseResult.Invalid(SipParseError.MissingCallId, lead + pos);
        if ((seen & SeenCSeq) == 0) return SipParseResult.Invalid(SipParseError.MissingCSeq, lead + pos);
        if (m._isRequest && !m._cseqMethodName.Slice(s).SequenceEqual(m._methodName.Slice(s)))
            return SipParseResult.Invalid(SipParseError.CSeqMethodMismatch, lead + m._cseqMethodName.Start);

        int remaining = s.Length - pos;
        int bodyLength;
        if (m._contentLength >= 0)
        {
            if (framing == SipFraming.Stream)
            {
                if ((long)pos + m._contentLength > o.MaxMessageSize) return SipParseResult.Invalid(SipParseError.MessageTooLarge, lead + pos);
                if (remaining < m._contentLength) return SipParseResult.NeedMoreData(lead);
            }
            else if (remaining < m._contentLength)
            {
                // RFC 4475 §3.1.2.2: a datagram cannot carry more later; the message is malformed.
                return SipParseResult.Invalid(SipParseError.ContentLengthExceedsMessage, lead + s.Length);
            }
            // RFC 3261 §18.3: octets past Content-Length in a datagram are discarded.
            bodyLength = m._contentLength;
        }
        else if (framing == SipFraming.Stream)
        {
            // RFC 3261 §18.3 / §20.14: Content-Length MUST be used with stream transports.
            return SipParseResult.Invalid(SipParseError.MissingContentLength, lead + pos);
        }
        else
        {
            // RFC 3261 §18.3: over UDP without Content-Length the body runs to the datagram's end.
            bodyLength = remaining;
        }
        m._body = new ByteRange(pos, bodyLength);
        msgLength = pos + bodyLength;
        return SipParseResult.Done(lead + msgLength);
    }

    private static SipParseError ParseStartLine(ReadOnlySpan<byte> line, SipMessage m, out int at)
    {
        at = 0;
        if (line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2).
            int sp = line.IndexOf((byte)' ');
            if (sp < 0) return SipParseError.BadStartLine;
            SipParseError ve = CheckVersion(line[..sp]);
            if (ve != SipParseError.None) return ve;
            m._version = new ByteRange(0, sp);
            int c = sp + 1;
            at = c;
            if (line.Length < c + 3 || !SipSyntax.IsDigit(line[c]) || !SipSyntax.IsDigit(line[c + 1]) || !SipSyntax.IsDigit(line[c + 2]))
                return SipParseError.BadStatusCode;
            if (line.Length > c + 3 && line[c + 3] != ' ') return SipParseError.BadStatusCode;
            int code = (line[c] - '0') * 100 + (line[c + 1] - '0') * 10 + (line[c + 2] - '0');
            if (code < 100) return SipParseError.BadStatusCode;
            m._statusCode = code;
            int rp = Math.Min(line.Length, c + 4);
            for (int k = rp; k < line.Length; k++)
            {
                byte b = line[k];
                if (b < 0x20 && b != '\t' || b == 0x7F) { at = k; return SipParseError.BadReasonPhrase; }
            }
            m._reasonPhrase = new ByteRange(rp, line.Length - rp);
            m._isRequest = false;
            return SipParseError.None;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): single SPs, no other LWS.
        int methodLen = SipSyntax.Span(line, 0, SipSyntax.Token);
        if (methodLen == 0 || methodLen >= line.Length || line[methodLen] != ' ')
            return methodLen == 0 ? SipParseError.BadStartLine : SipParseError.BadMethod;
        int lastSp = line.LastIndexOf((byte)' ');
        if (lastSp == methodLen) return SipParseError.BadStartLine;
        at = lastSp + 1;
        SipParseError v = CheckVersion(line[(lastSp + 1)..]);
        if (v != SipParseError.None) return v;
        int uriStart = methodLen + 1;
        ReadOnlySpan<byte> uri = line[uriStart..lastSp];
        at = uriStart;
        // RFC 4475 §3.1.2.7-9: no <> around the Request-URI, no LWS inside it, one SP between elements.
        if (uri.IsEmpty || uri.IndexOfAny((byte)' ', (byte)'\t') >= 0 || uri[0] == '<') return SipParseError.BadRequestUri;
        if (!UriScanner.TryScan(uri, out UriParts parts)) return SipParseError.BadRequestUri;
        // RFC 3261 §19.1.1 (table): the headers component is not allowed in a Request-URI (RFC 4475 §3.1.2.11).
        if (parts.Headers.IsPresent) return SipParseError.RequestUriHeaders;
        m._isRequest = true;
        m._methodName = new ByteRange(0, methodLen);
        m._method = SipMethods.Parse(line[..methodLen]);
        m._requestUri = new ByteRange(uriStart, uri.Length);
        m._version = new ByteRange(lastSp + 1, line.Length - lastSp - 1);
        return SipParseError.None;
    }

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (§25.1); only 2.0 is supported (505 otherwise).</summary>
    private static SipParseError CheckVersion(ReadOnlySpan<byte> v)
    {
        if (v.Length < 7 || !Ascii.EqualsIgnoreCase(v[..4], "SIP/"u8)) return SipParseError.BadVersion;
        int major = SipSyntax.Span(v, 4, SipSyntax.Digit);
        if (major == 0 || 4 + major >= v.Length || v[4 + major] != '.') return SipParseError.BadVersion;
        int minor = SipSyntax.Span(v, 5 + major, SipSyntax.Digit);
        if (minor == 0 || 5 + major + minor != v.Length) return SipParseError.BadVersion;
        return v[4..].SequenceEqual("2.0"u8) ? SipParseError.None : SipParseError.UnsupportedVersion;
    }

    private static SipParseError ReadHotHeader(SipHeaderKind kind, ReadOnlySpan<byte> value, int valueStart, SipMessage m, ref int seen, out int at)
    {
        at = 0;
        switch (kind)
        {
            case SipHeaderKind.Via:
            {
                int i = 0;
                while (true)
                {
                    if (!HeaderScanner.TryScanVia(value, ref i, out ViaParts via)) { at = i; return SipParseError.BadVia; }
                    if (m._viaCount == 0) m._topVia = via.Offset(valueStart);
                    m._viaCount++;
                    if (i >= value.Length) break;
                    if (value[i] != ',') { at = i; return SipParseError.BadVia; }
                    i++;
                }
                seen |= SeenVia;
                return SipParseError.None;
            }
            case SipHeaderKind.From:
            case SipHeaderKind.To:
            {
                bool isFrom = kind == SipHeaderKind.From;
                int flag = isFrom ? SeenFrom : SeenTo;
                if ((seen & flag) != 0) return SipParseError.DuplicateHeader;
                seen |= flag;
                int i = 0;
                if (!HeaderScanner.TryScanNameAddr(value, ref i, false, out NameAddrParts p) || i != value.Length)
                {
                    at = i;
                    // A second value in a single-value field is the RFC 4475 §3.3.8 case.
                    return i < value.Length && value[i] == ',' ? SipParseError.DuplicateHeader : isFrom ? SipParseError.BadFrom : SipParseError.BadTo;
                }
                if (isFrom) m._from = p.Offset(valueStart);
                else m._to = p.Offset(valueStart);
                return SipParseError.None;
            }
            case SipHeaderKind.Contact:
            {
                int i = 0;
                while (true)
                {
                    if (!HeaderScanner.TryScanNameAddr(value, ref i, true, out NameAddrParts p)) { at = i; return SipParseError.BadContact; }
                    if (m._contactCount == 0) m._contact = p.Offset(valueStart);
                    m._contactCount++;
                    if (i >= value.Length) break;
                    if (value[i] != ',') { at = i; return SipParseError.BadContact; }
                    i++;
                }
                return SipParseError.None;
            }
            case SipHeaderKind.Route:
            case SipHeaderKind.RecordRoute:
            {
                int i = 0;
                while (true)
                {
                    // route-param = name-addr *( SEMI rr-param ): the <> form is required (§25.1).
                    int j = i;
                    if (!HeaderScanner.TryScanNameAddr(value, ref i, false, out NameAddrParts p)
                        || p.Uri.Start == 0 || value[p.Uri.Start - 1] != '<')
                    {
                        at = j;
                        return SipParseError.BadRoute;
                    }
                    if (i >= value.Length) break;
                    if (value[i] != ',') { at = i; return SipParseError.BadRoute; }
                    i++;
                }
                return SipParseError.None;
            }
            case SipHeaderKind.CallId:
                if ((seen & SeenCallId) != 0) return SipParseError.DuplicateHeader;
                seen |= SeenCallId;
                if (!HeaderScanner.IsCallId(value)) return SipParseError.BadCallId;
                m._callId = new ByteRange(valueStart, value.Length);
                return SipParseError.None;
            case SipHeaderKind.CSeq:
            {
                if ((seen & SeenCSeq) != 0) return SipParseError.DuplicateHeader;
                seen |= SeenCSeq;
                // CSeq = 1*DIGIT LWS Method; RFC 4475 §3.1.2.4: the number must fit 32 bits.
                int n = SipSyntax.Span(value, 0, SipSyntax.Digit);
                if (n == 0 || !SipSyntax.TryParseDecimal(value[..n], uint.MaxValue, out ulong num)) return SipParseError.BadCSeq;
                int j = SipSyntax.SkipLws(value, n);
                if (j == n) return SipParseError.BadCSeq;
                int ml = SipSyntax.Span(value, j, SipSyntax.Token);
                if (ml == 0 || j + ml != value.Length) { at = j; return SipParseError.BadCSeq; }
                m._cseq = (uint)num;
                m._cseqMethodName = new ByteRange(valueStart + j, ml);
                m._cseqMethod = SipMethods.Parse(value.Slice(j, ml));
                return SipParseError.None;
            }
            case SipHeaderKind.MaxForwards:
                if ((seen & SeenMaxForwards) != 0) return SipParseError.DuplicateHeader;
                seen |= SeenMaxForwards;
                // §20.22: an integer 0-255 (leading zeros allowed, RFC 4475 §3.1.1.1).
                if (!SipSyntax.TryParseDecimal(value, 255, out ulong mf)) return SipParseError.BadMaxForwards;
                m._maxForwards = (int)mf;
                return SipParseError.None;
            case SipHeaderKind.ContentLength:
                if ((seen & SeenContentLength) != 0) return SipParseError.DuplicateContentLength;
                seen |= SeenContentLength;
                if (!SipSyntax.TryParseDecimal(value, int.MaxValue, out ulong cl)) return SipParseError.BadContentLength;
                m._contentLength = (int)cl;
                return SipParseError.None;
            case SipHeaderKind.ContentType:
                if ((seen & SeenContentType) != 0) return SipParseError.DuplicateHeader;
                seen |= SeenContentType;
                if (!IsMediaType(value)) return SipParseError.BadContentType;
                m._contentType = new ByteRange(valueStart, value.Length);
                return SipParseError.None;
            case SipHeaderKind.Expires:
                // §20.19: a malformed value is treated as 3600; a value past 2^32-1 is malformed.
                m._expires = SipSyntax.TryParseDecimal(value, uint.MaxValue, out ulong ex) ? (int)Math.Min(ex, int.MaxValue) : 3600;
                return SipParseError.None;
            case SipHeaderKind.Date:
                return SipDate.TryParse(value, out _) ? SipParseError.None : SipParseError.BadDate;
            default:
                return SipParseError.None;
        }
    }

    /// <summary>media-type = m-type SLASH m-subtype *( SEMI m-parameter ) (§20.15, §25.1).</summary>
    internal static bool IsMediaType(ReadOnlySpan<byte> v)
    {
        int t = SipSyntax.Span(v, 0, SipSyntax.Token);
        if (t == 0) return false;
        int i = SipSyntax.SkipLws(v, t);
        if (i >= v.Length || v[i] != '/') return false;
        i = SipSyntax.SkipLws(v, i + 1);
        int st = SipSyntax.Span(v, i, SipSyntax.Token);
        if (st == 0) return false;
        i += st;
        while (true)
        {
            int j = SipSyntax.SkipLws(v, i);
            if (j >= v.Length) return true;
            if (v[j] != ';' || !HeaderScanner.TryScanGenericParam(v, ref j, out _, out _)) return false;
            i = j;
        }
    }

    /// <summary>Offset just past the empty line that ends the header section, or -1.</summary>
    private static int FindHeaderEnd(ReadOnlySpan<byte> s, int limit)
    {
        int n = Math.Min(s.Length, limit);
        int i = 0;
        while (i < n)
        {
            int lf = s[i..n].IndexOf((byte)'\n');
            if (lf < 0) return -1;
            int p = i + lf + 1;
            if (p < n && s[p] == '\n') return p + 1;
            if (p + 1 < n && s[p] == '\r' && s[p + 1] == '\n') return p + 2;
            i = p;
        }
        return -1;
    }

    private static int LongestLine(ReadOnlySpan<byte> s)
    {
        int longest = 0, i = 0;
        while (i < s.Length)
        {
            int lf = s[i..].IndexOf((byte)'\n');
            int len = lf < 0 ? s.Length - i : lf;
            longest = Math.Max(longest, len);
            if (lf < 0) break;
            i += lf + 1;
        }
        return longest;
    }
}
