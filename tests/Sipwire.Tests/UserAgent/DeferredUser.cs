// A transaction user that forwards to a target set after the transaction layer exists.
// SPDX-License-Identifier: MIT

using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

internal sealed class DeferredUser : ITransactionUser
{
    public ITransactionUser? Target { get; set; }

    public void OnRequest(Transaction transaction, SipMessage request) => Target!.OnRequest(transaction, request);

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => Target!.OnAck(transaction, ack, source);

    public void OnCancel(Transaction invite, SipMessage cancel) => Target!.OnCancel(invite, cancel);

    public void OnResponse(Transaction transaction, SipMessage response) => Target!.OnResponse(transaction, response);

    public void OnStrayResponse(SipMessage response, in PeerAddress source) => Target!.OnStrayResponse(response, source);

    public void OnError(Transaction transaction, TransactionError failure) => Target!.OnError(transaction, failure);

    public void OnTerminated(Transaction transaction) => Target!.OnTerminated(transaction);
}
