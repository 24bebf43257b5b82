// A back-to-back user agent (RFC 3261 §6 "B2BUA", RFC 7092): two dialogs bridged with topology hiding.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Location;
using Sipwire.Proxy;
using Sipwire.Registrar;
using Sipwire.Sdp;
using Sipwire.Security;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.B2bua;

/// <summary>
/// Answers each incoming INVITE as a UAS and places a new INVITE as a UAC to the target its routing
/// hook chose, then relays between the two dialogs: provisional and final responses, re-INVITE and
/// UPDATE (hold/resume), BYE, CANCEL. Every message on one leg is written from scratch: its own
/// Call-ID, tags, CSeq, Via, Contact, no Record-Route - nothing of one leg's routing reaches the other
/// (topology hiding, RFC 5853 §3.1.2). SDP bodies pass through or through <see cref="B2buaOptions.RewriteSdp"/>,
/// also on delayed-offer INVITEs and re-INVITEs (offer in the 2xx, answer in the ACK). Extensions are per leg:
/// reliable provisionals are PRACKed on the callee leg and sent reliably to a caller that supports them (RFC 3262),
/// each leg runs its own session timer (RFC 4028), the callee's 3xx are followed here (RFC 3261 §8.1.3.4), and the
/// default route follows the binding's Path or NAT flow. With <see cref="B2buaOptions.Authentication"/> the
/// domain's callers are challenged (401/403).
/// Sans-IO over a <see cref="TransactionLayer"/> and the <see cref="DialogLayer"/> of RFC 3261 §12;
/// single-threaded like the rest of the stack. When given a registrar it also serves REGISTER, so the
/// default route finds the callee's binding.
/// </summary>
public sealed partial class SipB2bua : ITransactionUser, IEndpointTimers
{
    private const string AllowLine = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO\r\n";
    private readonly TransactionLayer _layer;
    private readonly DialogLayer _dialogs;
    private readonly B2buaOptions _options;
    private readonly ILocationService? _location;
    private readonly SipRegistrar? _registrar;
    private readonly Func<long> _nowMs;
    private readonly List<B2buaCall> _calls = [];
    private readonly List<LocationBinding> _bindings = [];
    private readonly byte[] _buffer = new byte[16384];
    private readonly SipMessage _scratch = new();
    private readonly string _contactLine;
    private readonly string _host;

    /// <summary>Creates the B2BUA over <paramref name="layer"/>.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="layer">The transaction layer whose user this becomes.</param>
    /// <param name="location">The location service of the default route (null: only <see cref="B2buaOptions.Route"/> routes).</param>
    /// <param name="registrar">Serves REGISTER when not null; otherwise REGISTER gets 405.</param>
    /// <param name="nowMs">Milliseconds on the clock of the location service (default: the layer's clock).</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SipB2bua(B2buaOptions options, TransactionLayer layer, ILocationService? location = null, SipRegistrar? registrar = null, Func<long>? nowMs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layer);
        options.Validate();
        _options = options;
        _layer = layer;
        _location = location;
        _registrar = registrar;
        _nowMs = nowMs ?? (() => layer.Clock.NowMicros / 1000);
        _dialogs = new DialogLayer(new EndpointOptions { MaxDialogs = 2 * options.MaxCalls + 16 }, layer, options.LocalSentBy);
        _dialogs.Terminated += OnDialogTerminated;
        _contactLine = "Contact: <" + options.ContactUri + ">\r\n";
        _host = options.LocalSentBy.StartsWith('[') ? options.LocalSentBy[..(options.LocalSentBy.IndexOf(']') + 1)] : options.LocalSentBy.Split(':')[0];
    }

    /// <summary>Raised for every call event, on the endpoint's thread.</summary>
    public event Action<B2buaEvent>? CallChanged;

    /// <summary>Calls alive (setting up or established).</summary>
    public IReadOnlyList<B2buaCall> Calls => _calls;

    /// <summary>The dialog layer both legs live in.</summary>
    public DialogLayer Dialogs => _dialogs;

    /// <inheritdoc />
    public long NextDeadline
    {
        get
        {
            long d = _dialogs.NextDeadline;
            foreach (B2buaCall c in _calls) d = Math.Min(d, Math.Min(Math.Min(c._noAnswerAt, c._reliableAt), TimerDeadline(c)));
            return d;
        }
    }

    /// <inheritdoc />
    public void ProcessTimers()
    {
        _dialogs.ProcessTimers();
        long now = _layer.Clock.NowMicros;
        foreach (B2buaCall c in _calls.ToArray())
        {
            ProcessSessionTimers(c, now);
            if (c._reliableAt <= now) OnReliableTimer(c, now);
            if (c._noAnswerAt > now || c.IsEstablished || c.IsEnded) continue;
            // Nobody answered in time: CANCEL the callee leg (§9.1) and give the caller 408 (§21.4.9).
            if (c._calleeInvite is not null) _layer.Cancel(c._calleeInvite);
            FailSetup(c, 408, "Request Timeout (no answer)", B2buaSide.Callee);
        }
    }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethod.Register)
        {
            if (_registrar is null)
            {
                Respond(transaction, request, 405, "Method Not Allowed", "b2b", AllowLine);
                return;
            }
            RegistrarResponse r = _registrar.Process(request, transaction.Source, _nowMs(), DateTime.UtcNow);
            int n = r.Write(request, transaction.Source, _buffer);
            if (n > 0) _layer.Respond(transaction, _buffer.AsSpan(0, n));
            else _layer.Respond(transaction, 500, "Server Internal Error"u8, "b2b"u8);
            return;
        }
        if (request.To.HasTag)
        {
            OnInDialogRequest(transaction, request);
            return;
        }
        switch (request.Method)
        {
            case SipMethod.Invite:
                OnInvite(transaction, request);
                break;
            case SipMethod.Options:
                // §11.2: OPTIONS outside a dialog gets our capabilities.
                Respond(transaction, request, 200, "OK", "b2b", AllowLine + "Accept: application/sdp\r\n");
                break;
            case SipMethod.Bye:
                // §15.1.2: a BYE that matches no dialog gets 481.
                Respond(transaction, request, 481, "Call/Transaction Does Not Exist", "b2b");
                break;
            default:
                // §8.2.1: a method we do not handle outside a dialog gets 405 with Allow.
                Respond(transaction, request, 405, "Method Not Allowed", "b2b", AllowLine);
                break;
        }
    }

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(ack);
        // §13.3.1.4: the ACK for our 2xx stops its retransmission. The other leg's ACK was sent when its
        // 2xx arrived (the offer was in the request, so that ACK carries no body, §13.2.2.4) - unless that
        // 2xx carried the offer: then this ACK has the answer, and the other leg's ACK carries it on.
        Dialog? d = _dialogs.OnAck(ack);
        if (d?.UserData is B2buaCall call && call._ackFrom == d && ack.CSeqNumber == call._ackFromSeq) BridgeAck(call, d, ack);
    }

    /// <summary>Sends the held-back ACK of the other leg with the answer this leg's ACK carried (RFC 3261 §13.2.1).</summary>
    private void BridgeAck(B2buaCall call, Dialog from, SipMessage ack)
    {
        Dialog to = call._ackTo!;
        call._ackFrom = null;
        call._ackTo = null;
        B2buaSide side = from == call.CallerDialog ? B2buaSide.Caller : B2buaSide.Callee;
        string? problem = CheckAnswer(ack, call._offerMedia);
        if (problem is null)
        {
            ReadOnlyMemory<byte> answer = Rewrite(call, side, ack.Body.ToArray());
            if (_dialogs.SendAck(to, "Content-Type: application/sdp\r\n", answer.Span)) return;
            problem = "the ACK with the answer could not be sent";
        }
        // §13.2.2.4 / §13.3.1.4: an ACK cannot be refused. The other leg gets its ACK (without answer) so its
        // 2xx stops, then both legs get BYE saying why (RFC 3326 Reason).
        _dialogs.SendAck(to);
        if (!call.IsEstablished) return;
        EndEstablished(call, null, 488, problem, ReasonLine(488, problem));
    }

    /// <summary>Why an ACK's body is not a usable answer to an offer with <paramref name="offerMedia"/> m= lines, or null.</summary>
    private static string? CheckAnswer(SipMessage ack, int offerMedia)
    {
        if (ack.Body.IsEmpty) return "the ACK carried no SDP answer";
        if (!IsSdp(ack.ContentType)) return "the ACK's body is not application/sdp";
        SdpError e = SdpSessionDescription.TryParse(ack.Body, out SdpSessionDescription? answer, out int line);
        if (e != SdpError.None || answer is null) return $"the SDP answer in the ACK is malformed ({e} at line {line})";
        // RFC 3264 §6: the answer has exactly as many m= lines as the offer.
        if (offerMedia >= 0 && answer.Media.Count != offerMedia) return $"the SDP answer has {answer.Media.Count} m= lines, the offer {offerMedia}";
        return null;
    }

    private static int MediaCount(ReadOnlySpan<byte> sdp) =>
        SdpSessionDescription.TryParse(sdp, out SdpSessionDescription? s, out _) == SdpError.None && s is not null ? s.Media.Count : -1;

    /// <summary>A Reason header line (RFC 3326 §2) for a BYE the B2BUA sends.</summary>
    private static string ReasonLine(int cause, string text) =>
        "Reason: SIP;cause=" + cause.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";text=\"" + text.Replace("\"", "'", StringComparison.Ordinal) + "\"\r\n";

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.UserData is B2buaCall call && call._callerInvite == invite && !call.IsEnded)
        {
            // §9.2: the INVITE gets 487; the CANCEL goes on to the callee leg (§9.1 waits for its 1xx).
            if (call._calleeInvite is not null) _layer.Cancel(call._calleeInvite);
            FailSetup(call, 487, "Request Terminated", B2buaSide.Caller);
            return;
        }
        _layer.Respond(invite, 487, "Request Terminated"u8, "b2b"u8);
    }

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        switch (transaction.UserData)
        {
            case B2buaCall call:
                OnCalleeInviteResponse(transaction, call, response);
                break;
            case B2buaRelay relay:
                OnRelayResponse(transaction, relay, response);
                break;
            case B2buaRefresh refresh:
                OnRefreshResponse(transaction, refresh, response);
                break;
            default:
                _dialogs.OnResponse(transaction, response); // our own BYEs
                break;
        }
    }

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source) => _dialogs.OnStrayResponse(response);

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        // §8.1.3.1: a timeout reads as 408, a transport error as 503.
        (int status, string reason) = failure == TransactionError.Timeout ? (408, "Request Timeout") : (503, "Service Unavailable");
        switch (transaction.UserData)
        {
            case B2buaCall call when !call.IsEnded && !call.IsEstablished:
                FailSetup(call, status, reason, B2buaSide.Callee);
                break;
            case B2buaRelay relay:
                RespondRelay(relay, status, reason, "", default, default);
                break;
            case B2buaRefresh refresh when !refresh.Call.IsEnded:
                // RFC 4028 §10 / §12.2.1.2: our refresh got no answer - that side is gone; end both legs.
                EndEstablished(refresh.Call, null, status, reason + " to our session refresh", ReasonLine(status, "Session refresh failed"));
                break;
        }
    }

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction)
    {
    }

    private void OnInvite(Transaction transaction, SipMessage request)
    {
        if (_calls.Count >= _options.MaxCalls)
        {
            // §21.5.4: overloaded - 503 with Retry-After so the caller backs off.
            Respond(transaction, request, 503, "Service Unavailable (call limit)", "b2b", RetryAfterLine());
            Raise(B2buaEventKind.Rejected, SipMessage.ToText(request.CallId), "", 503, "call limit", B2buaSide.Caller);
            return;
        }
        if (request.MaxForwards == 0)
        {
            Respond(transaction, request, 483, "Too Many Hops", "b2b");
            return;
        }
        string unsupported = UnsupportedRequired(request);
        if (unsupported.Length > 0)
        {
            // §8.2.2.3: extensions are per leg here; one we do not implement ourselves gets 420.
            Respond(transaction, request, 420, "Bad Extension", "b2b", "Unsupported: " + unsupported + "\r\n");
            return;
        }
        if (!AuthenticateCaller(transaction, request)) return;
        if (RejectSmallSessionExpires(transaction, request, "b2b")) return;
        bool offerless = request.Body.IsEmpty;
        if (!offerless && !IsSdp(request.ContentType))
        {
            // §21.4.13: a session body we cannot read gets 415 with what we accept (§8.2.3).
            Respond(transaction, request, 415, "Unsupported Media Type", "b2b", "Accept: application/sdp\r\n");
            Raise(B2buaEventKind.Rejected, SipMessage.ToText(request.CallId), "", 415, "body is not SDP", B2buaSide.Caller);
            return;
        }

        var routeRequest = new B2buaRouteRequest(SipMessage.ToText(request.RequestUri), SipMessage.ToText(request.From.Uri),
            SipMessage.ToText(request.To.Uri), transaction.Source);
        B2buaRoute route = _options.Route is { } hook ? hook(routeRequest) : DefaultRoute(routeRequest);
        if (!route.IsForward)
        {
            Respond(transaction, request, route.StatusCode, route.Reason, "b2b", route.StatusCode == 503 ? RetryAfterLine() : "");
            Raise(B2buaEventKind.Rejected, SipMessage.ToText(request.CallId), "", route.StatusCode, route.Reason, B2buaSide.Caller);
            return;
        }

        var call = new B2buaCall(SipMessage.ToText(request.CallId), RandomHex(24) + "@" + _host, RandomHex(16), RandomHex(16))
        {
            TargetUri = route.TargetUri,
        };
        call._callerRequest = request.Span.ToArray();
        // RFC 3261 §13.2.1 / RFC 3264 §5: an INVITE without offer (delayed offer) goes on without one; the
        // callee's 2xx then carries the offer to the caller and the caller's ACK the answer back.
        call._delayedOffer = offerless;
        call._callerRequires100rel = CallHeaders.Has(request, SipHeaderKind.Require, "100rel");
        call._callerSupports100rel = call._callerRequires100rel || CallHeaders.Has(request, SipHeaderKind.Supported, "100rel");
        ReadOnlyMemory<byte> offer = offerless ? default : Rewrite(call, B2buaSide.Caller, request.Body.ToArray());
        call._calleeOffer = offer;
        call._route = route;
        call._triedTargets.Add(route.TargetUri);
        call._calleeSessionExpires = (uint)_options.SessionExpires.TotalSeconds;
        call._calleeMinSE = OurMinSE;
        int n = WriteInvite(call, request, route, offer.Span);
        Transaction? t = null;
        try
        {
            if (n > 0) t = _layer.SendRequest(_buffer.AsSpan(0, n), route.Destination);
        }
        catch (ArgumentException)
        {
            t = null; // a target from the hook that does not make a valid request
        }
        if (t is null)
        {
            Respond(transaction, request, 503, "Service Unavailable (callee unreachable)", "b2b", RetryAfterLine());
            Raise(B2buaEventKind.Rejected, call.CallerCallId, "", 503, "INVITE could not be sent", B2buaSide.Caller);
            return;
        }
        t.UserData = call;
        transaction.UserData = call;
        call._calleeInvite = t;
        call._callerInvite = transaction;
        call._noAnswerAt = _layer.Clock.NowMicros + _options.NoAnswerTimeout.Ticks / 10;
        _calls.Add(call);
        Raise(B2buaEventKind.Routing, call, 0, route.TargetUri, B2buaSide.Caller);
    }

    private B2buaRoute DefaultRoute(B2buaRouteRequest r)
    {
        if (!SipUri.TryParse(r.RequestUri, out SipUri? uri) || uri is null) return B2buaRoute.Reject(416, "Unsupported URI Scheme");
        // §8.2.2.1: an address we do not accept requests for gets 404 (no open relay to foreign domains).
        if (!ServesDomain(uri.Host) || _location is null || uri.User is null) return B2buaRoute.Reject(404, "Not Found");
        _bindings.Clear();
        switch (LocationQuery.Find(_location, SipRegistrar.Canonical(uri), _nowMs(), _bindings))
        {
            case LocationOutcome.Unreachable:
                return B2buaRoute.Reject(503, "Service Unavailable (location service unreachable)");
            case LocationOutcome.NotFound:
                return B2buaRoute.Reject(404, "Not Found");
            case LocationOutcome.AllExpired:
                return B2buaRoute.Reject(480, "Temporarily Unavailable");
        }
        // The best binding (highest q, the store's order) we can send to.
        foreach (LocationBinding b in _bindings)
        {
            string contact = b.ContactText;
            var routes = new List<string>();
            LocationRoute.AddPath(Encoding.UTF8.GetString(b.Path), routes);
            if (routes.Count > 0)
            {
                // RFC 3327 §5.3: the request carries the binding's Path as its Route set and goes to the first Path hop
                // (Path URIs are loose routers; §16.12 would rewrite a strict one, which a registrar's Path never names).
                if (SipUriTarget.TryResolveLiteral(HeaderValues.UriOf(routes[0]), out PeerAddress hop)) return B2buaRoute.Forward(contact, hop, routes, keepsFlow: false);
                continue;
            }
            bool literal = SipUriTarget.TryResolveLiteral(contact, out PeerAddress dest);
            if (LocationRoute.TryGetReceived(b, out PeerAddress received)
                && (!literal || received.Protocol != dest.Protocol || !received.ToEndPoint().Equals(dest.ToEndPoint())))
            {
                // The REGISTER came from another address than its Contact names: the Contact is behind NAT (or a name
                // we do not resolve). RFC 5626 §5.3 / RFC 3581: reach it over the flow its registration used, for
                // the INVITE and for every later request of the callee leg.
                return B2buaRoute.Forward(contact, received, [], keepsFlow: true);
            }
            if (literal) return B2buaRoute.Forward(contact, dest);
        }
        return B2buaRoute.Reject(480, "Temporarily Unavailable");
    }

    private int WriteInvite(B2buaCall call, SipMessage request, B2buaRoute route, ReadOnlySpan<byte> offer)
    {
        var w = new SipMessageWriter(_buffer);
        w.Append("INVITE "u8);
        w.AppendText(route.TargetUri);
        w.Append(" SIP/2.0\r\nVia: SIP/2.0/"u8);
        w.AppendText(ProtocolName(route.Destination.Protocol));
        w.Append((byte)' ');
        w.AppendText(_options.LocalSentBy);
        w.Append(";branch="u8);
        Span<byte> branch = stackalloc byte[BranchId.Length];
        BranchId.Write(branch);
        w.Append(branch);
        // §16.6 step 3 applied to a B2BUA: decrement Max-Forwards so a routing loop through us ends in 483.
        w.Append(";rport\r\n"u8);
        foreach (string r in route.Routes)
        {
            w.Append("Route: "u8);
            w.AppendText(r);
            w.Append("\r\n"u8);
        }
        w.Append("Max-Forwards: "u8);
        w.AppendInt(request.MaxForwards > 0 ? Math.Min(request.MaxForwards - 1, 70) : 70);
        // The caller's identity (From URI) goes on; its tag, display parameters and Call-ID do not.
        w.Append("\r\nFrom: <"u8);
        w.Append(request.From.Uri);
        w.Append(">;tag="u8);
        w.AppendText(call.CalleeLocalTag);
        w.Append("\r\nTo: <"u8);
        w.Append(request.To.Uri);
        w.Append(">\r\nCall-ID: "u8);
        w.AppendText(call.CalleeCallId);
        w.Append("\r\nCSeq: "u8);
        w.AppendInt(call._calleeCSeq);
        w.Append(" INVITE\r\n"u8);
        w.AppendText(_contactLine);
        w.AppendText(AllowLine);
        // RFC 3262 §4: we PRACK the callee's reliable 1xx, so we say we support them - except on a delayed-offer
        // call, where a reliable 1xx would carry the offer and its PRACK the caller's answer, which we do not bridge.
        string supported = (call._delayedOffer ? "" : "100rel") + (TimersOn ? (call._delayedOffer ? "timer" : ", timer") : "");
        if (supported.Length > 0) w.AppendText("Supported: " + supported + "\r\n");
        w.AppendText(RequestTimerLines(call, B2buaSide.Callee, initial: true));
        if (!offer.IsEmpty) w.Append("Content-Type: application/sdp\r\n"u8);
        w.EndWithBody(offer);
        return w.Overflowed ? -1 : w.Length;
    }

    private void OnCalleeInviteResponse(Transaction transaction, B2buaCall call, SipMessage response)
    {
        int code = response.StatusCode;
        // §13.2.2.4: the dialog layer ACKs a 2xx - except the 2xx that answers a delayed-offer INVITE, whose
        // ACK must carry the caller's answer and so waits for the caller's ACK (§13.2.1).
        bool holdAck = code is >= 200 and < 300 && (call._delayedOffer || call._route.KeepsFlow) && !call.IsEstablished && !call.IsEnded;
        Dialog? d = _dialogs.OnResponse(transaction, response, holdAck);
        if (d is not null && call._route.KeepsFlow)
        {
            // RFC 5626 §5.3: the callee's Contact is behind NAT; its dialog's requests (PRACK, ACK, BYE, ...) use its flow.
            d.Flow = call._route.Destination;
            if (holdAck && !call._delayedOffer) _dialogs.SendAck(d);
        }
        if (call.IsEnded)
        {
            // The caller cancelled (or the setup failed) while this 2xx was on its way: end that dialog (§15).
            if (code is >= 200 and < 300 && d is not null && d.State == DialogState.Confirmed) _dialogs.SendRequest(d, "BYE");
            return;
        }
        if (code == 100) return; // hop by hop (§8.2.6.1): the caller got its own 100 Trying
        if (code < 200)
        {
            if (call._callerInvite is null) return;
            SipMessage callerRequest = CallerRequest(call);
            if (call.CallerDialog is null)
            {
                call.CallerDialog = CreateCallerDialog(call, call._callerInvite, callerRequest);
            }
            bool calleeReliable = false;
            if (d is not null && !PrackCallee(call, d, response, out calleeReliable)) return; // a retransmitted reliable 1xx
            ReadOnlyMemory<byte> early = SdpOf(call, B2buaSide.Callee, response);
            // RFC 3262 §5: SDP in a reliable 1xx is the callee's answer; it cannot change any more, so the caller's
            // 2xx carries exactly it even when the callee's 2xx repeats or omits it (RFC 3261 §13.2.1).
            if (calleeReliable && !early.IsEmpty && !call._delayedOffer && call._earlyAnswer.IsEmpty) call._earlyAnswer = early;
            SendProvisionalToCaller(call, code, response.ReasonPhrase, early, calleeReliable);
            Raise(B2buaEventKind.Ringing, call, code, SipMessage.ToText(response.ReasonPhrase), B2buaSide.Callee);
            return;
        }
        if (code < 300)
        {
            if (d is null)
            {
                // No dialog could be made (table full): nothing to bridge to.
                FailSetup(call, 503, "Service Unavailable", B2buaSide.Callee);
                return;
            }
            if (call.IsEstablished)
            {
                // A second fork answered (§13.2.2.4): we keep the first and end this one.
                if (d != call.CalleeDialog) _dialogs.SendRequest(d, "BYE");
                return;
            }
            d.UserData = call;
            call.CalleeDialog = d;
            Transaction callerInvite = call._callerInvite!;
            SipMessage callerRequest = CallerRequest(call);
            if (call.CallerDialog is null)
            {
                call.CallerDialog = CreateCallerDialog(call, callerInvite, callerRequest);
                if (call.CallerDialog is null)
                {
                    _dialogs.SendRequest(d, "BYE");
                    FailSetup(call, 503, "Service Unavailable", B2buaSide.Callee);
                    return;
                }
            }
            StopReliable(call); // RFC 3262 §3: the final response ends the caller's 1xx retransmissions
            call._reliableQueue.Clear();
            ReadOnlyMemory<byte> calleeSdp = call._earlyAnswer.IsEmpty ? SdpOf(call, B2buaSide.Callee, response) : call._earlyAnswer;
            if (call._delayedOffer)
            {
                if (calleeSdp.IsEmpty)
                {
                    // §13.2.1: the 2xx to an INVITE without offer must carry the offer. Without one there is no
                    // session to bridge: ACK (empty), BYE the callee with the reason, the caller gets 502.
                    _dialogs.SendAck(d);
                    _dialogs.SendRequest(d, "BYE", ReasonLine(502, "the 2xx to an offerless INVITE carried no SDP offer"));
                    FailSetup(call, 502, "Bad Gateway (the callee's 2xx carried no SDP offer)", B2buaSide.Callee);
                    return;
                }
                // The answer comes in the caller's ACK (§13.2.1) and goes on in the callee leg's ACK.
                call._ackFrom = call.CallerDialog;
                call._ackTo = d;
                call._ackFromSeq = callerRequest.CSeqNumber;
                call._offerMedia = MediaCount(calleeSdp.Span);
            }
            ApplyAsUac(call, B2buaSide.Callee, response);
            string timerLines = NegotiateAsUas(call, B2buaSide.Caller, callerRequest, out uint callerSe, out bool weRefreshCaller);
            if (callerSe > 0) call._callerTimer.Start(_layer.Clock.NowMicros, callerSe, weRefreshCaller);
            int n = WriteResponse(callerRequest, callerInvite.Source, code, response.ReasonPhrase, call.CallerLocalTag, AllowLine + timerLines,
                calleeSdp, contact: true);
            call.IsEstablished = true;
            call._noAnswerAt = long.MaxValue;
            call._callerInvite = null;
            call._calleeInvite = null;
            // §13.3.1.4: the dialog layer retransmits the 2xx until the caller's ACK.
            if (n <= 0 || !_dialogs.SendSuccess(callerInvite, call.CallerDialog, _buffer.AsSpan(0, n)))
            {
                EndEstablished(call, null, 500, "2xx could not be sent");
                return;
            }
            Raise(B2buaEventKind.Established, call, code, SipMessage.ToText(response.ReasonPhrase), B2buaSide.Callee);
            return;
        }
        if (call.IsEstablished) return; // another fork already answered
        if (code == 422 && TryRetryAfter422(call, response)) return;
        // §8.1.3.4: a 3xx names other targets; a failure of a redirected target moves on to the next one.
        if ((code is >= 300 and < 400 || call._redirects > 0) && TryNextTarget(call, response)) return;
        (int status, string reason) = MapFailure(code, SipMessage.ToText(response.ReasonPhrase));
        FailSetup(call, status, reason, B2buaSide.Callee);
    }

    /// <summary>
    /// The caller's dialog (§12.1.1). A caller whose INVITE came straight from another address than its Contact
    /// names (no Record-Route: no proxy that keeps the path) is behind NAT: the leg's requests (BYE, re-INVITE)
    /// go back where the INVITE came from, as its responses do (RFC 3581), not to an unreachable private Contact.
    /// </summary>
    private Dialog? CreateCallerDialog(B2buaCall call, Transaction invite, SipMessage callerRequest)
    {
        Dialog? d = _dialogs.CreateUas(invite, callerRequest, call.CallerLocalTag);
        if (d is null) return null;
        d.UserData = call;
        PeerAddress source = invite.Source;
        if (d.RouteSet.Count == 0 && !source.IsEmpty
            && (!SipUriTarget.TryResolveLiteral(d.RemoteTarget, out PeerAddress contact)
                || !contact.ToEndPoint().Address.Equals(source.ToEndPoint().Address) || contact.Port != source.Port))
        {
            d.Flow = source;
        }
        return d;
    }

    /// <summary>
    /// The status the caller gets for the callee leg's final failure. Most pass unchanged (486 stays
    /// 486); a few belong to the callee leg's own hop and are translated.
    /// </summary>
    internal static (int Status, string Reason) MapFailure(int code, string reason) => code switch
    {
        // §8.1.3.4: a B2BUA does not hand the callee side's redirect Contacts to the caller (topology
        // hiding); the target is simply not reachable now.
        >= 300 and < 400 => (480, "Temporarily Unavailable"),
        // §22.3: the challenge is for the B2BUA's own credentials towards the callee side, which the caller
        // cannot answer; the callee side refused us.
        401 or 407 => (403, "Forbidden"),
        // §16.7 step 6 (the rule for proxies, same reason here): a downstream 503 means that server is
        // overloaded, not us - passing it on would make the caller avoid this B2BUA.
        503 => (500, "Server Internal Error"),
        _ => (code, reason.Length == 0 ? "Failed" : reason),
    };

    private void FailSetup(B2buaCall call, int status, string reason, B2buaSide from)
    {
        if (call.IsEnded) return;
        call.IsEnded = true;
        _calls.Remove(call);
        if (call._callerInvite is { } t)
        {
            SipMessage callerRequest = CallerRequest(call);
            int n = WriteResponse(callerRequest, t.Source, status, Encoding.UTF8.GetBytes(reason), call.CallerLocalTag,
                status == 503 ? RetryAfterLine() : "", default, contact: false);
            if (n > 0) _layer.Respond(t, _buffer.AsSpan(0, n));
        }
        call._callerInvite = null;
        if (call.CallerDialog is { } cd) _dialogs.End(cd); // §12.1: a non-2xx final ends the early dialog
        Raise(B2buaEventKind.Ended, call, status, reason, from);
    }

    private void Raise(B2buaEventKind kind, B2buaCall call, int status, string reason, B2buaSide from) =>
        Raise(kind, call.CallerCallId, call.CalleeCallId, status, reason, from);

    private void Raise(B2buaEventKind kind, string callerCallId, string calleeCallId, int status, string reason, B2buaSide from) =>
        CallChanged?.Invoke(new B2buaEvent(kind, callerCallId, calleeCallId, status, reason, from));

    private SipMessage CallerRequest(B2buaCall call)
    {
        SipParser.Parse(call._callerRequest.AsMemory(), SipFraming.Datagram, _scratch);
        return _scratch;
    }

    private ReadOnlyMemory<byte> SdpOf(B2buaCall call, B2buaSide from, SipMessage message) =>
        message.Body.IsEmpty || !IsSdp(message.ContentType) ? default : Rewrite(call, from, message.Body.ToArray());

    private ReadOnlyMemory<byte> Rewrite(B2buaCall call, B2buaSide from, ReadOnlyMemory<byte> body) =>
        _options.RewriteSdp is { } hook ? hook(call, from, body) : body;

    private static bool IsSdp(ReadOnlySpan<byte> contentType)
    {
        int semi = contentType.IndexOf((byte)';');
        return Ascii.EqualsIgnoreCase((semi >= 0 ? contentType[..semi] : contentType).Trim(" \t"u8), "application/sdp"u8);
    }

    /// <summary>A response to <paramref name="request"/> with our Contact (when asked), extra lines and an optional SDP body.</summary>
    private int WriteResponse(SipMessage request, in PeerAddress source, int status, ReadOnlySpan<byte> reason, string toTag,
        string extra, ReadOnlyMemory<byte> sdp, bool contact, ReadOnlySpan<byte> otherContentType = default)
    {
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, source, status, reason.IsEmpty ? "Unknown"u8 : reason, Encoding.ASCII.GetBytes(toTag));
        if (contact) w.AppendText(_contactLine);
        w.AppendText(extra);
        if (!sdp.IsEmpty)
        {
            w.Append("Content-Type: "u8);
            if (otherContentType.IsEmpty) w.Append("application/sdp"u8);
            else w.Append(otherContentType);
            w.Append("\r\n"u8);
        }
        w.EndWithBody(sdp.Span);
        return w.Overflowed ? -1 : w.Length;
    }

    private void Respond(Transaction transaction, SipMessage request, int status, string reason, string toTag, string extra = "")
    {
        int n = WriteResponse(request, transaction.Source, status, Encoding.UTF8.GetBytes(reason), toTag, extra, default, contact: false);
        if (n > 0) _layer.Respond(transaction, _buffer.AsSpan(0, n));
    }

    private string RetryAfterLine() => "Retry-After: " + _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n";

    private static string ProtocolName(TransportProtocol p) => p switch
    {
        TransportProtocol.Tcp => "TCP",
        TransportProtocol.Tls => "TLS",
        _ => "UDP",
    };

    private static string RandomHex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        SecureRandom.Fill(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }
}
