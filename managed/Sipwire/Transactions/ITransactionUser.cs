// Upcalls from the transaction layer to its transaction user (UA core, proxy core, dialog layer).
// SPDX-License-Identifier: MIT

using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Transactions;

/// <summary>
/// The transaction user (RFC 3261 §17: the layer above transactions). All calls happen on the
/// endpoint's thread, from inside <see cref="TransactionLayer.Receive"/> or
/// <see cref="TransactionLayer.ProcessTimers"/>. A <see cref="SipMessage"/> argument is valid only
/// during the call. A user may call back into the layer (respond, send) from any upcall.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A new request created a server transaction (never ACK or CANCEL; see the other upcalls).</summary>
    void OnRequest(Transaction transaction, SipMessage request);

    /// <summary>
    /// An ACK the server transactions do not absorb: the ACK for a 2xx (its own transaction per
    /// §17.1.1.3, handled by the UA core, §13.3.1.4), with <paramref name="transaction"/> null, or an
    /// ACK matching an INVITE server transaction in the Accepted state (RFC 6026 §7.1).
    /// </summary>
    void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source);

    /// <summary>
    /// A CANCEL matched the INVITE server transaction <paramref name="invite"/> while it had no final
    /// response; the layer has answered the CANCEL 200 (§9.2). The UAS core should now answer the
    /// INVITE 487 (Request Terminated).
    /// </summary>
    void OnCancel(Transaction invite, SipMessage cancel);

    /// <summary>A response matched a client transaction and is passed up (§17.1.1.2, §17.1.2.2, RFC 6026 §8.4).</summary>
    void OnResponse(Transaction transaction, SipMessage response);

    /// <summary>A response that matches no client transaction (a 2xx retransmission after the transaction ended, §13.2.2.4, or a stray).</summary>
    void OnStrayResponse(SipMessage response, in PeerAddress source);

    /// <summary>A transaction failed (timer or transport error); it terminates right after this call.</summary>
    void OnError(Transaction transaction, TransactionError failure);

    /// <summary>A transaction reached Terminated and left the table; its object is reused afterwards.</summary>
    void OnTerminated(Transaction transaction);
}
