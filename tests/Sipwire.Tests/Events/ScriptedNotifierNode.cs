// A notifier on the simulated network whose every 200 and NOTIFY the test sends by hand (forks, NOTIFY before 200, silence).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Events;

internal sealed class ScriptedNotifierNode : ITransactionUser
{
    private readonly byte[] _buffer = new byte[8192];

    public ScriptedNotifierNode(SimNetwork net, string address)
    {
        Node = new SimNode(net, address, user: this);
    }

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public string HostPort => Address.ToString()["UDP:".Length..];

    /// <summary>SUBSCRIBE requests received (transaction and bytes).</summary>
    public List<(Transaction Transaction, byte[] Request)> Subscribes { get; } = [];

    /// <summary>Responses to our NOTIFYs.</summary>
    public List<int> NotifyResponses { get; } = [];

    private readonly List<PeerAddress> _sources = [];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        Subscribes.Add((transaction, request.Span.ToArray()));
        _sources.Add(transaction.Source);
    }

    /// <summary>Answers SUBSCRIBE number <paramref name="index"/> with 200, To tag and Expires.</summary>
    public void Accept(int index, string tag, int expires)
    {
        var m = new SipMessage();
        (Transaction t, byte[] bytes) = Subscribes[index];
        SipParser.Parse(bytes, SipFraming.Datagram, m);
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, m, t.Source, 200, "OK"u8, Encoding.ASCII.GetBytes(tag));
        w.Header("Expires"u8, expires);
        w.Append("Contact: <sip:notifier@"u8);
        w.AppendText(HostPort);
        w.Append(">\r\n"u8);
        w.End();
        Node.Layer.Respond(t, w.Written);
    }

    /// <summary>Sends a NOTIFY in the dialog of SUBSCRIBE <paramref name="index"/> as the notifier with tag <paramref name="tag"/>.</summary>
    public void Notify(int index, string tag, uint cseq, string state, string body = "", string? callId = null)
    {
        var m = new SipMessage();
        SipParser.Parse(Subscribes[index].Request, SipFraming.Datagram, m);
        string contact = SipMessage.ToText(m.Contact.Uri);
        string text = $"NOTIFY {contact} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n"
            + $"From: <{SipMessage.ToText(m.RequestUri)}>;tag={tag}\r\nTo: {SipMessage.ToText(m.From.Value)}\r\nCall-ID: {callId ?? SipMessage.ToText(m.CallId)}\r\n"
            + $"CSeq: {cseq} NOTIFY\r\nContact: <sip:notifier@{HostPort}>\r\nEvent: {SipMessage.ToText(m.TryGetHeaderValue(SipHeaderKind.Event, out ReadOnlySpan<byte> e) ? e : default)}\r\n"
            + $"Subscription-State: {state}\r\n" + (body.Length > 0 ? "Content-Type: text/plain\r\n" : "") + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        // The SUBSCRIBE's transaction may have ended (a final response over UDP ends the TU's view of it, §17.2.2):
        // the NOTIFY goes where the SUBSCRIBE came from, as recorded on arrival.
        Transaction? t = Node.Layer.SendRequest(Encoding.UTF8.GetBytes(text), _sources[index]);
        if (t is null) throw new InvalidOperationException("NOTIFY not sent");
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
    }

    public void OnResponse(Transaction transaction, SipMessage response)
    {
        if (response.StatusCode >= 200) NotifyResponses.Add(response.StatusCode);
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
    }

    public void OnError(Transaction transaction, TransactionError failure) => NotifyResponses.Add(408);

    public void OnTerminated(Transaction transaction)
    {
    }
}
