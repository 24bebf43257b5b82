// A MIME entity (headers, blank line, body) read from and written to canonical CRLF form (RFC 2045, RFC 8551 §3.1.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Sipwire.Smime;

/// <summary>One MIME entity: its header fields and its (still transfer-encoded) body.</summary>
internal sealed class MimeEntity
{
    private const int MaxHeaders = 32;
    private readonly List<KeyValuePair<string, string>> _headers;

    private MimeEntity(List<KeyValuePair<string, string>> headers, byte[] body)
    {
        _headers = headers;
        Body = body;
    }

    /// <summary>The body octets as they appear in the entity (before Content-Transfer-Encoding is undone).</summary>
    public byte[] Body { get; }

    /// <summary>The unfolded value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Get(string name)
    {
        foreach (KeyValuePair<string, string> h in _headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    /// <summary>Content-Type, defaulting to text/plain (RFC 2045 §5.2).</summary>
    public string ContentType => Get("Content-Type") ?? "text/plain; charset=us-ascii";

    /// <summary>The body with its Content-Transfer-Encoding undone (RFC 2045 §6).</summary>
    /// <exception cref="SmimeFormatException">Unknown encoding or bad base64.</exception>
    public byte[] DecodeBody()
    {
        string encoding = (Get("Content-Transfer-Encoding") ?? "binary").Trim().ToLowerInvariant();
        switch (encoding)
        {
            case "binary" or "8bit" or "7bit":
                return Body;
            case "base64":
                try
                {
                    // Convert ignores the CRLFs and spaces between base64 lines.
                    return Convert.FromBase64String(Encoding.ASCII.GetString(Body));
                }
                catch (FormatException)
                {
                    throw new SmimeFormatException("the base64 body of a MIME part is not valid base64");
                }
            default:
                throw new SmimeFormatException($"unsupported Content-Transfer-Encoding '{encoding}'");
        }
    }

    /// <summary>Parses an entity: header lines up to the first empty line, then the body.</summary>
    /// <exception cref="SmimeFormatException">The header section is not well formed.</exception>
    public static MimeEntity Parse(ReadOnlySpan<byte> entity)
    {
        var headers = new List<KeyValuePair<string, string>>();
        int pos = 0;
        while (true)
        {
            int eol = entity[pos..].IndexOf("\r\n"u8);
            if (eol < 0) throw new SmimeFormatException("a MIME entity has no empty line after its headers");
            if (eol == 0)
            {
                pos += 2;
                break;
            }
            // RFC 5322 §2.2.3: a line starting with white space continues the previous field.
            int end = pos + eol;
            while (end + 2 < entity.Length && entity[end + 2] is (byte)' ' or (byte)'\t')
            {
                int next = entity[(end + 2)..].IndexOf("\r\n"u8);
                if (next < 0) throw new SmimeFormatException("a folded MIME header is not terminated");
                end = end + 2 + next;
            }
            string line = Encoding.UTF8.GetString(entity[pos..end]).Replace("\r\n", string.Empty, StringComparison.Ordinal);
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new SmimeFormatException($"a MIME header line has no name: '{Truncate(line)}'");
            string name = line[..colon].Trim();
            foreach (char c in name)
            {
                if (c is <= ' ' or >= (char)127) throw new SmimeFormatException($"bad MIME header name '{Truncate(name)}'");
            }
            if (headers.Count == MaxHeaders) throw new SmimeFormatException("too many MIME header lines");
            headers.Add(new KeyValuePair<string, string>(name, line[(colon + 1)..].Trim()));
            pos = end + 2;
        }
        return new MimeEntity(headers, entity[pos..].ToArray());
    }

    /// <summary>Writes "Name: value" CRLF lines, an empty line and <paramref name="body"/>.</summary>
    public static byte[] Write(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body)
    {
        using var stream = new MemoryStream(body.Length + 128);
        foreach (KeyValuePair<string, string> h in headers)
        {
            stream.Write(Encoding.UTF8.GetBytes(h.Key + ": " + h.Value + "\r\n"));
        }
        stream.Write("\r\n"u8);
        stream.Write(body);
        return stream.ToArray();
    }

    /// <summary>RFC 8551 §3.1.1: text is signed and encrypted in canonical form, lines ending in CRLF.
    /// Bare LF and bare CR become CRLF; other media types are left as they are (SIP carries 8-bit data).</summary>
    public static byte[] Canonicalize(string contentType, ReadOnlySpan<byte> body)
    {
        if (!contentType.TrimStart().StartsWith("text/", StringComparison.OrdinalIgnoreCase)) return body.ToArray();
        using var stream = new MemoryStream(body.Length + 16);
        for (int i = 0; i < body.Length; i++)
        {
            byte b = body[i];
            if (b == (byte)'\r')
            {
                stream.Write("\r\n"u8);
                if (i + 1 < body.Length && body[i + 1] == (byte)'\n') i++;
            }
            else if (b == (byte)'\n')
            {
                stream.Write("\r\n"u8);
            }
            else
            {
                stream.WriteByte(b);
            }
        }
        return stream.ToArray();
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
