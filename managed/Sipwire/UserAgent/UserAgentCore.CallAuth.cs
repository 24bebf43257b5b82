// The UA core's digest client for calls: 401/407 to INVITE, re-INVITE, BYE, UPDATE, PRACK, REFER, INFO (RFC 3261 §22.2-22.3, RFC 7616).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private readonly SipMessage _authRequest = new();
    private byte[]? _authBuffer; // allocated at the first challenge only

    /// <summary>
    /// The dialog layer's hook (<see cref="DialogLayer.Authorization"/>): a request sent in a call's dialog
    /// carries the credentials of every realm that challenged the call before (§22.3: "a UA MAY
    /// pre-emptively include credentials"), each with the next nonce count (RFC 7616 §3.4).
    /// </summary>
    private string DialogCredentials(Dialog dialog, string method, string requestUri, ReadOnlySpan<byte> body)
    {
        SipCall? call = dialog.UserData as SipCall;
        if (call is null)
        {
            // The ACK of the first 2xx is sent before the dialog is tied to its call (§13.2.2.4: it
            // carries the INVITE's credentials).
            foreach (SipCall c in _calls)
            {
                if (c.IsOutgoing && c.CallId == dialog.CallId) call = c;
            }
        }
        if (call?._auth is not { } auth) return "";
        auth.BeginRequest(); // a new request: its own challenge budget
        return auth.Authorization(method, requestUri, body);
    }

    /// <summary>
    /// A 401 or 407 to one of a call's requests: sends the request again with credentials, or ends an
    /// unanswered call when the credentials were refused. Returns true when the response is consumed.
    /// </summary>
    private bool OnCallChallenge(Transaction transaction, SipMessage response)
    {
        if (response.StatusCode is not (401 or 407) || _options is null) return false;
        // §22.1: ACK and CANCEL cannot be resubmitted with credentials (a CANCEL must keep the CSeq of
        // the INVITE it cancels, §9.1); their challenges are left to the transaction layer.
        if (transaction.Method is SipMethod.Ack or SipMethod.Cancel) return false;
        SipCall? call = transaction.UserData switch
        {
            SipCall c => c,
            TransferOutgoing to => to.Call,
            _ => null,
        };
        if (call is null || _options.Credentials.Count == 0) return false;
        bool initialInvite = ReferenceEquals(transaction, call._invite) && transaction.Generation == call._inviteGeneration
            && transaction.Method == SipMethod.Invite && call.IsOutgoing;
        if (initialInvite && call.State is not (CallState.Calling or CallState.Ringing)) return false; // cancelled: 487 rules
        call._auth ??= new ClientAuthenticator(_options.Credentials);
        string? refused = call._auth.OnChallenge(response);
        if (refused is not null)
        {
            // §22.2 / RFC 7616 §3.3: refused credentials (a second challenge without stale=true) or
            // no usable challenge: no retry loop. An unanswered call ends with the status; the others
            // fall through to their own failure handling (UpdateFailed, REFER failure, BYE already done).
            if (!initialInvite) return false;
            End(call, response.StatusCode, $"{SipMessage.ToText(response.ReasonPhrase)} ({refused})", byLocal: false);
            return true;
        }
        return ResendWithCredentials(call, transaction, initialInvite);
    }

    private bool ResendWithCredentials(SipCall call, Transaction transaction, bool initialInvite)
    {
        SipMessage req = _authRequest;
        if (!SipParser.Parse(transaction.Request, SipFraming.Datagram, req).IsDone) return false;
        string method = SipMessage.ToText(req.MethodName);
        uint cseq;
        Dialog? dialog = null;
        if (initialInvite)
        {
            cseq = ++call._inviteCSeq; // §22.2: same Call-ID, From, To; new CSeq (and branch, §8.1.3.5)
        }
        else
        {
            string callId = SipMessage.ToText(req.CallId), localTag = SipMessage.ToText(req.From.Tag), remoteTag = SipMessage.ToText(req.To.Tag);
            dialog = call.Dialog is { } cd && cd.CallId == callId && cd.LocalTag == localTag && cd.RemoteTag == remoteTag
                ? cd
                : _dialogs?.Find(callId, localTag, remoteTag);
            if (dialog is null) return false;
            // §12.2.1.1: the re-sent request takes the dialog's next local CSeq (a BYE's dialog has
            // already ended; its CSeq space still rises).
            cseq = ++dialog.LocalSeq;
            if (transaction.Method == SipMethod.Invite) dialog._inviteSeq = cseq;
        }
        string requestUri = SipMessage.ToText(req.RequestUri);
        var w = new SipMessageWriter(_authBuffer ??= new byte[8192]);
        w.RequestLine(req.MethodName, req.RequestUri);
        WriteVia(ref w, transaction.Remote.Protocol); // a new branch: a new transaction (§8.1.1.7)
        for (int i = 0; i < req.HeaderCount; i++)
        {
            SipHeaderEntry h = req.GetHeader(i);
            if (h.Kind is SipHeaderKind.Via or SipHeaderKind.CSeq or SipHeaderKind.ContentLength
                or SipHeaderKind.Authorization or SipHeaderKind.ProxyAuthorization) continue;
            w.Header(req.GetHeaderName(i), req.GetHeaderValue(i));
        }
        w.Append("CSeq: "u8);
        w.AppendInt(cseq);
        w.Append((byte)' ');
        w.AppendText(method);
        w.Append("\r\n"u8);
        // §22.2 / §22.3: Authorization for 401, Proxy-Authorization for 407, every realm challenged so far.
        w.AppendText(call._auth!.Authorization(method, requestUri, req.Body));
        w.EndWithBody(req.Body);
        if (w.Overflowed) return false;
        Transaction? t = _layer.SendRequest(w.Written, transaction.Remote);
        if (t is null) return false;
        t.UserData = transaction.UserData;
        if (initialInvite)
        {
            call._invite = t;
            call._inviteGeneration = t.Generation;
        }
        else if (ReferenceEquals(transaction, call._update))
        {
            call._update = t;
            call._updateGeneration = t.Generation;
        }
        else if (transaction.UserData is TransferOutgoing to && ReferenceEquals(to.Refer, transaction))
        {
            to.Refer = t;
            to.ReferGeneration = t.Generation;
        }
        return true;
    }

    /// <summary>The preloaded Route of an out-of-dialog request (§8.1.2, §16.12: a loose-routing outbound proxy), or "".</summary>
    private string OutboundRouteHeader() => OutboundRoute.Header(_options?.OutboundProxy);
}
