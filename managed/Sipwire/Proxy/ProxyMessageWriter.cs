// Writes the requests and responses a proxy forwards (RFC 3261 §16.6, §16.7 step 9, §16.11) from the received bytes.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>
/// Copies a received message header by header into a caller buffer with the proxy's changes. Header
/// fields it does not touch keep their names, values and order (§16.6 step 1: "copy of the received
/// request"); Content-Length is rewritten for the body carried over.
/// </summary>
internal static class ProxyMessageWriter
{
    /// <summary>
    /// The forwarded request (§16.6 steps 2-8): new Request-URI, our Via on top (the received top Via with
    /// received/rport filled, §18.2.1 and RFC 3581 §4), our Record-Route on top, the Route set given, Max-Forwards
    /// decremented (or 70 when absent). <paramref name="extraHeaders"/> are complete header lines (each ending in CRLF)
    /// written after Record-Route, or empty.
    /// </summary>
    /// <returns>The length written, or -1 when it does not fit.</returns>
    public static int WriteRequest(SipMessage request, in PeerAddress source, ReadOnlySpan<byte> requestUri, List<string>? routes,
        ReadOnlySpan<byte> ourVia, ReadOnlySpan<byte> recordRoute, Span<byte> destination, ReadOnlySpan<byte> extraHeaders = default)
    {
        var w = new SipMessageWriter(destination);
        w.RequestLine(request.MethodName, requestUri);
        w.Header("Via"u8, ourVia);
        if (!recordRoute.IsEmpty) w.Header("Record-Route"u8, recordRoute);
        // Whole header lines the proxy adds (RFC 3327 §5.2: our Path as the topmost Path value, so before the copied ones).
        if (!extraHeaders.IsEmpty) w.Append(extraHeaders);
        if (routes is not null)
        {
            foreach (string r in routes)
            {
                w.Append("Route: "u8);
                w.AppendText(r);
                w.Append("\r\n"u8);
            }
        }
        ReadOnlySpan<byte> s = request.Span;
        bool firstVia = true;
        for (int i = 0; i < request.HeaderCount; i++)
        {
            SipHeaderEntry h = request.GetHeader(i);
            switch (h.Kind)
            {
                // §16.4 / §16.6 step 5-6: the Route set is rewritten from what route preprocessing left (our own
                // value removed), so the received Route fields are never copied - also not when none are left.
                case SipHeaderKind.Route:
                case SipHeaderKind.MaxForwards:
                case SipHeaderKind.ContentLength:
                    continue;
                case SipHeaderKind.Via when firstVia:
                    firstVia = false;
                    w.Append(h.Name.Slice(s));
                    w.Append(": "u8);
                    WriteReceivedVia(ref w, request, h.Value.Slice(s), source);
                    w.Append("\r\n"u8);
                    continue;
                default:
                    w.Header(h.Name.Slice(s), h.Value.Slice(s));
                    continue;
            }
        }
        // §16.6 step 3: decrement, or add with 70 (the request was checked for 0 before, §16.3 step 3).
        w.Header("Max-Forwards"u8, request.MaxForwards < 0 ? 70 : request.MaxForwards - 1);
        w.EndWithBody(request.Body);
        return w.Overflowed ? -1 : w.Length;
    }

    /// <summary>
    /// The response without its top Via value (§16.7 step 3, §16.11), plus the challenge header fields
    /// of the other 401/407 responses (§16.7 step 7) when <paramref name="challenges"/> is given.
    /// </summary>
    /// <returns>The length written, or -1 when it does not fit.</returns>
    public static int WriteResponse(SipMessage response, List<(string Name, string Value)>? challenges, Span<byte> destination)
    {
        var w = new SipMessageWriter(destination);
        w.StatusLine(response.StatusCode, response.ReasonPhrase);
        ReadOnlySpan<byte> s = response.Span;
        bool firstVia = true;
        for (int i = 0; i < response.HeaderCount; i++)
        {
            SipHeaderEntry h = response.GetHeader(i);
            if (h.Kind == SipHeaderKind.ContentLength) continue;
            if (challenges is not null && h.Kind is SipHeaderKind.WwwAuthenticate or SipHeaderKind.ProxyAuthenticate) continue;
            if (h.Kind == SipHeaderKind.Via && firstVia)
            {
                firstVia = false;
                ReadOnlySpan<byte> v = h.Value.Slice(s);
                int pos = 0;
                HeaderList.Next(v, ref pos, out _);
                if (HeaderList.Next(v, ref pos, out Range rest))
                {
                    w.Header(h.Name.Slice(s), v[rest.Start.Value..].TrimEnd(" \t"u8));
                }
                continue;
            }
            w.Header(h.Name.Slice(s), h.Value.Slice(s));
        }
        if (challenges is not null)
        {
            foreach ((string name, string value) in challenges)
            {
                w.AppendText(name);
                w.Append(": "u8);
                w.AppendText(value);
                w.Append("\r\n"u8);
            }
        }
        w.EndWithBody(response.Body);
        return w.Overflowed ? -1 : w.Length;
    }

    // §18.2.1: received when the sent-by host is not the packet's source; RFC 3581 §4: rport filled and received
    // always added when the client asked for rport. Only the first value of the line is changed.
    private static void WriteReceivedVia(ref SipMessageWriter w, SipMessage request, ReadOnlySpan<byte> line, in PeerAddress source)
    {
        SipVia via = request.TopVia;
        ReadOnlySpan<byte> top = via.Value;
        Span<byte> host = stackalloc byte[48];
        int hostLength = source.IsEmpty ? 0 : source.FormatHost(host);
        bool needReceived = hostLength > 0 && (via.HasRPort || !Ascii.EqualsIgnoreCase(via.Host, host[..hostLength]));
        if (hostLength == 0 || (!via.HasRPort && !needReceived) || top.Length > line.Length || !line[..top.Length].SequenceEqual(top))
        {
            w.Append(line);
            return;
        }
        int semi = top.IndexOf((byte)';');
        w.Append(semi < 0 ? top : top[..semi]);
        while (semi >= 0)
        {
            ReadOnlySpan<byte> rest = top[(semi + 1)..];
            int next = rest.IndexOf((byte)';');
            ReadOnlySpan<byte> param = next < 0 ? rest : rest[..next];
            semi = next < 0 ? -1 : semi + 1 + next;
            int eq = param.IndexOf((byte)'=');
            ReadOnlySpan<byte> name = (eq >= 0 ? param[..eq] : param).Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "received"u8)) continue;
            w.Append((byte)';');
            if (Ascii.EqualsIgnoreCase(name, "rport"u8))
            {
                w.Append("rport="u8);
                w.AppendInt(source.Port);
                continue;
            }
            w.Append(param);
        }
        if (needReceived)
        {
            w.Append(";received="u8);
            int n = source.FormatHost(host, bracketsForIPv6: false);
            w.Append(host[..n]);
        }
        w.Append(line[top.Length..]);
    }
}
