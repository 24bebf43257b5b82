// Writes SIP messages into a caller-provided buffer, byte-for-byte stable, without allocating.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>
/// Forward-only serializer of a SIP message (RFC 3261 §7) into a <see cref="Span{T}"/> (a stack
/// buffer, or an array from <see cref="System.Buffers.ArrayPool{T}"/>). Header fields come out in
/// the order written, with canonical long names, ": " and CRLF, so the same calls always give the
/// same bytes. When the buffer is too small <see cref="Overflowed"/> turns true and later writes are
/// ignored: check once at the end. Values are written as given; <see cref="IsSafeValue"/> rejects CR/LF
/// so a caller cannot inject header lines.
/// </summary>
public ref struct SipMessageBuilder
{
    private readonly Span<byte> _buffer;
    private int _pos;
    private bool _overflow;
    private bool _invalid;

    /// <summary>Starts writing at the beginning of <paramref name="buffer"/>.</summary>
    public SipMessageBuilder(Span<byte> buffer)
    {
        _buffer = buffer;
        _pos = 0;
        _overflow = false;
        _invalid = false;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _pos;

    /// <summary>True when something did not fit; the output is unusable.</summary>
    public readonly bool Overflowed => _overflow;

    /// <summary>True when a value held CR or LF or a name was not a token; the output is unusable.</summary>
    public readonly bool HasInvalidInput => _invalid;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._pos];

    /// <summary>True when <paramref name="value"/> can be written as a header value (no CR, LF or NUL).</summary>
    public static bool IsSafeValue(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) < 0;

    /// <summary>Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1).</summary>
    public void RequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri)
    {
        if (method.IsEmpty || SipSyntax.Span(method, 0, SipSyntax.Token) != method.Length
            || requestUri.IsEmpty || requestUri.IndexOfAny((byte)' ', (byte)'\r', (byte)'\n') >= 0)
            _invalid = true;
        Put(method);
        Put((byte)' ');
        Put(requestUri);
        Put(" SIP/2.0\r\n"u8);
    }

    /// <summary>Request-Line for a known method.</summary>
    public void RequestLine(SipMethod method, ReadOnlySpan<byte> requestUri) => RequestLine(SipMethods.GetName(method), requestUri);

    /// <summary>Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2).</summary>
    public void StatusLine(int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        if (statusCode is < 100 or > 699 || !IsSafeValue(reasonPhrase)) _invalid = true;
        Put("SIP/2.0 "u8);
        PutInt(statusCode);
        Put((byte)' ');
        Put(reasonPhrase);
        Put("\r\n"u8);
    }

    /// <summary>A header field with a known name: "Name: value" CRLF.</summary>
    public void Header(SipHeaderKind kind, ReadOnlySpan<byte> value)
    {
        if (kind == SipHeaderKind.Unknown) { _invalid = true; return; }
        Header(SipHeaderNames.GetName(kind), value);
    }

    /// <summary>A header field: "name: value" CRLF; the name must be a token and the value free of CR/LF.</summary>
    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.IsEmpty || SipSyntax.Span(name, 0, SipSyntax.Token) != name.Length || !IsSafeValue(value)) _invalid = true;
        Put(name);
        Put(": "u8);
        Put(value);
        Put("\r\n"u8);
    }

    /// <summary>A header field with an unsigned integer value (CSeq number alone, Max-Forwards, Expires...).</summary>
    public void Header(SipHeaderKind kind, long value)
    {
        Put(SipHeaderNames.GetName(kind));
        Put(": "u8);
        PutInt(value);
        Put("\r\n"u8);
    }

    /// <summary>
    /// Via: SIP/2.0/transport sent-by;branch=...[;rport] (§20.42, RFC 3581). <paramref name="port"/> &lt; 0 omits the port.
    /// </summary>
    public void Via(ReadOnlySpan<byte> transport, ReadOnlySpan<byte> host, int port, ReadOnlySpan<byte> branch, bool rport)
    {
        if (!IsSafeValue(host) || !IsSafeValue(branch) || SipSyntax.Span(transport, 0, SipSyntax.Token) != transport.Length) _invalid = true;
        Put("Via: SIP/2.0/"u8);
        Put(transport);
        Put((byte)' ');
        Put(host);
        if (port >= 0)
        {
            Put((byte)':');
            PutInt(port);
        }
        Put(";branch="u8);
        Put(branch);
        if (rport) Put(";rport"u8);
        Put("\r\n"u8);
    }

    /// <summary>CSeq: number method (§20.16).</summary>
    public void CSeq(uint number, ReadOnlySpan<byte> method)
    {
        Put("CSeq: "u8);
        PutInt(number);
        Put((byte)' ');
        Put(method);
        Put("\r\n"u8);
    }

    /// <summary>
    /// A name-addr header (From, To, Contact, Route...): "Name: [display ]&lt;uri&gt;[;tag=tag]". The display
    /// name is written as given (quote it yourself when it is not a token sequence).
    /// </summary>
    public void NameAddress(SipHeaderKind kind, ReadOnlySpan<byte> displayName, ReadOnlySpan<byte> uri, ReadOnlySpan<byte> tag)
    {
        if (!IsSafeValue(displayName) || !IsSafeValue(uri) || !IsSafeValue(tag) || uri.IndexOf((byte)'>') >= 0) _invalid = true;
        Put(SipHeaderNames.GetName(kind));
        Put(": "u8);
        if (!displayName.IsEmpty)
        {
            Put(displayName);
            Put((byte)' ');
        }
        Put((byte)'<');
        Put(uri);
        Put((byte)'>');
        if (!tag.IsEmpty)
        {
            Put(";tag="u8);
            Put(tag);
        }
        Put("\r\n"u8);
    }

    /// <summary>
    /// Ends the header section: Content-Type (when <paramref name="contentType"/> is not empty),
    /// Content-Length (always, §20.14 makes it mandatory on streams), the empty line and the body.
    /// Returns the total length, or -1 when the output overflowed or had invalid input.
    /// </summary>
    public int Finish(ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body)
    {
        if (!contentType.IsEmpty) Header(SipHeaderKind.ContentType, contentType);
        Header(SipHeaderKind.ContentLength, body.Length);
        Put("\r\n"u8);
        Put(body);
        return _overflow || _invalid ? -1 : _pos;
    }

    /// <summary>Ends a message without a body (Content-Length: 0).</summary>
    public int Finish() => Finish(default, default);

    /// <summary>Copies raw bytes (for example a header line kept from a received message).</summary>
    public void Raw(ReadOnlySpan<byte> bytes) => Put(bytes);

    private void Put(ReadOnlySpan<byte> s)
    {
        if (_overflow) return;
        if (_pos + s.Length > _buffer.Length) { _overflow = true; return; }
        s.CopyTo(_buffer[_pos..]);
        _pos += s.Length;
    }

    private void Put(byte b)
    {
        if (_overflow) return;
        if (_pos >= _buffer.Length) { _overflow = true; return; }
        _buffer[_pos++] = b;
    }

    private void PutInt(long v)
    {
        if (_overflow) return;
        if (!Utf8Formatter.TryFormat(v, _buffer[_pos..], out int written)) { _overflow = true; return; }
        _pos += written;
    }
}
