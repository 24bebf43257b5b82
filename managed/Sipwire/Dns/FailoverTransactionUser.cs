// A transaction user that routes the upcalls of TargetFailover attempts to their failover, the rest to the inner user.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Dns;

/// <summary>
/// Wraps the transaction user of a layer so RFC 3263 failover stays out of it: a 503, timeout or
/// transport error that moved a <see cref="TargetFailover"/> to its next target never reaches
/// <see cref="Inner"/>; everything else (provisional responses, the final outcome, every
/// termination, server-side upcalls) is forwarded unchanged.
/// </summary>
public sealed class FailoverTransactionUser : ITransactionUser
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public FailoverTransactionUser(ITransactionUser inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The user that receives every upcall the failover does not consume.</summary>
    public ITransactionUser Inner { get; }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request) => Inner.OnRequest(transaction, request);

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => Inner.OnAck(transaction, ack, source);

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel) => Inner.OnCancel(invite, cancel);

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response)
    {
        if (TargetFailover.Of(transaction) is { } f && f.HandleResponse(transaction, response)) return;
        Inner.OnResponse(transaction, response);
    }

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source) => Inner.OnStrayResponse(response, source);

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure)
    {
        if (TargetFailover.Of(transaction) is { } f && f.HandleError(transaction, failure)) return;
        Inner.OnError(transaction, failure);
    }

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction)
    {
        TargetFailover.Of(transaction)?.HandleTerminated(transaction);
        Inner.OnTerminated(transaction);
    }
}
