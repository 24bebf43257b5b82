// One call (an INVITE dialog usage, RFC 3261 §13-15) with its offer/answer state.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dialogs;
using Sipwire.Sdp;
using Sipwire.Session;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

/// <summary>
/// A call placed with <see cref="UserAgentCore.Invite"/> or received through
/// <see cref="UserAgentCore.IncomingCall"/>. Its methods only act when the state allows and
/// return false otherwise; every outcome arrives as a <see cref="CallEvent"/>.
/// </summary>
public sealed partial class SipCall
{
    private readonly UserAgentCore _core;

    internal SipCall(UserAgentCore core, bool isOutgoing, string callId, SdpNegotiator negotiator)
    {
        _core = core;
        IsOutgoing = isOutgoing;
        CallId = callId;
        Negotiator = negotiator;
    }

    /// <summary>Raised for every event of this call, on the endpoint's thread.</summary>
    public event Action<CallEvent>? Changed;

    /// <summary>True for a call we placed (UAC).</summary>
    public bool IsOutgoing { get; }

    /// <summary>The SipCall-ID.</summary>
    public string CallId { get; }

    /// <summary>The current state.</summary>
    public CallState State { get; internal set; }

    /// <summary>The offer/answer state of the audio stream.</summary>
    public SdpNegotiator Negotiator { get; }

    /// <summary>The audio agreed last, or null before the answer.</summary>
    public NegotiatedAudio? Audio { get; internal set; }

    /// <summary>The dialog, once one exists.</summary>
    public Dialog? Dialog { get; internal set; }

    /// <summary>The remote party: To of an outgoing call, From of an incoming one.</summary>
    public string RemoteParty { get; internal set; } = "";

    /// <summary>Status of the final response or the reason the call ended (0 while it runs).</summary>
    public int EndStatus { get; internal set; }

    internal Transaction? _invite;          // UAC: the INVITE client transaction; UAS: the INVITE server transaction
    internal int _inviteGeneration;
    internal Transaction? _update;          // our re-INVITE in flight
    internal int _updateGeneration;
    internal SdpDirection _directionBeforeUpdate;
    internal byte[]? _inviteRequest;        // UAS: the INVITE (to build the 200 from)
    internal bool _offerInAck;              // UAS: the INVITE had no offer; ours went in the 200 (§13.2.1)
    internal string _localTag = "";
    internal string? _pendingAnswer;       // UAS: the SDP answer to put in the 200
    internal bool _reinviteOfferInAck;      // UAS: we offered in the 2xx to an offerless re-INVITE; the answer is in the ACK

    // UAC of the initial INVITE: what a 422 retry or a 3xx recursion re-sends (RFC 4028 §7.1, RFC 3261 §8.1.3.4).
    internal string _targetUri = "";
    internal string _requestUri = "";
    internal Sipwire.Transport.PeerAddress _destination;
    internal bool _direct;                  // the destination is the target URI's own address (no outbound proxy)
    internal uint _inviteCSeq;
    internal string _initialOffer = "";
    internal uint _requestedSessionExpires;
    internal uint _requestedMinSE;
    internal int _sessionRetries;
    internal int _redirects;
    internal readonly System.Collections.Generic.HashSet<string> _triedTargets = new(StringComparer.OrdinalIgnoreCase);
    internal readonly System.Collections.Generic.List<string> _targetSet = [];
    internal bool _answerReceived;          // UAC: the answer to our INVITE offer came (in a reliable 1xx or the 2xx)

    // RFC 3262 UAC: the RSeq of the last in-order reliable 1xx per early dialog (remote tag).
    internal readonly System.Collections.Generic.Dictionary<string, uint> _rseqByTag = new(StringComparer.Ordinal);

    // RFC 3262 UAS: one unacknowledged reliable 1xx at a time (§3).
    internal bool _peerSupports100rel;
    internal bool _peerRequires100rel;
    internal uint _nextRSeq;
    internal byte[]? _reliable;             // the reliable 1xx awaiting its PRACK
    internal uint _reliableRSeq;
    internal bool _reliableHasSdp;
    internal long _reliableAt = long.MaxValue;
    internal long _reliableInterval;
    internal long _reliableGiveUpAt = long.MaxValue;
    internal bool _progressQueued;          // a 183 with SDP waits for the PRACK of the 1xx before it
    internal bool _answerQueued;            // Answer() waits for the PRACK of a 1xx with SDP (§3)
    internal bool _earlyAnswerSent;         // the answer to the INVITE's offer went in a reliable 1xx

    // RFC 3311 / RFC 4028.
    internal bool _peerAllowsUpdate;
    internal bool _peerSupportsTimer;
    internal uint _peerSessionExpires;      // UAS: the INVITE's Session-Expires (0 = none)
    internal string? _peerRefresher;        // UAS: its refresher parameter
    internal uint _peerMinSE;
    internal long _refreshAt = long.MaxValue;
    internal long _expireAt = long.MaxValue;
    internal CallModifyMethod _updateMethod;
    internal bool _updateIsRefresh;
    internal SdpDirection _updateDirection;

    // RFC 3261 §14.1: the re-INVITE/UPDATE to re-send after a 491.
    internal long _glareRetryAt = long.MaxValue;
    internal int _glareRetries;
    internal CallModifyMethod _glareMethod;
    internal SdpDirection _glareDirection;
    internal bool _glareIsRefresh;

    /// <summary>The session interval in force (RFC 4028), or zero when the call runs without session timer.</summary>
    public TimeSpan SessionExpires { get; internal set; }

    /// <summary>True when this side refreshes the session (RFC 4028 refresher); the other side BYEs when refreshes stop.</summary>
    public bool IsRefresher { get; internal set; }

    /// <summary>True when the peer listed UPDATE in Allow, so <see cref="CallModifyMethod.Update"/> can be used (RFC 3311 §5.1).</summary>
    public bool PeerAllowsUpdate => _peerAllowsUpdate;

    /// <summary>Answers an incoming call with 200 and our SDP answer (§13.3.1.4).</summary>
    public bool Answer() => _core.AnswerCall(this);

    /// <summary>Rejects an incoming call that is still ringing with <paramref name="statusCode"/> (e.g. 486 Busy Here, 603 Decline).</summary>
    public bool Reject(int statusCode = 486, string reason = "Busy Here") => _core.RejectCall(this, statusCode, reason);

    /// <summary>Ends the call: CANCEL while an outgoing call rings (§9.1), BYE once established (§15.1), 603 for an unanswered incoming call.</summary>
    public bool Hangup() => _core.HangupCall(this);

    /// <summary>
    /// Sends a MESSAGE inside this call's dialog (RFC 3428 §7): the dialog's route set, CSeq and the
    /// call's digest credentials. The outcome arrives as one <see cref="UserAgentCore.MessageCompleted"/>
    /// event with the returned id; a 481 or 408 to it ends the call (RFC 3261 §12.2.1.2).
    /// </summary>
    /// <returns>The message id, or 0 when the call has no confirmed dialog (nothing sent, no event).</returns>
    /// <exception cref="ArgumentException">The content type is malformed.</exception>
    public int SendMessage(string contentType, ReadOnlySpan<byte> body) => _core.SendCallMessage(this, contentType, body);

    /// <summary>
    /// Puts the peer on hold: re-INVITE (confirmed dialog) or UPDATE (early or confirmed dialog, when
    /// the peer allows it) with a=sendonly (RFC 3264 §8.4, RFC 3311). A 491 is retried after the
    /// RFC 3261 §14.1 timer; the outcome arrives as MediaUpdated or UpdateFailed.
    /// </summary>
    public bool Hold(CallModifyMethod method = CallModifyMethod.ReInvite) => _core.Reoffer(this, SdpDirection.SendOnly, method);

    /// <summary>Takes the peer off hold: re-INVITE or UPDATE with a=sendrecv.</summary>
    public bool Resume(CallModifyMethod method = CallModifyMethod.ReInvite) => _core.Reoffer(this, SdpDirection.SendRecv, method);

    /// <summary>
    /// Incoming call still ringing: sends 183 Session Progress with our SDP answer (early media),
    /// reliably when the caller supports 100rel (RFC 3262 §5). Returns false when the state does not allow it.
    /// </summary>
    public bool Progress() => _core.SendProgress(this);

    internal void Raise(CallEvent e) => Changed?.Invoke(e);

    /// <inheritdoc />
    public override string ToString() => $"{(IsOutgoing ? "out" : "in")} {State} {CallId}";
}
