// The four transaction state machines of RFC 3261 §17.
// SPDX-License-Identifier: MIT

namespace Sipwire.Transactions;

/// <summary>Which of the four RFC 3261 §17 state machines a transaction runs.</summary>
public enum TransactionKind
{
    /// <summary>INVITE client transaction (§17.1.1, RFC 6026 §7.2).</summary>
    InviteClient = 0,
    /// <summary>Non-INVITE client transaction (§17.1.2).</summary>
    NonInviteClient = 1,
    /// <summary>INVITE server transaction (§17.2.1, RFC 6026 §7.1).</summary>
    InviteServer = 2,
    /// <summary>Non-INVITE server transaction (§17.2.2).</summary>
    NonInviteServer = 3,
}
