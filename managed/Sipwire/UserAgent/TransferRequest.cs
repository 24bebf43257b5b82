// A REFER received in a call (RFC 3515 §2.4.2), offered to the application to accept or decline.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

/// <summary>
/// Raised through <see cref="SipCall.TransferRequested"/> when the peer asks us to call someone
/// (blind transfer) or to replace a call (attended transfer, a Replaces header in the Refer-To
/// URI). The request is accepted unless the handler calls <see cref="Decline"/>; the handler may
/// also set <see cref="Destination"/> (the next hop the new INVITE goes to).
/// </summary>
public sealed class TransferRequest
{
    internal TransferRequest(string referTo, string targetUri, string? replaces, string referredBy, bool reportsProgress, PeerAddress destination)
    {
        ReferTo = referTo;
        TargetUri = targetUri;
        Replaces = replaces;
        ReferredBy = referredBy;
        ReportsProgress = reportsProgress;
        Destination = destination;
    }

    /// <summary>The Refer-To URI as received, with its header part.</summary>
    public string ReferTo { get; }

    /// <summary>The Request-URI of the new INVITE: the Refer-To URI without its header part.</summary>
    public string TargetUri { get; }

    /// <summary>The Replaces value (unescaped, RFC 3891 §6.1) for an attended transfer, or null.</summary>
    public string? Replaces { get; }

    /// <summary>True for an attended transfer (the Refer-To URI carries Replaces).</summary>
    public bool IsAttended => Replaces is not null;

    /// <summary>Who asked: the Referred-By value of the REFER (RFC 3892), or its From URI when it had none.</summary>
    public string ReferredBy { get; }

    /// <summary>False when the transferor asked for no progress reports (Refer-Sub: false, RFC 4488) and we honour it.</summary>
    public bool ReportsProgress { get; }

    /// <summary>
    /// Where the new INVITE is sent: by default the Refer-To host when it is an IP address, else
    /// the first hop of the original call's route set; empty when neither applies (then the
    /// handler must set it, or the REFER is refused with 503).
    /// </summary>
    public PeerAddress Destination { get; set; }

    /// <summary>The status the REFER is refused with after <see cref="Decline"/>, 0 when accepted.</summary>
    public int DeclineStatus { get; private set; }

    /// <summary>The reason phrase that goes with <see cref="DeclineStatus"/>.</summary>
    public string DeclineReason { get; private set; } = "";

    /// <summary>Refuses the transfer (RFC 3515 §2.4.2: 603 Declined by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not 400-699.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> holds control characters.</exception>
    public void Decline(int statusCode = 603, string reason = "Declined")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        ArgumentNullException.ThrowIfNull(reason);
        foreach (char c in reason)
        {
            if (char.IsControl(c)) throw new ArgumentException("The reason phrase must not contain control characters.", nameof(reason));
        }
        DeclineStatus = statusCode;
        DeclineReason = reason;
    }
}
