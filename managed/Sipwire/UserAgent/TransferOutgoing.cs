// Transferor state: our REFER in a call and the implicit subscription it creates (RFC 3515 §2.4.4).
// SPDX-License-Identifier: MIT

using Sipwire.Transactions;

namespace Sipwire.UserAgent;

/// <summary>One transfer we asked for: the REFER transaction, then the NOTIFYs of its subscription.</summary>
internal sealed class TransferOutgoing
{
    public TransferOutgoing(SipCall call, bool subscribe)
    {
        Call = call;
        Subscribe = subscribe;
    }

    /// <summary>The call being transferred (the REFER went in its dialog).</summary>
    public SipCall Call { get; }

    /// <summary>False when we sent Refer-Sub: false (RFC 4488).</summary>
    public bool Subscribe { get; }

    /// <summary>The REFER client transaction while it runs.</summary>
    public Transaction? Refer { get; set; }

    public int ReferGeneration { get; set; }

    /// <summary>The CSeq number of the REFER: the id of its subscription (RFC 3515 §2.4.6).</summary>
    public uint ReferSeq { get; set; }

    /// <summary>Accepted has been raised.</summary>
    public bool Accepted { get; set; }

    /// <summary>The last sipfrag status reported (0 before the first NOTIFY).</summary>
    public int LastStatus { get; set; }

    /// <summary>When we stop waiting for the next NOTIFY (clock microseconds), or long.MaxValue.</summary>
    public long Deadline { get; set; } = long.MaxValue;
}
