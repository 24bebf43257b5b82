// Why a transaction ended without a final response.
// SPDX-License-Identifier: MIT

namespace Sipwire.Transactions;

/// <summary>The failure a transaction reports to its user (protocol outcomes are data, not exceptions).</summary>
public enum TransactionError
{
    /// <summary>No failure.</summary>
    None = 0,
    /// <summary>Timer B or F fired (client, §17.1.1.2, §17.1.2.2): the TU treats it as 408.</summary>
    Timeout = 1,
    /// <summary>Timer H fired (INVITE server, §17.2.1): no ACK arrived for the final response.</summary>
    AckTimeout = 2,
    /// <summary>The transport could not send (§17.1.4, §17.2.4): the TU treats it as 503.</summary>
    TransportError = 3,
    /// <summary>No final response within 64*T1 after a CANCEL (§9.1): the INVITE is considered cancelled.</summary>
    CancelTimeout = 4,
}
