// A scripted redirect server on the simulated network: answers every INVITE with the 3xx its script gives for the Request-URI.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

internal sealed class CallRedirectServer : ITransactionUser
{
    private readonly Func<string, (int Code, string Reason, string Headers)> _script;
    private readonly byte[] _buffer = new byte[4096];

    /// <param name="script">Request-URI -> status, reason and extra header lines (Contact: ...\r\n).</param>
    public CallRedirectServer(SimNetwork net, string address, Func<string, (int Code, string Reason, string Headers)> script)
    {
        _script = script;
        Node = new SimNode(net, address, user: this);
    }

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public List<string> RequestUris { get; } = [];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        string uri = SipMessage.ToText(request.RequestUri);
        RequestUris.Add(uri);
        (int code, string reason, string headers) = _script(uri);
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, code, Encoding.UTF8.GetBytes(reason), "redir"u8);
        w.AppendText(headers);
        w.End();
        Node.Layer.Respond(transaction, w.Written);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
    }

    public void OnResponse(Transaction transaction, SipMessage response)
    {
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
    }

    public void OnError(Transaction transaction, TransactionError failure)
    {
    }

    public void OnTerminated(Transaction transaction)
    {
    }
}
