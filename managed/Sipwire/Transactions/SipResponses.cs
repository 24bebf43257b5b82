// Builds the head of a response from its request (§8.2.6) with the received/rport Via rules (§18.2.1, RFC 3581).
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Transactions;

/// <summary>Writes responses to a received request without allocating.</summary>
public static class SipResponses
{
    /// <summary>
    /// Writes the status line and the header fields copied from <paramref name="request"/> (§8.2.6.2):
    /// every Via in order (the top one with received/rport added, §18.2.1 and RFC 3581 §4), From,
    /// To (with <paramref name="toTag"/> added when the request had none and the status is not 100),
    /// Call-ID, CSeq, and for 100 Trying the Timestamp (§8.2.6.1). The caller adds its own header
    /// fields and ends the message with <see cref="SipMessageWriter.End"/> or EndWithBody.
    /// </summary>
    public static void WriteHead(ref SipMessageWriter w, SipMessage request, in PeerAddress source, int statusCode,
        ReadOnlySpan<byte> reason, ReadOnlySpan<byte> toTag)
    {
        ArgumentNullException.ThrowIfNull(request);
        w.StatusLine(statusCode, reason);
        ReadOnlySpan<byte> s = request.Span;
        bool first = true;
        for (int i = 0; i < request.HeaderCount; i++)
        {
            SipHeaderEntry h = request.GetHeader(i);
            if (h.Kind != SipHeaderKind.Via) continue;
            ReadOnlySpan<byte> value = h.Value.Slice(s);
            w.Append("Via: "u8);
            if (first)
            {
                first = false;
                ReadOnlySpan<byte> top = request.TopVia.Value;
                if (!source.IsEmpty && top.Length <= value.Length && value[..top.Length].SequenceEqual(top))
                {
                    WriteTopVia(ref w, request, top, source);
                    w.Append(value[top.Length..]);
                }
                else
                {
                    w.Append(value);
                }
            }
            else
            {
                w.Append(value);
            }
            w.Append("\r\n"u8);
        }
        // §12.1.1: a response that can create a dialog (101-299) carries every Record-Route of the
        // request, in order, so the caller's route set passes the record-routing proxies.
        if (statusCode is > 100 and < 300)
        {
            for (int i = request.IndexOfHeader(SipHeaderKind.RecordRoute); i >= 0; i = request.IndexOfHeader(SipHeaderKind.RecordRoute, i + 1))
            {
                w.Header("Record-Route"u8, request.GetHeaderValue(i));
            }
        }
        w.Header("From"u8, request.From.Value);
        w.Append("To: "u8);
        w.Append(request.To.Value);
        // §8.2.6.2: a UAS adds a To tag unless the request had one; 100 Trying may omit it.
        if (!request.To.HasTag && !toTag.IsEmpty && statusCode != 100)
        {
            w.Append(";tag="u8);
            w.Append(toTag);
        }
        w.Append("\r\n"u8);
        w.Header("Call-ID"u8, request.CallId);
        w.Append("CSeq: "u8);
        w.AppendInt(request.CSeqNumber);
        w.Append((byte)' ');
        w.Append(request.CSeqMethodName);
        w.Append("\r\n"u8);
        if (statusCode == 100 && request.TryGetHeaderValue(SipHeaderKind.Timestamp, out ReadOnlySpan<byte> ts))
        {
            w.Header("Timestamp"u8, ts);
        }
    }

    /// <summary>Writes a complete response without body and returns its length, or -1 when <paramref name="destination"/> is too small.</summary>
    public static int Write(SipMessage request, in PeerAddress source, int statusCode, ReadOnlySpan<byte> reason,
        ReadOnlySpan<byte> toTag, Span<byte> destination)
    {
        var w = new SipMessageWriter(destination);
        WriteHead(ref w, request, source, statusCode, reason, toTag);
        w.End();
        return w.Overflowed ? -1 : w.Length;
    }

    // §18.2.1: add received when the sent-by host differs from the packet source; RFC 3581 §4: with
    // rport present, fill rport with the source port and always add received.
    private static void WriteTopVia(ref SipMessageWriter w, SipMessage request, ReadOnlySpan<byte> top, in PeerAddress source)
    {
        SipVia via = request.TopVia;
        Span<byte> host = stackalloc byte[48];
        int hostLength = source.FormatHost(host);
        ReadOnlySpan<byte> sourceHost = host[..hostLength];
        bool needReceived = via.HasRPort || !Ascii.EqualsIgnoreCase(via.Host, sourceHost);
        if (!via.HasRPort && !needReceived)
        {
            w.Append(top);
            return;
        }
        // Copy the value parameter by parameter, dropping an old received and filling rport.
        int semi = top.IndexOf((byte)';');
        w.Append(semi < 0 ? top : top[..semi]);
        while (semi >= 0)
        {
            ReadOnlySpan<byte> rest = top[(semi + 1)..];
            int next = rest.IndexOf((byte)';');
            ReadOnlySpan<byte> param = next < 0 ? rest : rest[..next];
            semi = next < 0 ? -1 : semi + 1 + next;
            ReadOnlySpan<byte> name = param;
            int eq = param.IndexOf((byte)'=');
            if (eq >= 0) name = param[..eq];
            name = name.Trim(" \t"u8);
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
            // RFC 5118 §4.5: the received value of an IPv6 source is written without brackets
            // in RFC 3261's grammar (IPv6address); both forms are accepted by parsers.
            w.Append(";received="u8);
            int n = source.FormatHost(host, bracketsForIPv6: false);
            w.Append(host[..n]);
        }
    }
}
