// The UA core's call side: INVITE as UAC and UAS over the dialog layer, with SDP offer/answer (RFC 3261 §13-15, RFC 3264).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sdp;
using Sipwire.Session;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private const string Allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, MESSAGE, SUBSCRIBE, NOTIFY, REFER";
    private readonly List<SipCall> _calls = [];
    private SipMessage? _reparsedStore; // created on first use: an idle UA never re-parses an INVITE (issue 5 memory target)
    private SipMessage Reparsed => _reparsedStore ??= new SipMessage();
    private int _nextPort;

    /// <summary>Raised when an INVITE starts a new incoming call (180 Ringing has been sent), before its Incoming event: subscribe to <see cref="SipCall.Changed"/> here.</summary>
    public event Action<SipCall>? IncomingCall;

    /// <summary>Calls alive (not terminated).</summary>
    public IReadOnlyList<SipCall> Calls => _calls;

    /// <summary>The dialog layer, or null without <see cref="UserAgentOptions"/>.</summary>
    public DialogLayer? Dialogs => _dialogs;

    /// <summary>
    /// Places a call: INVITE with an SDP offer (§13.2.1) to <paramref name="targetUri"/>, sent to
    /// <paramref name="destination"/> (the peer or the outbound proxy).
    /// </summary>
    /// <returns>The call; when the INVITE could not be sent it is already Terminated with an Ended event.</returns>
    /// <exception cref="InvalidOperationException">The core was created without <see cref="UserAgentOptions"/>.</exception>
    /// <exception cref="ArgumentException">The target URI is not a SIP URI.</exception>
    public SipCall Invite(string targetUri, PeerAddress destination)
    {
        UserAgentOptions o = _options ?? throw new InvalidOperationException("Calls need UserAgentOptions.");
        ArgumentNullException.ThrowIfNull(targetUri);
        if (!SipUri.TryParse(targetUri, out _) || targetUri.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException($"'{targetUri}' is not a SIP URI.", nameof(targetUri));
        var call = new SipCall(this, true, RandomHex(24) + "@" + o.LocalSentBy.Split(':')[0], NewNegotiator()) { RemoteParty = targetUri };
        call._localTag = RandomHex(16);
        call._initialOffer = call.Negotiator.CreateOffer().ToString();
        call._targetUri = targetUri;
        call._requestUri = targetUri;
        call._destination = destination;
        call._direct = SipUriTarget.TryResolveLiteral(targetUri, out PeerAddress literal) && literal.Equals(destination);
        call._inviteCSeq = 1;
        call._triedTargets.Add(targetUri);
        InitSessionTimer(call);
        _calls.Add(call);
        if (!SendInitialInvite(call)) End(call, 503, "Service Unavailable (INVITE could not be sent)", byLocal: true);
        return call;
    }

    /// <summary>
    /// Sends the call's INVITE (again): the first one, a retry after 422 with a larger
    /// Session-Expires (RFC 4028 §7.1), or the request to the next target of a 3xx (RFC 3261
    /// §8.1.3.4) - same Call-ID, From and To, a new CSeq and branch, the same offer.
    /// </summary>
    private bool SendInitialInvite(SipCall call)
    {
        UserAgentOptions o = _options!;
        var w = new SipMessageWriter(_layer.MessageBuffer);
        w.Append("INVITE "u8);
        w.AppendText(call._requestUri);
        w.Append(" SIP/2.0\r\n"u8);
        WriteVia(ref w, call._destination.Protocol);
        w.AppendText(OutboundRouteHeader()); // §8.1.2: preloaded Route to the outbound proxy (OutboundRoute.cs)
        w.Append("Max-Forwards: 70\r\nFrom: <"u8);
        w.AppendText(o.LocalUri);
        w.Append(">;tag="u8);
        w.AppendText(call._localTag);
        w.Append("\r\nTo: <"u8);
        w.AppendText(call._targetUri);
        w.Append(">\r\nCall-ID: "u8);
        w.AppendText(call.CallId);
        w.Append("\r\nCSeq: "u8);
        w.AppendInt(call._inviteCSeq);
        w.Append(" INVITE\r\n"u8);
        WriteCommon(ref w, hasBody: true);
        // RFC 3262 §4: Require: 100rel when we insist on reliable provisional responses.
        if (o.ReliableProvisional == ReliableProvisionalMode.Required) w.Append("Require: 100rel\r\n"u8);
        // RFC 4028 §7.1: Session-Expires and Min-SE; the refresher is left to the UAS.
        w.AppendText(SessionTimerRequestHeaders(call, initial: true));
        EndWithSdp(ref w, call, call._initialOffer); // S/MIME-protected when configured (UserAgentCore.BodyProtection.cs)
        Transaction? t;
        try
        {
            t = w.Overflowed ? null : _layer.SendRequest(w.Written, call._destination);
        }
        catch (ArgumentException)
        {
            t = null; // a Request-URI from a 3xx Contact that does not make a valid request
        }
        if (t is null) return false;
        t.UserData = call;
        call._invite = t;
        call._inviteGeneration = t.Generation;
        call.State = CallState.Calling;
        return true;
    }

    private long CallsNextDeadline
    {
        get
        {
            long d = _dialogs?.NextDeadline ?? long.MaxValue;
            foreach (SipCall c in _calls)
            {
                d = Math.Min(d, Math.Min(Math.Min(c._reliableAt, c._reliableGiveUpAt), Math.Min(c._glareRetryAt, Math.Min(c._refreshAt, c._expireAt))));
            }
            return d;
        }
    }

    private void ProcessCallTimers()
    {
        _dialogs?.ProcessTimers();
        if (_calls.Count == 0) return;
        long now = _layer.Clock.NowMicros;
        foreach (SipCall call in _calls.ToArray())
        {
            if (call.State == CallState.Terminated) continue;
            if (call._reliable is not null && (call._reliableAt <= now || call._reliableGiveUpAt <= now)) OnReliableTimer(call, now);
            if (call._glareRetryAt <= now) OnGlareTimer(call);
            if (call._refreshAt <= now) OnRefreshTimer(call);
            if (call._expireAt <= now) OnSessionExpired(call);
        }
    }

    private SdpNegotiator NewNegotiator()
    {
        UserAgentOptions o = _options!;
        int port = o.RtpPortBase + (_nextPort % (o.RtpPortCount / 2)) * 2;
        _nextPort++;
        return new SdpNegotiator(o.Capabilities, o.MediaAddress, port);
    }

    private void WriteVia(ref SipMessageWriter w, TransportProtocol protocol)
    {
        w.Append("Via: SIP/2.0/"u8);
        w.AppendText(protocol == TransportProtocol.Tcp ? "TCP" : protocol == TransportProtocol.Tls ? "TLS" : "UDP");
        w.Append((byte)' ');
        w.AppendText(_options!.LocalSentBy);
        Span<byte> branch = stackalloc byte[BranchId.Length];
        BranchId.Write(branch);
        w.Append(";branch="u8);
        w.Append(branch);
        w.Append(";rport\r\n"u8);
    }

    private void WriteCommon(ref SipMessageWriter w, bool hasBody)
    {
        w.Append("Contact: <"u8);
        w.AppendText(_options!.ContactUri);
        w.Append(">\r\nAllow: "u8);
        w.AppendText(Allow);
        w.Append("\r\n"u8);
        string supported = SupportedTags;
        if (supported.Length > 0)
        {
            w.Append("Supported: "u8);
            w.AppendText(supported);
            w.Append("\r\n"u8);
        }
        if (hasBody && !ProtectsSdp) w.Append("Content-Type: application/sdp\r\n"u8); // a protected SDP writes its own
        w.AppendText(_nextInviteHeaders); // Replaces/Referred-By of a transfer (UserAgentCore.Transfer.cs)
    }

    private string ContactAndType(bool hasBody) =>
        $"Contact: <{_options!.ContactUri}>\r\nAllow: {Allow}\r\n" + (SupportedTags.Length > 0 ? $"Supported: {SupportedTags}\r\n" : "") + (hasBody && !ProtectsSdp ? "Content-Type: application/sdp\r\n" : "");

    /// <summary>The option tags we advertise in Supported (RFC 3261 §20.37).</summary>
    private string SupportedTags =>
        (_options!.ReliableProvisional != ReliableProvisionalMode.Off, _options.SessionExpires > TimeSpan.Zero) switch
        {
            (true, true) => "100rel, timer, replaces, norefersub",
            (true, false) => "100rel, replaces, norefersub",
            (false, true) => "timer, replaces, norefersub",
            _ => "replaces, norefersub",
        };

    /// <summary>RFC 3261 §8.2.2.3: the option tags we implement, so a Require of anything else gets 420.</summary>
    private bool Understands(string optionTag) => optionTag.ToLowerInvariant() switch
    {
        "100rel" => _options!.ReliableProvisional != ReliableProvisionalMode.Off,
        "timer" => _options!.SessionExpires > TimeSpan.Zero,
        "replaces" or "norefersub" => true, // RFC 3891, RFC 4488: UserAgentCore.Transfer.cs
        _ => false,
    };

    // ---- UAC ----

    private void OnCallResponse(Transaction transaction, SipMessage response)
    {
        if (transaction.UserData is not SipCall call || _dialogs is null) return;
        if (ReferenceEquals(transaction, call._update) && transaction.Generation == call._updateGeneration)
        {
            OnModifyResponse(call, transaction, response);
            return;
        }
        if (transaction.Method == SipMethod.Invite)
        {
            if (ReferenceEquals(transaction, call._invite) && transaction.Generation == call._inviteGeneration) OnInviteResponse(call, transaction, response);
            else _dialogs.OnResponse(transaction, response); // an old INVITE of a redirected call: ACK its 2xx, end its dialogs
            return;
        }
        // RFC 5057 §5.1: PRACK is a transaction-only usage: a 481 or 408 to it ends no dialog.
        if (transaction.Method == SipMethod.Prack) return;
        // BYE and others: the dialog layer ends the dialog on 481/408 (§12.2.1.2); the call ended at BYE.
        _dialogs.OnResponse(transaction, response);
    }

    private void OnInviteResponse(SipCall call, Transaction transaction, SipMessage response)
    {
        int code = response.StatusCode;
        Dialog? d = _dialogs!.OnResponse(transaction, response); // ACKs a 2xx (§13.2.2.4)
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 300 && response.IndexOfHeader(SipHeaderKind.Allow) >= 0) call._peerAllowsUpdate = CallHeaders.Has(response, SipHeaderKind.Allow, "UPDATE");
        if (code < 200)
        {
            if (code == 100 || call.State is not (CallState.Calling or CallState.Ringing)) return;
            if (d is not null && d.UserData is null) d.UserData = call; // the early dialog takes PRACK, UPDATE (RFC 3311 §5.1)
            // RFC 3262 §4: a 1xx with Require: 100rel and RSeq is PRACKed once, in order.
            bool reliable = _options!.ReliableProvisional != ReliableProvisionalMode.Off && d is not null && CallHeaders.Has(response, SipHeaderKind.Require, "100rel");
            if (reliable && !OnReliableProvisional(call, d!, response)) return;
            call.State = CallState.Ringing;
            NegotiatedAudio? early = null;
            // RFC 3261 §13.2.1 / RFC 3264: an answer in a 1xx is early media we may play; from a
            // reliable 1xx it is the answer (RFC 3262 §5), and SDP in later responses is ignored.
            if (!response.Body.IsEmpty && !call._answerReceived && TryApplyAnswer(call, response.Body, out early, out _))
            {
                call.Audio = early;
                if (reliable) call._answerReceived = true;
            }
            call.Raise(new CallEvent(CallEventKind.Ringing, code, reason, false, early ?? (call._answerReceived ? call.Audio : null)));
            return;
        }
        if (code >= 300)
        {
            if (call.State == CallState.Cancelling)
            {
                End(call, code, reason, byLocal: true);
                return;
            }
            if (code is >= 300 and < 400 && TryRedirect(call, response, code, reason)) return;
            if (code == 422 && TryRetryAfter422(call, response)) return;
            // §8.1.3.4: a failure from one redirected target moves on to the next one of the set.
            if (code >= 400 && call._targetSet.Count > 0 && TryNextTarget(call, code, reason)) return;
            End(call, code, FailureReason(response, code, reason), byLocal: false);
            return;
        }
        if (d is null) return;
        if (call.State is CallState.Active or CallState.Terminated)
        {
            // §13.2.2.4: a 2xx from another fork after the call is up (or gone): it was ACKed; end that dialog.
            if (!ReferenceEquals(d, call.Dialog) && d.State != DialogState.Terminated) _dialogs.SendRequest(d, "BYE");
            return;
        }
        call.Dialog = d;
        d.UserData = call;
        if (call.State == CallState.Cancelling)
        {
            // §9.1: the 2xx crossed our CANCEL: the ACK is out, now BYE.
            _dialogs.SendRequest(d, "BYE");
            End(call, 487, "Request Terminated (cancelled; the 200 crossed the CANCEL)", byLocal: true);
            return;
        }
        NegotiatedAudio? audio = call.Audio;
        string failure = "";
        if (!call._answerReceived && !TryApplyAnswer(call, response.Body, out audio, out failure))
        {
            // §13.2.2.4 / RFC 3264 §7: a 2xx whose answer we cannot use: ACK (done) then BYE, with
            // the cause in a Reason header field (RFC 3326).
            _dialogs.SendRequest(d, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(failure)}\"\r\n");
            End(call, 488, "Not Acceptable Here (answer SDP: " + failure + ")", byLocal: true);
            return;
        }
        call._answerReceived = true;
        call.Audio = audio;
        call.State = CallState.Active;
        ApplySessionTimerAsUac(call, response);
        call.Raise(new CallEvent(CallEventKind.Established, code, reason, false, audio));
    }

    private static bool TryApplyAnswer(SipCall call, ReadOnlySpan<byte> body, out NegotiatedAudio? audio, out string failure)
    {
        audio = null;
        if (body.IsEmpty)
        {
            failure = "no SDP answer in the 2xx";
            return false;
        }
        SdpError e = SdpSessionDescription.TryParse(body, out SdpSessionDescription? answer, out int line);
        if (e != SdpError.None)
        {
            failure = $"{e} at line {line}";
            return false;
        }
        OfferAnswerResult r = call.Negotiator.ApplyAnswer(answer!);
        failure = r.Failure ?? "";
        audio = r.Audio;
        return r.Succeeded;
    }

    private void OnCallError(Transaction transaction, TransactionError failure)
    {
        if (transaction.UserData is not SipCall call) return;
        (int code, string reason) = failure == TransactionError.TransportError
            ? (503, "Service Unavailable (transport error)")
            : (408, "Request Timeout (no response)");
        if (ReferenceEquals(transaction, call._invite) && transaction.Generation == call._inviteGeneration)
        {
            // Timer B (§17.1.1.2) or 64*T1 after a CANCEL (§9.1): the call never came up.
            if (call.State is CallState.Calling or CallState.Ringing or CallState.Cancelling)
            {
                End(call, failure == TransactionError.CancelTimeout ? 487 : code, failure == TransactionError.CancelTimeout ? "Request Terminated (no final response to CANCEL)" : reason, byLocal: call.State == CallState.Cancelling);
            }
            return;
        }
        if (ReferenceEquals(transaction, call._update) && transaction.Generation == call._updateGeneration)
        {
            // §14.1 / RFC 3311 §5.1: a re-INVITE or UPDATE timeout ends the call with BYE.
            call._update = null;
            if (call.Dialog is { } d) _dialogs!.SendRequest(d, "BYE");
            End(call, code, reason + (call._updateMethod == CallModifyMethod.Update ? " to UPDATE" : " to re-INVITE"), byLocal: true);
        }
    }

    private void OnCallStrayResponse(SipMessage response) => _dialogs?.OnStrayResponse(response);

    internal bool HangupCall(SipCall call)
    {
        switch (call.State)
        {
            case CallState.Calling:
            case CallState.Ringing:
                // §9.1: CANCEL (sent once a provisional response has arrived); the INVITE ends with 487.
                if (call._invite is null || !_layer.Cancel(call._invite)) return false;
                call.State = CallState.Cancelling;
                return true;
            case CallState.Incoming:
                return RejectCall(call, 603, "Decline");
            case CallState.Answered:
            case CallState.Active:
                // §15.1.1: BYE ends the dialog; the call is over for us at once. A BYE that cannot be
                // sent (transaction table full) ends the call with 503, so the application knows the
                // peer was not told (its session timer, RFC 4028, ends its side).
                if (call.Dialog is { } d && _dialogs!.SendRequest(d, "BYE") is null)
                {
                    End(call, 503, "Hung up locally; the BYE could not be sent (transaction table full)", byLocal: true);
                    return true;
                }
                End(call, 0, "Hung up", byLocal: true);
                return true;
            default:
                return false;
        }
    }

    // ---- UAS ----

    private bool OnCallRequest(Transaction transaction, SipMessage request)
    {
        if (_dialogs is null) return false;
        if (RejectUnsupportedRequire(transaction, request)) return true;
        if (request.To.HasTag)
        {
            Dialog? d = _dialogs.FindForRequest(request);
            if (d?.UserData is not SipCall call) return false; // 481 from the core (§12.2.2)
            int status = _dialogs.OnInDialogRequest(d, request);
            if (status != 0)
            {
                _layer.Respond(transaction, status, "Server Internal Error - CSeq Out Of Order"u8, []);
                return true;
            }
            if (OnTransferInDialogRequest(call, transaction, request)) return true;
            switch (request.Method)
            {
                case SipMethod.Bye:
                    // §15.1.2: 200 to the BYE; the dialog layer has ended the dialog.
                    _layer.Respond(transaction, 200, "OK"u8, []);
                    End(call, 0, "BYE from the peer", byLocal: false);
                    return true;
                case SipMethod.Invite:
                    OnReinvite(call, transaction, request);
                    return true;
                case SipMethod.Update:
                    OnUpdateRequest(call, transaction, request);
                    return true;
                case SipMethod.Prack:
                    OnPrack(call, transaction, request);
                    return true;
                case SipMethod.Options:
                    RespondOptions(transaction, request, []);
                    return true;
                case SipMethod.Message:
                    // RFC 3428 §7: a MESSAGE may be sent within a dialog; it is delivered like one outside,
                    // with the call identified (UserAgentCore.Messaging.cs).
                    AcceptMessage(transaction, request, [], call);
                    return true;
                default:
                    _layer.Respond(transaction, 501, "Not Implemented"u8, []);
                    return true;
            }
        }
        if (request.Method == SipMethod.Options)
        {
            RespondOptions(transaction, request, s_tag);
            return true;
        }
        if (request.Method != SipMethod.Invite) return false;
        if (OnReplacingInvite(transaction, request)) return true;
        OnNewInvite(transaction, request);
        return true;
    }

    private void OnNewInvite(Transaction transaction, SipMessage request)
    {
        var call = new SipCall(this, false, SipMessage.ToText(request.CallId), NewNegotiator())
        {
            RemoteParty = SipMessage.ToText(request.From.Uri),
            State = CallState.Incoming,
        };
        call._localTag = RandomHex(16);
        call._inviteCSeq = request.CSeqNumber;
        call._peerRequires100rel = CallHeaders.Has(request, SipHeaderKind.Require, "100rel");
        call._peerSupports100rel = call._peerRequires100rel || CallHeaders.Has(request, SipHeaderKind.Supported, "100rel");
        call._peerAllowsUpdate = CallHeaders.Has(request, SipHeaderKind.Allow, "UPDATE");
        call._peerSupportsTimer = CallHeaders.Has(request, SipHeaderKind.Supported, "timer") || CallHeaders.Has(request, SipHeaderKind.Require, "timer");
        if (_options!.ReliableProvisional == ReliableProvisionalMode.Required && !call._peerSupports100rel)
        {
            // RFC 3262 §3: we insist on reliable provisional responses and the caller cannot do them.
            RespondWithHeaders(transaction, request, 421, "Extension Required", call._localTag, "Require: 100rel\r\n");
            return;
        }
        if (RejectSmallSessionExpires(transaction, request, call._localTag)) return;
        InitSessionTimer(call);
        Dialog? d = _dialogs!.CreateUas(transaction, request, call._localTag);
        if (d is null)
        {
            // Bounded dialog table (DESIGN.md principle 3).
            _layer.Respond(transaction, 486, "Busy Here - Too Many Calls"u8, Encoding.ASCII.GetBytes(call._localTag));
            return;
        }
        if (!request.Body.IsEmpty)
        {
            // §13.3.1.1 / RFC 3264 §6: an offer we cannot answer gets 488 with the reason.
            SdpError e = SdpSessionDescription.TryParse(request.Body, out SdpSessionDescription? offer, out int line);
            string? failure = e != SdpError.None ? $"offer SDP {e} at line {line}" : null;
            OfferAnswerResult? r = offer is null ? null : call.Negotiator.Answer(offer);
            failure ??= r!.Failure;
            if (failure is not null)
            {
                _dialogs.End(d);
                RespondWithReason(transaction, request, 488, "Not Acceptable Here", call._localTag, failure);
                return;
            }
            call.Audio = r!.Audio;
            call._pendingAnswer = r.Answer!.ToString();
        }
        else
        {
            call._offerInAck = true; // §13.2.1: we offer in the 200, the answer comes in the ACK
        }
        call.Dialog = d;
        d.UserData = call;
        call._invite = transaction;
        call._inviteGeneration = transaction.Generation;
        call._inviteRequest = request.Span.ToArray();
        transaction.UserData = call;
        _calls.Add(call);
        // §13.3.1.1: 180 with our Contact (it creates the early dialog), reliably when 100rel is in use (RFC 3262 §3).
        if (!SendProvisional(call, 180, "Ringing", withSdp: false)) _layer.Respond(transaction, 180, "Ringing"u8, Encoding.ASCII.GetBytes(call._localTag));
        // The application subscribes to the call's events (and may answer at once) in IncomingCall;
        // the Incoming event follows unless the handler already ended the call.
        IncomingCall?.Invoke(call);
        if (call.State is CallState.Incoming or CallState.Answered) call.Raise(new CallEvent(CallEventKind.Incoming, 0, "INVITE", false, null));
    }

    internal bool AnswerCall(SipCall call)
    {
        if (call.State != CallState.Incoming || call._invite is null || call.Dialog is null) return false;
        if (call._reliable is not null && call._reliableHasSdp)
        {
            // RFC 3262 §3: no 2xx while a reliable 1xx with SDP is unacknowledged; it goes on the PRACK.
            call._answerQueued = true;
            return true;
        }
        Transaction t = call._invite;
        if (t.Generation != call._inviteGeneration || !SipParser.Parse(call._inviteRequest, SipFraming.Datagram, Reparsed).IsDone) return false;
        string body = call._offerInAck ? call.Negotiator.CreateOffer().ToString() : call._pendingAnswer!;
        string timer = NegotiateSessionTimerAsUas(call, Reparsed, out uint se, out bool weRefresh);
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, Reparsed, t.Source, 200, "OK"u8, Encoding.ASCII.GetBytes(call._localTag));
        WriteCommon(ref w, hasBody: true);
        w.AppendText(timer);
        EndWithSdp(ref w, call, body);
        if (w.Overflowed || !_dialogs!.SendSuccess(t, call.Dialog, w.Written)) return false;
        StopReliable(call); // §3: the final response ends the 1xx retransmissions
        call.State = CallState.Answered;
        if (se > 0) StartSessionTimer(call, se, weRefresh);
        return true;
    }

    internal bool RejectCall(SipCall call, int statusCode, string reason)
    {
        if (call.State != CallState.Incoming || call._invite is null || statusCode is < 300 or > 699) return false;
        Transaction t = call._invite;
        if (t.Generation == call._inviteGeneration) _layer.Respond(t, statusCode, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(call._localTag));
        if (call.Dialog is { } d) _dialogs!.End(d);
        End(call, statusCode, reason, byLocal: true);
        return true;
    }

    private void OnCallAck(SipMessage ack)
    {
        if (_dialogs is null) return;
        Dialog? d = _dialogs.OnAck(ack);
        if (d?.UserData is not SipCall call) return;
        if (call.State == CallState.Active && call._reinviteOfferInAck && ack.CSeqNumber == d.RemoteSeq)
        {
            // §14.2: we offered in the 2xx to an offerless re-INVITE; the answer is in this ACK.
            call._reinviteOfferInAck = false;
            if (!TryApplyAnswer(call, ack.Body, out NegotiatedAudio? ra, out string rf))
            {
                _dialogs.SendRequest(d, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(rf)}\"\r\n");
                End(call, 488, "Not Acceptable Here (answer SDP in ACK to re-INVITE: " + rf + ")", byLocal: true);
                return;
            }
            call.Audio = ra;
            call.Raise(new CallEvent(CallEventKind.MediaUpdated, 200, "re-INVITE from the peer (answer in ACK)", false, ra));
            return;
        }
        if (call.State != CallState.Answered) return;
        if (call._offerInAck)
        {
            if (!TryApplyAnswer(call, ack.Body, out NegotiatedAudio? a, out string failure))
            {
                // §13.3.1.4 leaves no way to reject an ACK: end the call with BYE.
                _dialogs.SendRequest(d, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(failure)}\"\r\n");
                End(call, 488, "Not Acceptable Here (answer SDP in ACK: " + failure + ")", byLocal: true);
                return;
            }
            call.Audio = a;
        }
        call.State = CallState.Active;
        call.Raise(new CallEvent(CallEventKind.Established, 200, "OK", false, call.Audio));
    }

    private bool OnCallCancel(Transaction invite)
    {
        if (invite.UserData is not SipCall call || call.State is not (CallState.Incoming or CallState.Answered)) return false;
        if (call.State == CallState.Answered) return true; // §9.2: the 2xx is out; CANCEL has no effect
        // §9.2: 487 to the INVITE; the call never came up.
        _layer.Respond(invite, 487, "Request Terminated"u8, Encoding.ASCII.GetBytes(call._localTag));
        if (call.Dialog is { } d) _dialogs!.End(d);
        End(call, 487, "Request Terminated (cancelled by the caller)", byLocal: false);
        return true;
    }

    private void OnReinvite(SipCall call, Transaction transaction, SipMessage request)
    {
        if (call._update is not null && (call._updateMethod == CallModifyMethod.ReInvite || !call._updateIsRefresh))
        {
            // §14.2: an INVITE while ours is pending (or RFC 3311 §5.2: while our UPDATE offer is
            // unanswered): 491 Request Pending (glare).
            _layer.Respond(transaction, 491, "Request Pending"u8, []);
            return;
        }
        if (call.State != CallState.Active)
        {
            // §14.2: a re-INVITE before the ACK of our 2xx: the initial INVITE is still in progress.
            RespondWithHeaders(transaction, request, 500, "Server Internal Error", "", $"Retry-After: {RandomInt(0, 11)}\r\n");
            return;
        }
        if (RejectSmallSessionExpires(transaction, request, "")) return;
        string answer;
        NegotiatedAudio? audio = call.Audio;
        if (request.Body.IsEmpty)
        {
            // §14.2 / §13.2.1: an offerless re-INVITE (often a session refresh): we offer in the 2xx, the answer comes in the ACK.
            answer = call.Negotiator.CreateOffer().ToString();
            call._reinviteOfferInAck = true;
        }
        else
        {
            SdpError e = SdpSessionDescription.TryParse(request.Body, out SdpSessionDescription? offer, out int line);
            if (e != SdpError.None)
            {
                RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", $"offer SDP {e} at line {line}");
                return;
            }
            OfferAnswerResult r = call.Negotiator.Answer(offer!);
            if (!r.Succeeded)
            {
                // §14.2: a re-INVITE we cannot accept is refused with 488; the session stays as it was.
                RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", r.Failure!);
                return;
            }
            answer = r.Answer!.ToString();
            audio = r.Audio;
        }
        string timer = NegotiateSessionTimerAsUas(call, request, out uint se, out bool weRefresh);
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, []);
        WriteCommon(ref w, hasBody: true);
        w.AppendText(timer);
        EndWithSdp(ref w, call, answer);
        if (w.Overflowed || !_dialogs!.SendSuccess(transaction, call.Dialog!, w.Written)) return;
        // RFC 4028 §10: every successful re-INVITE refreshes the session.
        if (se > 0) StartSessionTimer(call, se, weRefresh);
        if (call._reinviteOfferInAck) return; // the MediaUpdated event follows the ACK
        call.Audio = audio;
        call.Raise(new CallEvent(CallEventKind.MediaUpdated, 200, "re-INVITE from the peer", false, audio));
    }

    private void RespondWithReason(Transaction transaction, SipMessage request, int code, string reason, string tag, string detail)
    {
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(tag));
        // RFC 3261 §20.43: a Warning with code 399 (miscellaneous) carries the detail.
        w.Append("Warning: 399 "u8);
        w.AppendText(_options!.LocalSentBy);
        w.Append(" \""u8);
        w.AppendText(Quoted(detail));
        w.Append("\"\r\n"u8);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        else _layer.Respond(transaction, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(tag));
    }

    private void RespondOptions(Transaction transaction, SipMessage request, ReadOnlySpan<byte> tag)
    {
        // §11.2: 200 with what we can do: Allow, Accept, Supported.
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, tag);
        w.Append("Allow: "u8);
        w.AppendText(Allow);
        w.Append("\r\nAccept: application/sdp\r\nSupported: "u8);
        w.AppendText(SupportedTags);
        w.Append("\r\n"u8);
        // RFC 6665 §4.4.4 (RFC 3265 §3.3.7): an OPTIONS response lists the event packages we are a
        // notifier for, so a peer learns what it may SUBSCRIBE to (UserAgentCore.Subscriptions.cs).
        w.Append("Allow-Events: "u8);
        w.AppendText(AllowEvents);
        w.Append("\r\n"u8);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
    }

    private void End(SipCall call, int code, string reason, bool byLocal)
    {
        if (call.State == CallState.Terminated) return;
        call.State = CallState.Terminated;
        call.EndStatus = code;
        call._update = null;
        StopReliable(call);
        call._glareRetryAt = long.MaxValue;
        call._refreshAt = long.MaxValue;
        call._expireAt = long.MaxValue;
        _calls.Remove(call);
        call.Raise(new CallEvent(CallEventKind.Ended, code, reason, byLocal, call.Audio));
    }

    private void OnAckTimedOut(Dialog d)
    {
        // §13.3.1.4: no ACK for our 2xx within 64*T1; the dialog layer sends BYE.
        if (d.UserData is SipCall call) End(call, 408, "Request Timeout (no ACK for the 200)", byLocal: true);
    }

    private static string Quoted(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsControl(c)) continue;
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string RandomHex(int length)
    {
        Span<byte> b = stackalloc byte[length];
        BranchId.WriteRandomHex(b);
        return Encoding.ASCII.GetString(b);
    }
}
