// One bridged call: the caller's dialog (B2BUA as UAS) and the callee's dialog (B2BUA as UAC).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Dialogs;
using Sipwire.Transactions;

namespace Sipwire.B2bua;

/// <summary>
/// A call bridged by <see cref="SipB2bua"/>: two independent dialogs with their own Call-IDs, tags and
/// CSeq spaces (topology hiding), joined only here.
/// </summary>
public sealed class B2buaCall
{
    internal B2buaCall(string callerCallId, string calleeCallId, string callerTag, string calleeTag)
    {
        CallerCallId = callerCallId;
        CalleeCallId = calleeCallId;
        CallerLocalTag = callerTag;
        CalleeLocalTag = calleeTag;
    }

    /// <summary>The Call-ID of the caller's leg.</summary>
    public string CallerCallId { get; }

    /// <summary>The Call-ID of the callee's leg (made by the B2BUA).</summary>
    public string CalleeCallId { get; }

    /// <summary>Our To tag towards the caller.</summary>
    public string CallerLocalTag { get; }

    /// <summary>Our From tag towards the callee.</summary>
    public string CalleeLocalTag { get; }

    /// <summary>The Request-URI the callee leg was sent to.</summary>
    public string TargetUri { get; internal set; } = "";

    /// <summary>True once the callee answered and the caller got the 2xx.</summary>
    public bool IsEstablished { get; internal set; }

    /// <summary>True once the call ended.</summary>
    public bool IsEnded { get; internal set; }

    /// <summary>The dialog with the caller, once a response with our tag went out.</summary>
    public Dialog? CallerDialog { get; internal set; }

    /// <summary>The dialog with the callee (the one that answered), once it exists.</summary>
    public Dialog? CalleeDialog { get; internal set; }

    internal Transaction? _callerInvite;    // the caller's INVITE server transaction while unanswered
    internal Transaction? _calleeInvite;    // our INVITE client transaction while unanswered
    internal byte[] _callerRequest = [];    // the caller's INVITE (to build its responses from)
    internal long _noAnswerAt = long.MaxValue;
    internal B2buaSide? _endedBy;           // the leg whose BYE ended the call
    internal bool _callerSupports100rel;    // Supported or Require: 100rel in the caller's INVITE (RFC 3262 §3)
    internal bool _callerRequires100rel;
    internal readonly Dictionary<string, uint> _calleeRSeq = new(StringComparer.Ordinal); // last RSeq PRACKed per callee To tag (§4)
    internal byte[]? _reliable;             // the caller's unacknowledged reliable 1xx, retransmitted until its PRACK
    internal uint _reliableRSeq;
    internal uint _nextRSeq;
    internal long _reliableAt = long.MaxValue;
    internal long _reliableInterval;
    internal long _reliableGiveUpAt = long.MaxValue;
    internal readonly Queue<(int Code, byte[] Reason, ReadOnlyMemory<byte> Sdp)> _reliableQueue = new();
    internal ReadOnlyMemory<byte> _earlyAnswer; // the callee's answer from a reliable 1xx (RFC 3262 §5), for the caller's 2xx
    internal readonly B2buaLegTimer _callerTimer = new(); // RFC 4028 per leg: each leg is its own session
    internal readonly B2buaLegTimer _calleeTimer = new();
    internal uint _calleeSessionExpires;    // the Session-Expires the callee leg's INVITE asks for (raised by a 422, §6)
    internal uint _calleeMinSE;
    internal int _calleeRetries;
    internal uint _calleeCSeq = 1;          // CSeq of the callee leg's current INVITE (a 422 retry takes the next)
    internal B2buaRoute _route;             // where the callee leg's INVITE goes
    internal ReadOnlyMemory<byte> _calleeOffer; // the offer the callee leg's INVITE carries (for a retry)
    internal readonly List<string> _targetSet = [];       // redirect targets not tried yet, best q first (RFC 3261 §8.1.3.4)
    internal readonly HashSet<string> _triedTargets = new(StringComparer.Ordinal);
    internal int _redirects;
    internal bool _delayedOffer;            // the caller's INVITE carried no offer (RFC 3261 §13.2.1)

    // An offer went out in a 2xx (to an offerless INVITE or re-INVITE): the answer arrives in the ACK on
    // _ackFrom (CSeq _ackFromSeq) and goes on in the ACK that _ackTo holds back (§13.2.1, RFC 3264 §5).
    internal Dialog? _ackFrom;
    internal Dialog? _ackTo;
    internal uint _ackFromSeq;
    internal int _offerMedia = -1;          // m= lines of that offer (RFC 3264 §6: the answer has as many), -1 unknown

    /// <inheritdoc />
    public override string ToString() => $"{CallerCallId} <-> {CalleeCallId}{(IsEnded ? " ended" : IsEstablished ? " up" : " setup")}";
}
