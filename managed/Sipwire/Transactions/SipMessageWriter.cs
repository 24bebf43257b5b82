// Writes a SIP message (start line, header fields, Content-Length, body) into a caller buffer without allocating.
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.Transactions;

/// <summary>
/// A forward-only SIP message writer over a caller-supplied buffer (RFC 3261 §7). Nothing is
/// allocated; when the buffer is too small <see cref="Overflowed"/> turns true and further writes
/// are ignored, so a caller checks once at the end. Interim writer of the transaction layer until
/// the message layer ships its own builder (the lead merges them).
/// </summary>
public ref struct SipMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _pos;
    private bool _overflow;

    /// <summary>Starts writing at the beginning of <paramref name="buffer"/>.</summary>
    public SipMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _pos = 0;
        _overflow = false;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _pos;

    /// <summary>True when something did not fit; the content is then unusable.</summary>
    public readonly bool Overflowed => _overflow;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._pos];

    /// <summary>Request-Line: Method SP Request-URI SP SIP/2.0 CRLF (§7.1).</summary>
    public void RequestLine(scoped ReadOnlySpan<byte> method, scoped ReadOnlySpan<byte> requestUri)
    {
        Append(method);
        Append((byte)' ');
        Append(requestUri);
        Append(" SIP/2.0\r\n"u8);
    }

    /// <summary>Status-Line: SIP/2.0 SP Status-Code SP Reason-Phrase CRLF (§7.2).</summary>
    public void StatusLine(int statusCode, scoped ReadOnlySpan<byte> reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        Append("SIP/2.0 "u8);
        AppendInt(statusCode);
        Append((byte)' ');
        int start = _pos;
        Append(reason);
        if (!_overflow)
        {
            // §25.1: Reason-Phrase holds no CR, LF or other control character (HTAB aside); a reason built from
            // request data (a user or URI) must not be able to end the line and write header fields of its own.
            foreach (ref byte b in _buffer[start.._pos])
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F) b = (byte)'?';
            }
        }
        Append("\r\n"u8);
    }

    /// <summary>Status-Line with a UTF-16 reason phrase (encoded as UTF-8, §25.1 Reason-Phrase).</summary>
    public void StatusLine(int statusCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Span<byte> tmp = stackalloc byte[256];
        int n = Encoding.UTF8.GetByteCount(reason) <= tmp.Length ? Encoding.UTF8.GetBytes(reason, tmp) : 0;
        StatusLine(statusCode, tmp[..n]);
    }

    /// <summary>One header field line "Name: value CRLF".</summary>
    public void Header(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        Append(name);
        Append(": "u8);
        Append(value);
        Append("\r\n"u8);
    }

    /// <summary>One header field line with an integer value.</summary>
    public void Header(scoped ReadOnlySpan<byte> name, long value)
    {
        Append(name);
        Append(": "u8);
        AppendInt(value);
        Append("\r\n"u8);
    }

    /// <summary>Appends raw bytes (for building a header value piece by piece).</summary>
    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (_overflow) return;
        if (bytes.Length > _buffer.Length - _pos)
        {
            _overflow = true;
            return;
        }
        bytes.CopyTo(_buffer[_pos..]);
        _pos += bytes.Length;
    }

    /// <summary>Appends one byte.</summary>
    public void Append(byte b)
    {
        if (_overflow) return;
        if (_pos >= _buffer.Length)
        {
            _overflow = true;
            return;
        }
        _buffer[_pos++] = b;
    }

    /// <summary>Appends a decimal integer.</summary>
    public void AppendInt(long value)
    {
        if (_overflow) return;
        if (!value.TryFormat(_buffer[_pos..], out int n))
        {
            _overflow = true;
            return;
        }
        _pos += n;
    }

    /// <summary>Appends ASCII/UTF-8 text from a string.</summary>
    public void AppendText(ReadOnlySpan<char> text)
    {
        if (_overflow) return;
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > _buffer.Length - _pos && Encoding.UTF8.GetByteCount(text) > _buffer.Length - _pos)
        {
            _overflow = true;
            return;
        }
        _pos += Encoding.UTF8.GetBytes(text, _buffer[_pos..]);
    }

    /// <summary>
    /// Ends the header section with Content-Length (always written: mandatory over streams, §18.3
    /// and §20.14), the empty line and the body.
    /// </summary>
    public void EndWithBody(scoped ReadOnlySpan<byte> body)
    {
        Header("Content-Length"u8, body.Length);
        Append("\r\n"u8);
        Append(body);
    }

    /// <summary>Ends a message without a body.</summary>
    public void End() => EndWithBody([]);

    /// <summary>Marks the message as failed (as <see cref="Overflowed"/>), so the caller does not send it; used when
    /// a body cannot be produced as required (e.g. an S/MIME body that cannot be protected).</summary>
    public void Fail() => _overflow = true;
}
