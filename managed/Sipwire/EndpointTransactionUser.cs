// The transaction user an Endpoint installs: forwards to the application's user, or answers by default.
// SPDX-License-Identifier: MIT

using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire;

/// <summary>
/// Forwards every upcall to <see cref="Endpoint.User"/>. Without one, the endpoint still behaves
/// as a correct UAS: OPTIONS gets 200 (§11.2), CANCEL'd INVITEs get 487 (§9.2), every other
/// request 501 Not Implemented (§21.5.2) and nothing is left hanging.
/// </summary>
internal sealed class EndpointTransactionUser(Endpoint endpoint) : ITransactionUser
{
    private static readonly byte[] s_tag = "sw0"u8.ToArray();

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        if (endpoint.User is { } u)
        {
            u.OnRequest(transaction, request);
            return;
        }
        if (request.Method == SipMethod.Options) endpoint.Transactions.Respond(transaction, 200, "OK"u8, s_tag);
        else endpoint.Transactions.Respond(transaction, 501, "Not Implemented"u8, s_tag);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => endpoint.User?.OnAck(transaction, ack, source);

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        if (endpoint.User is { } u) u.OnCancel(invite, cancel);
        else endpoint.Transactions.Respond(invite, 487, "Request Terminated"u8, s_tag);
    }

    public void OnResponse(Transaction transaction, SipMessage response) => endpoint.User?.OnResponse(transaction, response);

    public void OnStrayResponse(SipMessage response, in PeerAddress source) => endpoint.User?.OnStrayResponse(response, source);

    public void OnError(Transaction transaction, TransactionError failure) => endpoint.User?.OnError(transaction, failure);

    public void OnTerminated(Transaction transaction) => endpoint.User?.OnTerminated(transaction);
}
