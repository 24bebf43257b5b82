// Stateless forwarding (RFC 3261 §16.11): requests to one target with a branch that retransmissions reproduce, responses by their Via.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

public sealed partial class SipProxy
{
    private readonly List<ProxyTarget> _statelessTargets = [];

    /// <summary>
    /// §16.11: forwards a request without keeping state. A stateless proxy does not fork: the first (highest q)
    /// target is used. The branch is computed from the request, so a retransmission, and the CANCEL or non-2xx ACK
    /// of an INVITE (same top Via, §9.1, §17.1.1.3), get the branch the INVITE got.
    /// </summary>
    private void ForwardStateless(SipMessage request, in PeerAddress source)
    {
        bool ack = request.Method == SipMethod.Ack;
        _statelessTargets.Clear();
        Analysis a = Analyze(request, source, _statelessTargets, includeAuthInLoopHash: !_options.Stateless);
        if (a.Status == 0) ApplyPathPolicy(request, ref a);
        if (a.Status != 0)
        {
            // §17: an ACK is never answered.
            if (ack) return;
            int n = WriteLocalResponse(request, source, a.Status, a.Reason, a.ExtraHeader);
            if (n > 0) _layer.SendStateless(_buffer.AsSpan(0, n), TransactionLayer.ResponseDestination(request, source));
            if (Logged is not null) Log(request, source, a.Status, a.Reason, 0);
            return;
        }
        if (!PrepareTarget(_statelessTargets[0], a.Routes, out string requestUri, out List<string>? routes, out PeerAddress destination))
        {
            Dropped++;
            if (ack) return;
            int n = WriteLocalResponse(request, source, 404, "Not Found - Unresolvable Destination", null);
            if (n > 0) _layer.SendStateless(_buffer.AsSpan(0, n), TransactionLayer.ResponseDestination(request, source));
            if (Logged is not null) Log(request, source, 404, "Not Found - Unresolvable Destination", 0);
            return;
        }
        // §16.11: the transaction part is a hash of the received top Via (its branch identifies the upstream transaction).
        ulong part = ProxyBranchId.Hash(request.TopVia.Value, _instance);
        int viaLength = WriteOurVia(destination, a.Loop, part);
        Span<byte> uri = stackalloc byte[1024];
        int uriLength = Encoding.UTF8.GetBytes(requestUri, uri);
        int length = ProxyMessageWriter.WriteRequest(a.Forward ?? request, source, uri[..uriLength], routes, _viaBuffer.AsSpan(0, viaLength),
            WantsRecordRoute(request) ? EdgeRecordRoute(RecordRouteFor(request, source.Protocol, destination.Protocol), _statelessTargets[0].Flow ?? source) : [], _buffer, PathHeaders(a.AddPath, a.AddRequirePath, source, destination.Protocol));
        if (length < 0)
        {
            Dropped++;
            return;
        }
        _layer.SendStateless(_buffer.AsSpan(0, length), destination);
        StatelessForwarded++;
        if (Logged is not null) Log(request, source, 0, "forwarded to " + destination, 1);
    }

    /// <summary>
    /// §16.11 / §16.7 step 3: the top Via must be ours; it is removed and the response goes where the next Via
    /// says (received/rport per §18.2.2 and RFC 3581 §4). Anything else is dropped.
    /// </summary>
    private void ForwardResponseStateless(SipMessage response)
    {
        if (!IsLocalSentBy(response.TopVia))
        {
            Dropped++;
            return;
        }
        PeerAddress? destination = null;
        int index = 0;
        foreach (SipVia via in response.Vias)
        {
            if (index++ == 1)
            {
                destination = ViaDestination(via);
                break;
            }
        }
        if (destination is null)
        {
            Dropped++;
            return;
        }
        int length = ProxyMessageWriter.WriteResponse(response, null, _buffer);
        if (length < 0)
        {
            Dropped++;
            return;
        }
        _layer.SendStateless(_buffer.AsSpan(0, length), destination.Value);
        StatelessResponses++;
    }

    /// <summary>§18.2.2 for a Via value: received (or the sent-by host), rport (or the sent-by port, 5060 by default).</summary>
    private PeerAddress? ViaDestination(SipVia via)
    {
        ReadOnlySpan<byte> t = via.Transport;
        TransportProtocol protocol = Ascii.EqualsIgnoreCase(t, "TCP"u8) ? TransportProtocol.Tcp
            : Ascii.EqualsIgnoreCase(t, "TLS"u8) ? TransportProtocol.Tls : TransportProtocol.Udp;
        ReadOnlySpan<byte> hostBytes = via.HasReceived ? via.Received : via.Host;
        int port = via.RPort > 0 ? via.RPort : via.Port > 0 ? via.Port : protocol == TransportProtocol.Tls ? 5061 : 5060;
        Span<char> host = stackalloc char[64];
        if (hostBytes.Length > host.Length) return null;
        int n = Encoding.ASCII.GetChars(hostBytes, host);
        ReadOnlySpan<char> h = host[..n];
        if (h.Length > 2 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        if (IPAddress.TryParse(h, out IPAddress? ip)) return PeerAddress.FromEndPoint(protocol, new IPEndPoint(ip, port));
        return _options.Resolve?.Invoke(new SipUri(false, null, h.ToString(), port));
    }
}
