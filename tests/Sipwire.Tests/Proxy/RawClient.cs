// A bare transaction layer on the simulated network that sends hand-written requests and keeps the responses' text.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Proxy;

internal sealed class RawClient
{
    private int _n;

    public RawClient(SimNetwork net, string address)
    {
        Recorder = new RecordingUser();
        Node = new SimNode(net, address, user: Recorder);
        Recorder.OnResponseHook = (_, r) => Responses.Add(SipMessage.ToText(r.Span));
        Recorder.OnStrayHook = (r, _) => Responses.Add(SipMessage.ToText(r.Span));
    }

    public SimNode Node { get; }

    public RecordingUser Recorder { get; }

    public PeerAddress Address => Node.Address;

    public List<string> Responses { get; } = [];

    /// <summary>Sends "METHOD uri" with the given extra header lines (each ending CRLF) through a client transaction.</summary>
    public Transaction? Send(PeerAddress to, string method, string uri, string extra = "", int maxForwards = 70, string body = "")
    {
        _n++;
        string host = Address.ToString()["UDP:".Length..];
        string text = $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {host};branch=z9hG4bKraw{_n}x{Node.GetHashCode():x}\r\n" +
            (maxForwards >= 0 ? $"Max-Forwards: {maxForwards}\r\n" : "") +
            $"From: <sip:raw@{ProxyNode.Domain}>;tag=r{_n}\r\nTo: <{uri}>\r\nCall-ID: raw{_n}@test\r\nCSeq: 1 {method}\r\n" +
            extra + (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;
        return Node.Layer.SendRequest(Encoding.UTF8.GetBytes(text), to);
    }
}
