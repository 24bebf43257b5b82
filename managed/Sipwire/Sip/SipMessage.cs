// A parsed SIP message: a view over the received bytes with typed access to the hot header fields.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>
/// A SIP request or response parsed by <see cref="SipParser"/>. It keeps offsets into the bytes it
/// was parsed from (no copies); the hot fields a transaction or dialog needs are located during the
/// parse and read without allocating. Reuse one instance per receive loop: parsing into it again
/// allocates nothing once its tables have grown to the traffic's size.
/// </summary>
/// <remarks>
/// When parsed from <see cref="ReadOnlyMemory{T}"/> the message refers to the caller's buffer, which
/// must not change while the message is used; the span overloads copy into a buffer the message owns.
/// </remarks>
public sealed class SipMessage
{
    private ReadOnlyMemory<byte> _data;
    private byte[] _own = [];
    internal SipHeaderEntry[] _headers = new SipHeaderEntry[32];
    internal int _headerCount;

    internal bool _isRequest;
    internal SipMethod _method;
    internal ByteRange _methodName;
    internal ByteRange _requestUri;
    internal ByteRange _version;
    internal int _statusCode;
    internal ByteRange _reasonPhrase;

    internal ViaParts _topVia;
    internal int _viaCount;
    internal NameAddrParts _from;
    internal NameAddrParts _to;
    internal NameAddrParts _contact;
    internal int _contactCount;
    internal ByteRange _callId;
    internal uint _cseq;
    internal ByteRange _cseqMethodName;
    internal SipMethod _cseqMethod;
    internal int _maxForwards;
    internal int _contentLength;
    internal ByteRange _contentType;
    internal int _expires;
    internal ByteRange _body;
    internal SipFraming _framing;

    /// <summary>Bytes of the message (start line to the end of the body).</summary>
    public ReadOnlySpan<byte> Span => _data.Span;

    /// <summary>Bytes of the message as memory (start line to the end of the body).</summary>
    public ReadOnlyMemory<byte> Memory => _data;

    /// <summary>Total length in bytes (start line to the end of the body).</summary>
    public int Length => _data.Length;

    /// <summary>The framing rule the message was parsed with.</summary>
    public SipFraming Framing => _framing;

    /// <summary>True for a request, false for a response.</summary>
    public bool IsRequest => _isRequest;

    /// <summary>The request method (<see cref="SipMethod.Extension"/> for unknown methods; 0 for a response).</summary>
    public SipMethod Method => _method;

    /// <summary>The request method name as received; empty for a response.</summary>
    public ReadOnlySpan<byte> MethodName => _methodName.Slice(Span);

    /// <summary>The Request-URI as received; empty for a response.</summary>
    public ReadOnlySpan<byte> RequestUri => _requestUri.Slice(Span);

    /// <summary>The SIP-Version of the start line.</summary>
    public ReadOnlySpan<byte> Version => _version.Slice(Span);

    /// <summary>The Status-Code of a response; 0 for a request.</summary>
    public int StatusCode => _statusCode;

    /// <summary>The Reason-Phrase of a response (may be empty, RFC 4475 §3.1.1.13).</summary>
    public ReadOnlySpan<byte> ReasonPhrase => _reasonPhrase.Slice(Span);

    /// <summary>Number of header field lines.</summary>
    public int HeaderCount => _headerCount;

    /// <summary>The header field at <paramref name="index"/> (message order).</summary>
    public SipHeaderEntry GetHeader(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount, nameof(index));
        return _headers[index];
    }

    /// <summary>The field name of the header at <paramref name="index"/>, as received.</summary>
    public ReadOnlySpan<byte> GetHeaderName(int index) => GetHeader(index).Name.Slice(Span);

    /// <summary>The value of the header at <paramref name="index"/>, LWS-trimmed, folding kept.</summary>
    public ReadOnlySpan<byte> GetHeaderValue(int index) => GetHeader(index).Value.Slice(Span);

    /// <summary>Index of the first header of <paramref name="kind"/> at or after <paramref name="start"/>, or -1.</summary>
    public int IndexOfHeader(SipHeaderKind kind, int start = 0)
    {
        for (int i = Math.Max(0, start); i < _headerCount; i++)
        {
            if (_headers[i].Kind == kind) return i;
        }
        return -1;
    }

    /// <summary>Index of the first header named <paramref name="name"/> (case-insensitive; compact forms of known headers match), or -1.</summary>
    public int IndexOfHeader(ReadOnlySpan<byte> name, int start = 0)
    {
        SipHeaderKind kind = SipHeaderNames.Lookup(name);
        if (kind != SipHeaderKind.Unknown) return IndexOfHeader(kind, start);
        for (int i = Math.Max(0, start); i < _headerCount; i++)
        {
            if (_headers[i].Kind == SipHeaderKind.Unknown && Ascii.EqualsIgnoreCase(_headers[i].Name.Slice(Span), name)) return i;
        }
        return -1;
    }

    /// <summary>The value of the first header of <paramref name="kind"/>; false when absent.</summary>
    public bool TryGetHeaderValue(SipHeaderKind kind, out ReadOnlySpan<byte> value)
    {
        int i = IndexOfHeader(kind);
        value = i < 0 ? default : _headers[i].Value.Slice(Span);
        return i >= 0;
    }

    /// <summary>Number of header lines of <paramref name="kind"/>.</summary>
    public int CountHeaders(SipHeaderKind kind)
    {
        int n = 0;
        for (int i = 0; i < _headerCount; i++)
        {
            if (_headers[i].Kind == kind) n++;
        }
        return n;
    }

    /// <summary>The topmost Via value (§8.2.6.2, §17.2.3: branch and sent-by match transactions).</summary>
    public SipVia TopVia => new(Span, _topVia);

    /// <summary>Number of Via values (comma-separated values counted one by one).</summary>
    public int ViaCount => _viaCount;

    /// <summary>Enumerates every Via value, top first.</summary>
    public SipViaEnumerator Vias => new(this);

    /// <summary>The From header value with its tag.</summary>
    public SipNameAddress From => new(Span, _from);

    /// <summary>The To header value with its tag.</summary>
    public SipNameAddress To => new(Span, _to);

    /// <summary>The first Contact value (check <see cref="SipNameAddress.IsPresent"/>).</summary>
    public SipNameAddress Contact => new(Span, _contact);

    /// <summary>Number of Contact values.</summary>
    public int ContactCount => _contactCount;

    /// <summary>The Call-ID (§20.8), LWS-trimmed.</summary>
    public ReadOnlySpan<byte> CallId => _callId.Slice(Span);

    /// <summary>The CSeq sequence number (§20.16).</summary>
    public uint CSeqNumber => _cseq;

    /// <summary>The CSeq method.</summary>
    public SipMethod CSeqMethod => _cseqMethod;

    /// <summary>The CSeq method name as received.</summary>
    public ReadOnlySpan<byte> CSeqMethodName => _cseqMethodName.Slice(Span);

    /// <summary>Max-Forwards (0-255), or -1 when absent (RFC 2543 peers omit it, RFC 4475 §3.4.1).</summary>
    public int MaxForwards => _maxForwards;

    /// <summary>Content-Length, or -1 when absent (only possible over a datagram transport).</summary>
    public int ContentLength => _contentLength;

    /// <summary>The Content-Type value, empty when absent.</summary>
    public ReadOnlySpan<byte> ContentType => _contentType.Slice(Span);

    /// <summary>The Expires header in seconds: -1 absent; a malformed or overflowing value reads as 3600 (§20.19).</summary>
    public int Expires => _expires;

    /// <summary>The message body (Content-Length octets, or the rest of the datagram without one).</summary>
    public ReadOnlySpan<byte> Body => _body.Slice(Span);

    /// <summary>Where the body starts in <see cref="Span"/>.</summary>
    public ByteRange BodyRange => _body;

    /// <summary>Gets a string (UTF-8 decoded) for diagnostics and the CLI; allocates.</summary>
    public static string ToText(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    internal void Attach(ReadOnlyMemory<byte> data) => _data = data;

    internal ReadOnlyMemory<byte> CopyToOwnBuffer(ReadOnlySpan<byte> data)
    {
        if (_own.Length < data.Length)
            _own = new byte[Math.Max(data.Length, Math.Min(Math.Max(_own.Length * 2, 1024), 1 << 20))];
        data.CopyTo(_own);
        return new ReadOnlyMemory<byte>(_own, 0, data.Length);
    }

    internal void AddHeader(in SipHeaderEntry entry)
    {
        if (_headerCount == _headers.Length) Array.Resize(ref _headers, _headers.Length * 2);
        _headers[_headerCount++] = entry;
    }

    internal void Reset()
    {
        _data = default;
        _headerCount = 0;
        _isRequest = false;
        _method = SipMethod.Extension;
        _methodName = ByteRange.None;
        _requestUri = ByteRange.None;
        _version = ByteRange.None;
        _statusCode = 0;
        _reasonPhrase = ByteRange.None;
        _topVia = ViaParts.Empty;
        _viaCount = 0;
        _from = NameAddrParts.Empty;
        _to = NameAddrParts.Empty;
        _contact = NameAddrParts.Empty;
        _contactCount = 0;
        _callId = ByteRange.None;
        _cseq = 0;
        _cseqMethodName = ByteRange.None;
        _cseqMethod = SipMethod.Extension;
        _maxForwards = -1;
        _contentLength = -1;
        _contentType = ByteRange.None;
        _expires = -1;
        _body = ByteRange.None;
    }
}
