// One dialog (RFC 3261 §12): identifiers, sequence numbers, route set and remote target.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using Sipwire.Transport;

namespace Sipwire.Dialogs;

/// <summary>The state a UA keeps for one dialog (§12). Owned and updated by <see cref="DialogLayer"/>.</summary>
public sealed class Dialog
{
    internal Dialog(bool isUac, string callId, string localTag, string remoteTag)
    {
        IsUac = isUac;
        CallId = callId;
        LocalTag = localTag;
        RemoteTag = remoteTag;
    }

    /// <summary>True when this side sent the request that created the dialog.</summary>
    public bool IsUac { get; }

    /// <summary>Early, Confirmed or Terminated.</summary>
    public DialogState State { get; internal set; }

    /// <summary>The Call-ID (§12: part of the dialog ID).</summary>
    public string CallId { get; }

    /// <summary>Our tag (§12).</summary>
    public string LocalTag { get; }

    /// <summary>The peer's tag (§12).</summary>
    public string RemoteTag { get; }

    /// <summary>Our From value in requests we send (local URI with our tag).</summary>
    public string LocalHeader { get; internal set; } = "";

    /// <summary>Our To value in requests we send (remote URI with the peer's tag).</summary>
    public string RemoteHeader { get; internal set; } = "";

    /// <summary>The remote target: the peer's Contact URI (§12.1.1, §12.1.2; refreshed by target refresh requests).</summary>
    public string RemoteTarget { get; internal set; } = "";

    /// <summary>The route set in the order requests carry it (§12.1.1: as received; §12.1.2: reversed).</summary>
    public List<string> RouteSet { get; } = [];

    /// <summary>Local CSeq number: the last one used in a request we sent (§12.2.1.1).</summary>
    public uint LocalSeq { get; internal set; }

    /// <summary>Remote CSeq number, 0 while empty (§12.2.2).</summary>
    public uint RemoteSeq { get; internal set; }

    /// <summary>True when the dialog was created over TLS with a sips Request-URI (§12.1.1).</summary>
    public bool Secure { get; internal set; }

    /// <summary>
    /// Where requests of this dialog go while its route set is empty, instead of the remote target's own address;
    /// empty (the default) follows the remote target. For a peer behind NAT whose Contact is not reachable: the
    /// flow or source address its registration came from (RFC 5626 §5.3).
    /// </summary>
    public PeerAddress Flow { get; set; }

    /// <summary>Free slot for the UA.</summary>
    public object? UserData { get; set; }

    // UAC: the ACK sent for the 2xx, re-sent on 2xx retransmissions (§13.2.2.4).
    internal byte[]? _ack;
    internal PeerAddress _ackDestination;
    internal uint _ackSeq;                 // CSeq of the INVITE whose 2xx _ack acknowledges
    internal uint _inviteSeq;
    internal bool _ackDeferred;            // a 2xx (CSeq _ackSeq) is confirmed but its ACK waits for DialogLayer.SendAck

    // UAS: the 2xx retransmitted until the ACK arrives (§13.3.1.4).
    internal byte[]? _success;
    internal PeerAddress _successDestination;
    internal long _retransmitAt = long.MaxValue;
    internal long _retransmitInterval;
    internal long _giveUpAt = long.MaxValue;

    internal string Key => DialogLayer.MakeKey(CallId, LocalTag, RemoteTag);

    /// <inheritdoc />
    public override string ToString() => $"{(IsUac ? "UAC" : "UAS")} {State} {CallId} {LocalTag}/{RemoteTag}";
}
