// A stream connection that failed after the send was accepted (TLS handshake refused) ends the client transactions waiting on it (RFC 3261 §17.1.4).
// SPDX-License-Identifier: MIT

using Sipwire.Transport;

namespace Sipwire.Transactions;

public sealed partial class TransactionLayer
{
    /// <summary>
    /// Reports that the connection to <paramref name="remote"/> failed before anything came back over it
    /// (a TLS handshake refused: untrusted certificate, wrong name, no common cipher). The transport queued
    /// the requests while the handshake ran, so their send looked successful; §17.1.4 makes such a failure a
    /// transport error, which the user sees as a 503 (§8.1.3.1) at once instead of a Timer F timeout.
    /// </summary>
    /// <returns>How many client transactions were failed.</returns>
    public int FailConnection(in PeerAddress remote)
    {
        int failed = 0;
        long now = _clock.NowMicros;
        foreach (Transaction? t in _slots)
        {
            if (t is null || t._sendFailed || !t.Remote.SameEndPoint(remote)) continue;
            if (t.Kind is not (TransactionKind.InviteClient or TransactionKind.NonInviteClient)) continue;
            // Only transactions that heard nothing yet: a response proves an earlier connection worked.
            if (t.State is not (TransactionState.Calling or TransactionState.Trying)) continue;
            // Reported from the timer path, as a failed send is (Transmit), never from inside the transport.
            t._sendFailed = true;
            t._endAt = now;
            Arm(t);
            failed++;
        }
        return failed;
    }
}
