// SPDX-License-Identifier: MIT
// The stateless answer to a request that did not parse: its status, with the headers copied raw.

using System;
using System.Text;
using Sipwire.Security;
using Sipwire.Sip;

namespace Sipwire.Transport;

/// <summary>
/// DESIGN principle 4 and RFC 3261 §8.2 / §21.4.1: a malformed request gets the status its parse
/// error maps to (400 naming the problem, 505, 513, ...), sent statelessly. The parser rejected the
/// message, so the Via, From, To, Call-ID and CSeq lines a response must copy (§8.2.6.2) are found
/// by a plain line scan; when any is missing or holds a control character, no response can be built
/// and the request is only counted. Responses are never answered (§18.1.2).
/// </summary>
internal static class MalformedRequestResponse
{
    /// <summary>Largest response written; a request whose copied headers do not fit is not answered.</summary>
    public const int MaxLength = 4096;

    /// <summary>Writes the response into <paramref name="output"/>; returns its length, or 0 when none can be made.</summary>
    public static int TryWrite(ReadOnlySpan<byte> request, SipParseError error, Span<byte> output)
    {
        if (request.StartsWith("SIP/"u8) || request.IndexOf((byte)' ') <= 0)
        {
            return 0;
        }
        int end = request.IndexOf("\r\n\r\n"u8);
        ReadOnlySpan<byte> head = end >= 0 ? request[..(end + 2)] : request;
        int firstLine = head.IndexOf("\r\n"u8);
        if (firstLine < 0)
        {
            return 0;
        }
        var writer = new Writer(output);
        writer.Append("SIP/2.0 "u8);
        writer.AppendAscii(SipErrors.ToStatusCode(error).ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.Append(" "u8);
        writer.AppendAscii(SipErrors.ReasonPhrase(error));
        writer.Append("\r\n"u8);

        // Vias in order, then one each of From, To, Call-ID, CSeq (§8.2.6.2).
        int vias = CopyLines(head[(firstLine + 2)..], ref writer, "via"u8, "v"u8, all: true);
        int from = CopyLines(head[(firstLine + 2)..], ref writer, "from"u8, "f"u8, all: false);
        int toStart = writer.Length;
        int to = CopyLines(head[(firstLine + 2)..], ref writer, "to"u8, "t"u8, all: false);
        if (to == 1 && !HasTag(output[toStart..writer.Length]))
        {
            // §8.2.6.2: a UAS adds a To tag to every non-100 response; the request had none.
            writer.Length -= 2;
            writer.Append(";tag="u8);
            Span<byte> tag = stackalloc byte[4];
            SecureRandom.Fill(tag);
            writer.AppendAscii(Convert.ToHexStringLower(tag));
            writer.Append("\r\n"u8);
        }
        int callId = CopyLines(head[(firstLine + 2)..], ref writer, "call-id"u8, "i"u8, all: false);
        int cseq = CopyLines(head[(firstLine + 2)..], ref writer, "cseq"u8, default, all: false);
        writer.Append("Content-Length: 0\r\n\r\n"u8);
        return vias >= 1 && from == 1 && to == 1 && callId == 1 && cseq == 1 && !writer.Overflow ? writer.Length : 0;
    }

    // Copies the (unfolded) lines named name or compact (all of them, or the first); -1 when a copied
    // line holds a control character, which must not reach our response.
    private static int CopyLines(ReadOnlySpan<byte> headers, ref Writer writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> compact, bool all)
    {
        int copied = 0;
        while (!headers.IsEmpty)
        {
            int lineEnd = headers.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }
            // Folded continuation lines (§7.3.1) belong to this header.
            while (lineEnd + 2 < headers.Length && headers[lineEnd + 2] is (byte)' ' or (byte)'\t')
            {
                int next = headers[(lineEnd + 2)..].IndexOf("\r\n"u8);
                if (next < 0)
                {
                    break;
                }
                lineEnd += 2 + next;
            }
            ReadOnlySpan<byte> line = headers[..lineEnd];
            headers = headers[(lineEnd + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            ReadOnlySpan<byte> fieldName = line[..colon].TrimEnd(" \t"u8);
            if (!Ascii.EqualsIgnoreCase(fieldName, name) && (compact.IsEmpty || !Ascii.EqualsIgnoreCase(fieldName, compact)))
            {
                continue;
            }
            foreach (byte b in line)
            {
                if ((b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\n') || b == 0x7F)
                {
                    return -1;
                }
            }
            // Unfold: CRLF + WSP becomes one SP.
            foreach (byte b in line)
            {
                if (b is not (byte)'\r' and not (byte)'\n')
                {
                    writer.AppendByte(b);
                }
            }
            writer.Append("\r\n"u8);
            copied++;
            if (!all)
            {
                // A second From/To/Call-ID/CSeq (RFC 4475 §3.3.8) is the error itself: the first is copied.
                return copied;
            }
        }
        return copied;
    }

    private static bool HasTag(ReadOnlySpan<byte> toLine)
    {
        // ";tag=" after the URI (outside <...>); a name-addr's URI may hold ";tag" only as a URI param.
        int close = toLine.LastIndexOf((byte)'>');
        ReadOnlySpan<byte> parameters = close >= 0 ? toLine[close..] : toLine;
        Span<byte> lower = stackalloc byte[parameters.Length];
        Ascii.ToLower(parameters, lower, out _);
        return lower.IndexOf(";tag="u8) >= 0 || lower.IndexOf("; tag="u8) >= 0;
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length;
        public bool Overflow;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > _buffer.Length)
            {
                Overflow = true;
                return;
            }
            bytes.CopyTo(_buffer[Length..]);
            Length += bytes.Length;
        }

        public void AppendByte(byte b)
        {
            if (Length >= _buffer.Length)
            {
                Overflow = true;
                return;
            }
            _buffer[Length++] = b;
        }

        public void AppendAscii(string text)
        {
            if (Length + text.Length > _buffer.Length)
            {
                Overflow = true;
                return;
            }
            Length += Encoding.ASCII.GetBytes(text, _buffer[Length..]);
        }
    }
}
