// Transaction user of `sipwire redirect`: every request answered by the SipRedirectServer (302 / 404 / 480).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Redirect;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>A redirect server (RFC 3261 §8.3) reading the location service.</summary>
internal sealed class ServerRedirectUser(TransactionLayer layer, SipRedirectServer redirect, Func<long> nowMs, Action<string> log) : ITransactionUser
{
    private readonly byte[] _buffer = new byte[16384];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        int n = redirect.Process(request, transaction.Source, nowMs(), _buffer, out int status);
        if (n > 0) layer.Respond(transaction, _buffer.AsSpan(0, n));
        log($"{SipMessage.ToText(request.MethodName)} {SipMessage.ToText(request.RequestUri)} call-id={SipMessage.ToText(request.CallId)} from={transaction.Source} -> {status}");
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel) => layer.Respond(invite, 487, "Request Terminated"u8, "redir"u8);

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
