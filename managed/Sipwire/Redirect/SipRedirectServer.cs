// A sans-IO redirect server (RFC 3261 §8.3, §21.3.3): 302 with the location service's contacts, 404/480 when there are none.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Location;
using Sipwire.Proxy;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Redirect;

/// <summary>
/// Answers every request (other than ACK and CANCEL, which the transaction layer handles) for its domains with
/// 302 Moved Temporarily listing the bindings of the Request-URI's address-of-record, each with its q-value and
/// the seconds it has left (§8.3: "Contact header field ... with q and expires parameters"); 404 when nothing is
/// registered, 480 when everything registered has expired, 503 when a shared store is unreachable.
/// Not thread-safe: one endpoint thread drives it.
/// </summary>
public sealed class SipRedirectServer
{
    private readonly IReadOnlyList<string> _domains;
    private readonly ILocationService _location;
    private readonly List<LocationBinding> _bindings = [];

    /// <summary>Creates a redirect server for <paramref name="domains"/> reading <paramref name="location"/>.</summary>
    public SipRedirectServer(IReadOnlyList<string> domains, ILocationService location)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(location);
        if (domains.Count == 0) throw new ArgumentException("A redirect server needs at least one domain.", nameof(domains));
        _domains = domains;
        _location = location;
    }

    /// <summary>
    /// Writes the response to <paramref name="request"/> into <paramref name="destination"/> and returns its length
    /// (-1 when it does not fit); <paramref name="status"/> receives the status code.
    /// </summary>
    /// <param name="request">The request (not ACK).</param>
    /// <param name="source">Where it came from (the Via gets received/rport).</param>
    /// <param name="nowMs">Milliseconds on the location service's clock.</param>
    /// <param name="destination">Buffer for the response.</param>
    /// <param name="status">The status code written.</param>
    public int Process(SipMessage request, in PeerAddress source, long nowMs, Span<byte> destination, out int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethod.Ack) throw new ArgumentException("An ACK is never answered (RFC 3261 §17).", nameof(request));
        var w = new SipMessageWriter(destination);
        byte[] tag = new byte[16];
        BranchId.WriteRandomHex(tag);
        SipParseError scheme = SipRequestChecks.CheckRequestUriScheme(request);
        if (scheme != SipParseError.None || !SipUri.TryParse(request.RequestUri, out SipUri? uri))
        {
            status = scheme == SipParseError.UnsupportedUriScheme ? 416 : 400;
            return Simple(ref w, request, source, status, status == 416 ? "Unsupported URI Scheme"u8 : "Bad Request - Malformed Request-URI"u8, tag);
        }
        if (!Serves(uri!.Host) || uri.User is null)
        {
            // Not an address-of-record of ours: nothing to redirect to.
            status = 404;
            return Simple(ref w, request, source, 404, "Not Found - Not An Address-of-Record Of This Domain"u8, tag);
        }
        _bindings.Clear();
        switch (LocationQuery.Find(_location, SipRegistrar.Canonical(uri), nowMs, _bindings))
        {
            case LocationOutcome.NotFound:
                status = 404;
                return Simple(ref w, request, source, 404, "Not Found"u8, tag);
            case LocationOutcome.AllExpired:
                status = 480;
                return Simple(ref w, request, source, 480, "Temporarily Unavailable"u8, tag);
            case LocationOutcome.Unreachable:
                status = 503;
                SipResponses.WriteHead(ref w, request, source, 503, "Service Unavailable - Location Service Unreachable"u8, tag);
                w.Header("Retry-After"u8, 30);
                w.End();
                return w.Overflowed ? -1 : w.Length;
        }
        // §8.3 / §21.3.3: 302 with one Contact per binding; q so the client can try them in order (§8.1.3.4).
        status = 302;
        SipResponses.WriteHead(ref w, request, source, 302, "Moved Temporarily"u8, tag);
        foreach (LocationBinding b in _bindings)
        {
            w.Append("Contact: <"u8);
            w.Append(b.Contact);
            w.Append((byte)'>');
            if (b.QMillis >= 0)
            {
                w.Append(";q="u8);
                w.AppendText(FormatQ(b.QMillis));
            }
            w.Append(";expires="u8);
            w.AppendInt(b.SecondsLeft(nowMs));
            w.Append("\r\n"u8);
        }
        w.End();
        return w.Overflowed ? -1 : w.Length;
    }

    private static int Simple(ref SipMessageWriter w, SipMessage request, in PeerAddress source, int status, ReadOnlySpan<byte> reason, ReadOnlySpan<byte> tag)
    {
        SipResponses.WriteHead(ref w, request, source, status, reason, tag);
        w.End();
        return w.Overflowed ? -1 : w.Length;
    }

    /// <summary>q-value as §20.10 qvalue: "1", "0.5", "0.25", "0.125".</summary>
    private static string FormatQ(int qMillis)
    {
        if (qMillis >= 1000) return "1";
        string s = "0." + qMillis.ToString("D3", CultureInfo.InvariantCulture);
        return s.TrimEnd('0') is "0." ? "0" : s.TrimEnd('0');
    }

    private bool Serves(string host)
    {
        foreach (string d in _domains)
        {
            if (string.Equals(d, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
