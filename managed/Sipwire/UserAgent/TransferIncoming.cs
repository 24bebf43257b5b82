// Transferee state: a REFER we accepted, the call it placed and the NOTIFYs that report it (RFC 3515 §2.4.4-2.4.5).
// SPDX-License-Identifier: MIT

using Sipwire.Transactions;

namespace Sipwire.UserAgent;

/// <summary>One accepted REFER: the new call and the notifier side of its implicit subscription.</summary>
internal sealed class TransferIncoming
{
    public TransferIncoming(SipCall original, uint referSeq, bool notify)
    {
        Original = original;
        ReferSeq = referSeq;
        Notify = notify;
    }

    /// <summary>The call the REFER arrived in; its dialog carries the NOTIFYs.</summary>
    public SipCall Original { get; }

    /// <summary>The CSeq number of the REFER (the Event id, RFC 3515 §2.4.6).</summary>
    public uint ReferSeq { get; }

    /// <summary>True while the subscription exists and NOTIFYs are sent (false after Refer-Sub: false, a final NOTIFY, 481 or a timeout).</summary>
    public bool Notify { get; set; }

    /// <summary>The call placed to the Refer-To target.</summary>
    public SipCall? NewCall { get; set; }

    /// <summary>The NOTIFY in flight; one at a time so the reports arrive in order.</summary>
    public Transaction? InFlight { get; set; }

    public int InFlightGeneration { get; set; }

    /// <summary>The next sipfrag status line to report, or null.</summary>
    public string? Queued { get; set; }

    /// <summary>The queued report ends the subscription (Subscription-State: terminated).</summary>
    public bool QueuedFinal { get; set; }

    /// <summary>A terminated NOTIFY has been queued or sent.</summary>
    public bool Final { get; set; }

    /// <summary>The subscription expired before the outcome (reason=timeout).</summary>
    public bool TimedOut { get; set; }

    /// <summary>The last status line reported (for the timeout NOTIFY).</summary>
    public string LastFrag { get; set; } = "SIP/2.0 100 Trying";

    /// <summary>When the subscription expires (clock microseconds).</summary>
    public long ExpiresAt { get; set; } = long.MaxValue;
}
