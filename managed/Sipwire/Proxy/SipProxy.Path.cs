// Path on REGISTER forwarded by an edge proxy (RFC 3327 §5.2), with the flow token that brings requests back to the UA's flow.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

public sealed partial class SipProxy
{
    private readonly byte[] _pathBuffer = new byte[512];
    private readonly byte[] _recordRouteBuffer = new byte[1024];
    private readonly List<string> _optionTags = [];

    /// <summary>
    /// RFC 3327 §5.2 for a REGISTER this proxy forwards while it has a next hop (the edge-proxy role): it wants to stay
    /// on the path for requests toward the UA, so it adds Path. "Intermediate proxies SHOULD NOT add a Path header field
    /// to a request unless the UA has indicated support for this extension with a Supported header field value": with
    /// <see cref="PathMode.Supported"/> a REGISTER without Supported: path gets 421 with Require: path ("If the UA has
    /// not indicated support for the extension and the proxy requires support for it in the registrar, the proxy
    /// SHOULD reject the request with a 421"). The proxy requires the registrar to keep the Path - without it calls
    /// would bypass the flow - so it adds Require: path (§5.2), and a registrar without Path support answers 420
    /// instead of silently registering a contact this proxy can never reach.
    /// </summary>
    private void ApplyPathPolicy(SipMessage request, ref Analysis a)
    {
        if (request.Method != SipMethod.Register || _nextHopRoute is null || _options.PathMode == PathMode.Off) return;
        bool supported = HasOptionTag(request, SipHeaderKind.Supported, "path");
        bool required = HasOptionTag(request, SipHeaderKind.Require, "path");
        if (!supported && !required && _options.PathMode == PathMode.Supported)
        {
            a.Status = 421;
            a.Reason = "Extension Required";
            a.ExtraHeader = "Require: path";
            return;
        }
        a.AddPath = true;
        a.AddRequirePath = !required;
    }

    private bool HasOptionTag(SipMessage request, SipHeaderKind kind, string tag)
    {
        _optionTags.Clear();
        SipTypedHeaders.TryGetTokens(request, kind, _optionTags);
        return _optionTags.Exists(t => t.Equals(tag, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The header lines added to a forwarded REGISTER: our Path URI with the flow token of <paramref name="flow"/> in its
    /// user part (RFC 5626 §5.2 style; a Route to it comes back to <see cref="Analyze"/>), loose-routing (RFC 3327 §4:
    /// Path values are used as Route values), naming the transport the registrar side reaches us by (§19.1.1); then
    /// Require: path when asked. Empty when no Path is added.
    /// </summary>
    private ReadOnlySpan<byte> PathHeaders(bool addPath, bool addRequire, in PeerAddress flow, TransportProtocol toward)
    {
        if (!addPath) return [];
        var w = new SipMessageWriter(_pathBuffer);
        w.Append("Path: <sip:"u8);
        w.AppendText(_flowTokens.Encode(flow));
        w.Append((byte)'@');
        w.Append(_sentBy);
        w.Append(toward switch
        {
            TransportProtocol.Tcp => ";transport=tcp"u8,
            TransportProtocol.Tls => ";transport=tls"u8,
            _ => [],
        });
        w.Append(";lr>\r\n"u8);
        if (addRequire) w.Append("Require: path\r\n"u8);
        return w.Overflowed ? [] : _pathBuffer.AsSpan(0, w.Length);
    }

    /// <summary>
    /// An edge proxy (one with a next hop) record-routes with the flow token of the flow on the UA's side of the
    /// dialog - the flow the request goes to, or else the one it came from - in every value of ours (RFC 5626 §5.3:
    /// "the proxy ... Record-Routes with the flow token"), so the dialog's later requests from the far side reach a UA
    /// whose Contact is not reachable (NAT), and requests arriving on that same flow are routed onward as usual.
    /// Other proxies record-route with the plain URI.
    /// </summary>
    private ReadOnlySpan<byte> EdgeRecordRoute(ReadOnlySpan<byte> recordRoute, in PeerAddress flow)
    {
        if (_nextHopRoute is null || recordRoute.IsEmpty) return recordRoute;
        string token = _flowTokens.Encode(flow);
        var w = new SipMessageWriter(_recordRouteBuffer);
        int i = 0;
        while (i < recordRoute.Length)
        {
            // Each value is "<sip:host:port;...>" or "<sips:...>": the token goes in as the user part.
            int lt = recordRoute[i..].IndexOf((byte)'<');
            int colon = lt < 0 ? -1 : recordRoute[(i + lt)..].IndexOf((byte)':');
            if (colon < 0)
            {
                w.Append(recordRoute[i..]);
                break;
            }
            int at = i + lt + colon + 1;
            w.Append(recordRoute[i..at]);
            w.AppendText(token);
            w.Append((byte)'@');
            i = at;
        }
        return w.Overflowed ? recordRoute : _recordRouteBuffer.AsSpan(0, w.Length);
    }
}
