// States of the RFC 3261 §17 state machines, with the RFC 6026 Accepted state.
// SPDX-License-Identifier: MIT

namespace Sipwire.Transactions;

/// <summary>The state of a transaction (RFC 3261 figures 5-8, RFC 6026 figures 5 and 7).</summary>
public enum TransactionState
{
    /// <summary>INVITE client: request sent, no response yet (Timers A and B).</summary>
    Calling = 0,
    /// <summary>Non-INVITE client or server: request sent / received, no response yet.</summary>
    Trying = 1,
    /// <summary>A provisional response was received (client) or sent (server).</summary>
    Proceeding = 2,
    /// <summary>A final response (300-699 for INVITE) was received or sent; absorbing retransmissions.</summary>
    Completed = 3,
    /// <summary>INVITE server: ACK received for a non-2xx final response (Timer I).</summary>
    Confirmed = 4,
    /// <summary>INVITE client or server: a 2xx was received or sent (RFC 6026 §7; Timers M and L).</summary>
    Accepted = 5,
    /// <summary>Finished; the transaction is removed from the table.</summary>
    Terminated = 6,
}
