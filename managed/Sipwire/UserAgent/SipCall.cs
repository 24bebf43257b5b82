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

    /// <summary>Answers an incoming call with 200 and our SDP answer (§13.3.1.4).</summary>
    public bool Answer() => _core.AnswerCall(this);

    /// <summary>Rejects an incoming call that is still ringing with <paramref name="statusCode"/> (e.g. 486 Busy Here, 603 Decline).</summary>
    public bool Reject(int statusCode = 486, string reason = "Busy Here") => _core.RejectCall(this, statusCode, reason);

    /// <summary>Ends the call: CANCEL while an outgoing call rings (§9.1), BYE once established (§15.1), 603 for an unanswered incoming call.</summary>
    public bool Hangup() => _core.HangupCall(this);

    /// <summary>Puts the peer on hold: re-INVITE with a=sendonly (RFC 3264 §8.4).</summary>
    public bool Hold() => _core.Reoffer(this, SdpDirection.SendOnly);

    /// <summary>Takes the peer off hold: re-INVITE with a=sendrecv.</summary>
    public bool Resume() => _core.Reoffer(this, SdpDirection.SendRecv);

    internal void Raise(CallEvent e) => Changed?.Invoke(e);

    /// <inheritdoc />
    public override string ToString() => $"{(IsOutgoing ? "out" : "in")} {State} {CallId}";
}
