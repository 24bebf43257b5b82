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
    private const string Allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, REFER";
    private readonly List<SipCall> _calls = [];
    private readonly byte[] _callBuffer = new byte[8192];
    private readonly SipMessage _reparsed = new();
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
        string offer = call.Negotiator.CreateOffer().ToString();
        var w = new SipMessageWriter(_callBuffer);
        w.Append("INVITE "u8);
        w.AppendText(targetUri);
        w.Append(" SIP/2.0\r\n"u8);
        WriteVia(ref w, destination.Protocol);
        w.Append("Max-Forwards: 70\r\nFrom: <"u8);
        w.AppendText(o.LocalUri);
        w.Append(">;tag="u8);
        w.AppendText(call._localTag);
        w.Append("\r\nTo: <"u8);
        w.AppendText(targetUri);
        w.Append(">\r\nCall-ID: "u8);
        w.AppendText(call.CallId);
        w.Append("\r\nCSeq: 1 INVITE\r\n"u8);
        WriteCommon(ref w, hasBody: true);
        w.EndWithBody(Encoding.UTF8.GetBytes(offer));
        _calls.Add(call);
        Transaction? t = w.Overflowed ? null : _layer.SendRequest(w.Written, destination);
        if (t is null)
        {
            End(call, 503, "Service Unavailable (INVITE could not be sent)", byLocal: true);
            return call;
        }
        t.UserData = call;
        call._invite = t;
        call._inviteGeneration = t.Generation;
        call.State = CallState.Calling;
        return call;
    }

    private long CallsNextDeadline => _dialogs?.NextDeadline ?? long.MaxValue;

    private void ProcessCallTimers() => _dialogs?.ProcessTimers();

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
        if (hasBody) w.Append("Content-Type: application/sdp\r\n"u8);
        w.AppendText(_nextInviteHeaders); // Replaces/Referred-By of a transfer (UserAgentCore.Transfer.cs)
    }

    private string ContactAndType(bool hasBody) =>
        $"Contact: <{_options!.ContactUri}>\r\nAllow: {Allow}\r\n" + (hasBody ? "Content-Type: application/sdp\r\n" : "");

    // ---- UAC ----

    private void OnCallResponse(Transaction transaction, SipMessage response)
    {
        if (transaction.UserData is not SipCall call || _dialogs is null) return;
        if (transaction.Method == SipMethod.Invite)
        {
            if (ReferenceEquals(transaction, call._update) && transaction.Generation == call._updateGeneration) OnReinviteResponse(call, transaction, response);
            else if (ReferenceEquals(transaction, call._invite) && transaction.Generation == call._inviteGeneration) OnInviteResponse(call, transaction, response);
            return;
        }
        // BYE and others: the dialog layer ends the dialog on 481/408 (§12.2.1.2); the call ended at BYE.
        _dialogs.OnResponse(transaction, response);
    }

    private void OnInviteResponse(SipCall call, Transaction transaction, SipMessage response)
    {
        int code = response.StatusCode;
        Dialog? d = _dialogs!.OnResponse(transaction, response); // ACKs a 2xx (§13.2.2.4)
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 200)
        {
            if (code == 100 || call.State is not (CallState.Calling or CallState.Ringing)) return;
            call.State = CallState.Ringing;
            NegotiatedAudio? early = null;
            // RFC 3261 §13.2.1 / RFC 3264: an answer in a reliable-less 183 is early media we may play.
            if (!response.Body.IsEmpty && TryApplyAnswer(call, response.Body, out early, out _)) call.Audio = early;
            call.Raise(new CallEvent(CallEventKind.Ringing, code, reason, false, early));
            return;
        }
        if (code >= 300)
        {
            bool cancelled = call.State == CallState.Cancelling;
            End(call, code, reason, byLocal: cancelled);
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
        if (!TryApplyAnswer(call, response.Body, out NegotiatedAudio? audio, out string failure))
        {
            // §13.2.2.4 / RFC 3264 §7: a 2xx whose answer we cannot use: ACK (done) then BYE, with
            // the cause in a Reason header field (RFC 3326).
            _dialogs.SendRequest(d, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(failure)}\"\r\n");
            End(call, 488, "Not Acceptable Here (answer SDP: " + failure + ")", byLocal: true);
            return;
        }
        call.Audio = audio;
        call.State = CallState.Active;
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

    private void OnReinviteResponse(SipCall call, Transaction transaction, SipMessage response)
    {
        int code = response.StatusCode;
        _dialogs!.OnResponse(transaction, response); // ACKs the 2xx; ends the dialog on 481/408
        if (code < 200) return;
        call._update = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 300)
        {
            if (TryApplyAnswer(call, response.Body, out NegotiatedAudio? audio, out string failure))
            {
                call.Audio = audio;
                call.Raise(new CallEvent(CallEventKind.MediaUpdated, code, reason, true, audio));
                return;
            }
            // RFC 3261 §14.2 leaves the session as it was; we cannot run media we do not understand.
            if (call.Dialog is { } dd) _dialogs.SendRequest(dd, "BYE", $"Reason: SIP;cause=488;text=\"{Quoted(failure)}\"\r\n");
            End(call, 488, "Not Acceptable Here (re-INVITE answer SDP: " + failure + ")", byLocal: true);
            return;
        }
        // §14.1: a non-2xx leaves the session unchanged; 481 and 408 end the dialog (§12.2.1.2).
        call.Negotiator.LocalDirection = call._directionBeforeUpdate;
        if (code is 481 or 408)
        {
            End(call, code, reason, byLocal: false);
            return;
        }
        call.Raise(new CallEvent(CallEventKind.UpdateFailed, code, reason, true, call.Audio));
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
            // §14.1: a re-INVITE timeout ends the call with BYE.
            call._update = null;
            if (call.Dialog is { } d) _dialogs!.SendRequest(d, "BYE");
            End(call, code, reason + " to re-INVITE", byLocal: true);
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
                // §15.1.1: BYE ends the dialog; the call is over for us at once.
                if (call.Dialog is { } d) _dialogs!.SendRequest(d, "BYE");
                End(call, 0, "Hung up", byLocal: true);
                return true;
            default:
                return false;
        }
    }

    internal bool Reoffer(SipCall call, SdpDirection direction)
    {
        if (call.State != CallState.Active || call.Dialog is null || call._update is not null) return false;
        call._directionBeforeUpdate = call.Negotiator.LocalDirection;
        call.Negotiator.LocalDirection = direction;
        string offer = call.Negotiator.CreateOffer().ToString();
        Transaction? t = _dialogs!.SendRequest(call.Dialog, "INVITE", ContactAndType(hasBody: true), Encoding.UTF8.GetBytes(offer));
        if (t is null)
        {
            call.Negotiator.LocalDirection = call._directionBeforeUpdate;
            return false;
        }
        t.UserData = call;
        call._update = t;
        call._updateGeneration = t.Generation;
        return true;
    }

    // ---- UAS ----

    private bool OnCallRequest(Transaction transaction, SipMessage request)
    {
        if (_dialogs is null) return false;
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
                case SipMethod.Options:
                    RespondOptions(transaction, request, []);
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
        _layer.Respond(transaction, 180, "Ringing"u8, Encoding.ASCII.GetBytes(call._localTag));
        // The application subscribes to the call's events (and may answer at once) in IncomingCall;
        // the Incoming event follows unless the handler already ended the call.
        IncomingCall?.Invoke(call);
        if (call.State is CallState.Incoming or CallState.Answered) call.Raise(new CallEvent(CallEventKind.Incoming, 0, "INVITE", false, null));
    }

    internal bool AnswerCall(SipCall call)
    {
        if (call.State != CallState.Incoming || call._invite is null || call.Dialog is null) return false;
        Transaction t = call._invite;
        if (t.Generation != call._inviteGeneration || !SipParser.Parse(call._inviteRequest, SipFraming.Datagram, _reparsed).IsDone) return false;
        string body = call._offerInAck ? call.Negotiator.CreateOffer().ToString() : call._pendingAnswer!;
        var w = new SipMessageWriter(_callBuffer);
        SipResponses.WriteHead(ref w, _reparsed, t.Source, 200, "OK"u8, Encoding.ASCII.GetBytes(call._localTag));
        WriteCommon(ref w, hasBody: true);
        w.EndWithBody(Encoding.UTF8.GetBytes(body));
        if (w.Overflowed || !_dialogs!.SendSuccess(t, call.Dialog, w.Written)) return false;
        call.State = CallState.Answered;
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
        if (d?.UserData is not SipCall call || call.State != CallState.Answered) return;
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
        if (call._update is not null)
        {
            // §14.2: an INVITE while ours is pending: 491 Request Pending (glare).
            _layer.Respond(transaction, 491, "Request Pending"u8, []);
            return;
        }
        SdpError e = SdpSessionDescription.TryParse(request.Body, out SdpSessionDescription? offer, out int line);
        if (request.Body.IsEmpty || e != SdpError.None)
        {
            RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", request.Body.IsEmpty ? "re-INVITE without offer is not supported" : $"offer SDP {e} at line {line}");
            return;
        }
        OfferAnswerResult r = call.Negotiator.Answer(offer!);
        if (!r.Succeeded)
        {
            // §14.2: a re-INVITE we cannot accept is refused with 488; the session stays as it was.
            RespondWithReason(transaction, request, 488, "Not Acceptable Here", "", r.Failure!);
            return;
        }
        var w = new SipMessageWriter(_callBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, []);
        WriteCommon(ref w, hasBody: true);
        w.EndWithBody(Encoding.UTF8.GetBytes(r.Answer!.ToString()));
        if (w.Overflowed || !_dialogs!.SendSuccess(transaction, call.Dialog!, w.Written)) return;
        call.Audio = r.Audio;
        call.Raise(new CallEvent(CallEventKind.MediaUpdated, 200, "re-INVITE from the peer", false, r.Audio));
    }

    private void RespondWithReason(Transaction transaction, SipMessage request, int code, string reason, string tag, string detail)
    {
        var w = new SipMessageWriter(_callBuffer);
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
        var w = new SipMessageWriter(_callBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, tag);
        w.Append("Allow: "u8);
        w.AppendText(Allow);
        w.Append("\r\nAccept: application/sdp\r\nSupported: replaces, norefersub\r\n"u8);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
    }

    private void End(SipCall call, int code, string reason, bool byLocal)
    {
        if (call.State == CallState.Terminated) return;
        call.State = CallState.Terminated;
        call.EndStatus = code;
        call._update = null;
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
