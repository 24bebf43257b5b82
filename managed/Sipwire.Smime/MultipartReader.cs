// Splits a multipart body into its parts at the boundary delimiters (RFC 2046 §5.1.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;

namespace Sipwire.Smime;

/// <summary>Finds the body parts of a multipart entity, octet-exact (a signed part must be verified over exactly
/// the octets that were signed).</summary>
internal static class MultipartReader
{
    private const int MaxParts = 8;

    /// <summary>The (offset, length) of each body part of <paramref name="body"/>.</summary>
    /// <exception cref="SmimeFormatException">No opening delimiter, no close delimiter, or too many parts.</exception>
    public static List<Range> Split(ReadOnlySpan<byte> body, string boundary)
    {
        // RFC 2046 §5.1.1: boundary is 1..70 characters; the delimiter is CRLF "--" boundary, where the CRLF
        // belongs to the delimiter, not to the preceding part. The first delimiter may start the body.
        if (boundary.Length is 0 or > 70) throw new SmimeFormatException("the multipart boundary must be 1 to 70 characters");
        byte[] dash = Encoding.ASCII.GetBytes("--" + boundary);
        byte[] delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        int pos;
        if (body.StartsWith(dash))
        {
            pos = dash.Length;
        }
        else
        {
            int first = body.IndexOf(delimiter); // after a preamble
            if (first < 0) throw new SmimeFormatException("the multipart body has no opening boundary delimiter");
            pos = first + delimiter.Length;
        }
        var parts = new List<Range>();
        while (true)
        {
            if (body[pos..].StartsWith("--"u8)) break; // close delimiter
            pos = SkipToLineEnd(body, pos);
            int next = body[pos..].IndexOf(delimiter);
            if (next < 0) throw new SmimeFormatException("the multipart body has no closing boundary delimiter");
            if (parts.Count == MaxParts) throw new SmimeFormatException("the multipart body has too many parts");
            parts.Add(new Range(pos, pos + next));
            pos += next + delimiter.Length;
        }
        return parts;
    }

    // RFC 2046 §5.1.1: transport padding (LWSP) may follow a delimiter before its CRLF.
    private static int SkipToLineEnd(ReadOnlySpan<byte> body, int pos)
    {
        while (pos < body.Length && body[pos] is (byte)' ' or (byte)'\t') pos++;
        if (!body[pos..].StartsWith("\r\n"u8)) throw new SmimeFormatException("a multipart boundary delimiter is not followed by CRLF");
        return pos + 2;
    }
}
