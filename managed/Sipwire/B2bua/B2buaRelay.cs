// A request relayed inside a bridged call, waiting for the other leg's answer.
// SPDX-License-Identifier: MIT

using Sipwire.Dialogs;
using Sipwire.Transactions;

namespace Sipwire.B2bua;

/// <summary>The server transaction of one leg whose request went on to the other leg (a client transaction's UserData).</summary>
internal sealed class B2buaRelay
{
    public B2buaRelay(B2buaCall call, B2buaSide from, Transaction server, Dialog dialog, byte[] request)
    {
        Call = call;
        From = from;
        Server = server;
        Dialog = dialog;
        Request = request;
    }

    public B2buaCall Call { get; }

    /// <summary>The leg the request came from (its answer goes back there).</summary>
    public B2buaSide From { get; }

    public Transaction Server { get; }

    /// <summary>The dialog of <see cref="From"/>'s leg.</summary>
    public Dialog Dialog { get; }

    /// <summary>The request as received (to build the answer from).</summary>
    public byte[] Request { get; }

    /// <summary>The CSeq number of the relayed request on <see cref="From"/>'s leg.</summary>
    public uint CSeq { get; init; }

    /// <summary>A re-INVITE without SDP: the other leg's 2xx carries the offer, its ACK waits for the answer (RFC 3261 §14.2).</summary>
    public bool Offerless { get; init; }

    /// <summary>Session-Expires lines for the 2xx to <see cref="From"/> (RFC 4028 §9), or "".</summary>
    public string TimerLines { get; init; } = "";

    /// <summary>The interval negotiated for <see cref="From"/>'s leg by this request (0: none).</summary>
    public uint TimerSeconds { get; init; }

    /// <summary>True when that negotiation made the B2BUA the refresher of <see cref="From"/>'s leg.</summary>
    public bool TimerWeRefresh { get; init; }

    /// <summary>True once the final answer went back (RFC 6026: 2xx retransmissions still reach us; they are not relayed again).</summary>
    public bool Answered { get; set; }
}
