// The UA core's page-mode instant messages: MESSAGE sent with digest authentication and received (RFC 3428).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private readonly Dictionary<int, OutgoingMessage> _messages = [];
    private MessagingOptions _messaging = new();
    private int _nextMessageId;

    /// <summary>Raised for each MESSAGE accepted with 200, on the endpoint's thread.</summary>
    public event Action<IncomingMessage>? MessageReceived;

    /// <summary>Raised once per MESSAGE sent with <see cref="SendMessage"/>, with its final outcome.</summary>
    public event Action<MessageEvent>? MessageCompleted;

    /// <summary>Accepted media types and size limits of MESSAGE.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public MessagingOptions Messaging
    {
        get => _messaging;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _messaging = value;
        }
    }

    /// <summary>MESSAGE requests sent and not yet answered finally.</summary>
    public int PendingMessages => _messages.Count;

    /// <summary>
    /// Sends a MESSAGE outside any dialog (RFC 3428 §4) to <paramref name="targetUri"/> through
    /// <paramref name="destination"/> (the peer or the outbound proxy), answering 401/407 with
    /// <paramref name="credentials"/>. The outcome arrives as one <see cref="MessageCompleted"/> event.
    /// </summary>
    /// <returns>The message id the event carries.</returns>
    /// <exception cref="InvalidOperationException">The core was created without <see cref="UserAgentOptions"/>.</exception>
    /// <exception cref="ArgumentException">The URI or the content type is malformed.</exception>
    public int SendMessage(string targetUri, PeerAddress destination, string contentType, ReadOnlySpan<byte> body, IReadOnlyList<SipCredentials>? credentials = null)
    {
        _ = _options ?? throw new InvalidOperationException("MESSAGE needs UserAgentOptions.");
        CheckUri(targetUri, nameof(targetUri));
        CheckContentType(contentType);
        int id = ++_nextMessageId;
        // RFC 3261 §23, RFC 8591: the body is protected end to end when UserAgentOptions.ProtectBodies asks.
        bool protectedOk = TryProtectBody(contentType, body, targetUri, out string sendType, out string? disposition, out byte[] sendBody, out string refused);
        var m = new OutgoingMessage(id, targetUri, destination, sendType, sendBody, NewCallId(), RandomHex(16), new ClientAuthenticator(credentials)) { ContentDisposition = disposition };
        _messages.Add(id, m);
        if (!protectedOk)
        {
            CompleteMessage(m, MessageEventKind.Failed, 0, refused);
            return id;
        }
        m.Auth.BeginRequest();
        SendMessageRequest(m);
        return id;
    }

    /// <summary>Sends a MESSAGE in <paramref name="call"/>'s confirmed dialog (RFC 3428 §7); 0 when it has none.</summary>
    internal int SendCallMessage(SipCall call, string contentType, ReadOnlySpan<byte> body)
    {
        CheckContentType(contentType);
        if (call.State != CallState.Active || call.Dialog is not { State: DialogState.Confirmed } d) return 0;
        int id = ++_nextMessageId;
        string remoteUri = HeaderValues.UriOf(d.RemoteHeader);
        bool protectedOk = TryProtectBody(contentType, body, remoteUri, out string sendType, out string? disposition, out byte[] sendBody, out string refused);
        var m = new OutgoingMessage(id, remoteUri, default, sendType, sendBody, d.CallId, d.LocalTag, new ClientAuthenticator(null)) { ContentDisposition = disposition, Call = call };
        _messages.Add(id, m);
        if (!protectedOk)
        {
            CompleteMessage(m, MessageEventKind.Failed, 0, refused);
            return id;
        }
        SendCallMessageRequest(m, d);
        return id;
    }

    private void SendCallMessageRequest(OutgoingMessage m, Dialog d)
    {
        // §12.2.1.1: the dialog layer writes Request-URI, Route set, From/To with tags, Call-ID and the next
        // CSeq; its authorization hook adds the call's credentials of realms that challenged it (§22.3).
        string headers = "Content-Type: " + m.ContentType + "\r\n" + (m.ContentDisposition is null ? "" : "Content-Disposition: " + m.ContentDisposition + "\r\n");
        Transaction? t = _dialogs!.SendRequest(d, "MESSAGE", headers, m.Body);
        if (t is null)
        {
            CompleteMessage(m, MessageEventKind.Failed, 503, "Service Unavailable (MESSAGE could not be sent in the dialog)");
            return;
        }
        t.UserData = m;
        m.Pending = t;
        m.PendingGeneration = t.Generation;
    }

    private static void CheckContentType(string contentType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!contentType.Contains('/', StringComparison.Ordinal) || contentType.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException($"'{contentType}' is not a media type.", nameof(contentType));
    }

    private void SendMessageRequest(OutgoingMessage m)
    {
        // §8.1.3.5 / RFC 3428 §4: a re-send after a challenge is a new request: same Call-ID and tag, next CSeq.
        m.CSeq++;
        string headers = "Content-Type: " + m.ContentType + "\r\n" + (m.ContentDisposition is null ? "" : "Content-Disposition: " + m.ContentDisposition + "\r\n") + m.Auth.Authorization("MESSAGE", m.TargetUri, m.Body);
        int n = WriteOutOfDialog("MESSAGE", m.TargetUri, m.TargetUri, m.CallId, m.FromTag, m.CSeq, m.Destination.Protocol, withContact: false, headers, m.Body);
        if (n < 0)
        {
            CompleteMessage(m, MessageEventKind.Failed, 513, "Message Too Large (does not fit the send buffer)");
            return;
        }
        // RFC 3428 §7: outside a media session a MESSAGE over UDP stays within 1300 bytes.
        if (m.Destination.Protocol == TransportProtocol.Udp && n > _messaging.MaxDatagramBytes)
        {
            CompleteMessage(m, MessageEventKind.Failed, 513, $"Message Too Large ({n} bytes over UDP, limit {_messaging.MaxDatagramBytes}; use TCP or TLS)");
            return;
        }
        Transaction? t = _layer.SendRequest(_layer.MessageBuffer.AsSpan(0, n), m.Destination);
        if (t is null)
        {
            CompleteMessage(m, MessageEventKind.Failed, 503, "Service Unavailable (transaction table full)");
            return;
        }
        t.UserData = m;
        m.Pending = t;
        m.PendingGeneration = t.Generation;
    }

    private void OnMessageResponse(OutgoingMessage m, Transaction transaction, SipMessage response)
    {
        if (!ReferenceEquals(m.Pending, transaction) || transaction.Generation != m.PendingGeneration) return;
        int code = response.StatusCode;
        if (code < 200) return;
        m.Pending = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 300)
        {
            CompleteMessage(m, MessageEventKind.Delivered, code, reason);
            return;
        }
        if (m.Call is { } call)
        {
            OnCallMessageFailure(m, call, response);
            return;
        }
        if (code is 401 or 407)
        {
            string? refused = m.Auth.OnChallenge(response);
            if (refused is null)
            {
                SendMessageRequest(m);
                return;
            }
            reason += " (" + refused + ")";
        }
        CompleteMessage(m, MessageEventKind.Failed, code, reason);
    }

    /// <summary>A final non-2xx to a MESSAGE sent in a call's dialog.</summary>
    private void OnCallMessageFailure(OutgoingMessage m, SipCall call, SipMessage response)
    {
        int code = response.StatusCode;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code is 401 or 407 && _options is { } o && call.Dialog is { } d && call.State == CallState.Active)
        {
            // §22.2 / §22.3: the call's authenticator answers the challenge; the dialog's hook adds the
            // credentials to the re-sent MESSAGE (a new CSeq in the dialog, §8.1.3.5).
            call._auth ??= new ClientAuthenticator(o.Credentials);
            string? refused = o.Credentials.Count == 0 ? "no credentials" : call._auth.OnChallenge(response);
            if (refused is null)
            {
                SendCallMessageRequest(m, d);
                return;
            }
            reason += " (" + refused + ")";
        }
        CompleteMessage(m, MessageEventKind.Failed, code, reason);
        // §12.2.1.2: a 481 or 408 to a request within a dialog terminates the dialog.
        if (code is 481 or 408) End(call, code, reason + " (to MESSAGE)", byLocal: false);
    }

    private void OnMessageError(OutgoingMessage m, Transaction transaction, TransactionError failure)
    {
        if (!ReferenceEquals(m.Pending, transaction) || transaction.Generation != m.PendingGeneration) return;
        m.Pending = null;
        // §8.1.3.1: Timer F counts as 408, a transport failure as 503.
        if (failure == TransactionError.TransportError) CompleteMessage(m, MessageEventKind.Failed, 503, "Service Unavailable (transport error)");
        else CompleteMessage(m, MessageEventKind.Failed, 408, "Request Timeout (no response to MESSAGE)");
        // §12.2.1.2: no response at all to a request within a dialog ends the dialog too.
        if (m.Call is { } call && failure != TransactionError.TransportError) End(call, 408, "Request Timeout (no response to MESSAGE)", byLocal: false);
    }

    private void CompleteMessage(OutgoingMessage m, MessageEventKind kind, int code, string reason)
    {
        _messages.Remove(m.Id);
        MessageCompleted?.Invoke(new MessageEvent(kind, m.Id, code, reason));
    }

    private bool OnMessageRequest(Transaction transaction, SipMessage request)
    {
        if (request.Method != SipMethod.Message) return false;
        // A MESSAGE inside a dialog we do not know is the core's 481 (§12.2.2); one in a call's dialog
        // comes through OnCallRequest (UserAgentCore.Calls.cs).
        if (request.To.HasTag) return false;
        // §19.3: a fresh random To tag for each response that needs one.
        AcceptMessage(transaction, request, Encoding.ASCII.GetBytes(RandomHex(16)), null);
        return true;
    }

    /// <summary>
    /// Answers a MESSAGE (413, 400, 415 or 200) and raises <see cref="MessageReceived"/> for an accepted
    /// one. <paramref name="tag"/> is the To tag of an out-of-dialog response; empty inside
    /// <paramref name="call"/>'s dialog (RFC 3428 §7: a MESSAGE within a dialog is handled alike).
    /// </summary>
    private void AcceptMessage(Transaction transaction, SipMessage request, ReadOnlySpan<byte> tag, SipCall? call)
    {
        // RFC 3428 §7 / RFC 3261 §21.4.11: too large a body gets 413.
        if (request.Body.Length > _messaging.MaxReceivedBodyBytes)
        {
            _layer.Respond(transaction, 413, "Request Entity Too Large"u8, tag);
            return;
        }
        string contentType = SipMessage.ToText(request.ContentType).Trim();
        if (request.Body.Length > 0 && contentType.Length == 0)
        {
            // §7.4.1: a body needs its Content-Type.
            _layer.Respond(transaction, 400, "Bad Request (body without Content-Type)"u8, tag);
            return;
        }
        if (request.Body.Length > 0 && !IsAccepted(contentType))
        {
            // §21.4.13: 415 lists what we accept.
            var w = new SipMessageWriter(_layer.MessageBuffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, 415, "Unsupported Media Type"u8, tag);
            w.Append("Accept: "u8);
            w.AppendText(string.Join(", ", _messaging.AcceptedContentTypes));
            w.Append("\r\n"u8);
            w.End();
            if (!w.Overflowed) _layer.Respond(transaction, w.Written);
            return;
        }
        // RFC 3428 §7: the 2xx carries no body.
        _layer.Respond(transaction, 200, "OK"u8, tag);
        MessageReceived?.Invoke(new IncomingMessage(SipMessage.ToText(request.From.Value), SipMessage.ToText(request.From.Uri),
            SipMessage.ToText(request.To.Value), SipMessage.ToText(request.CallId), contentType, request.Body.ToArray()) { Call = call });
    }

    private bool IsAccepted(string contentType)
    {
        int semi = contentType.IndexOf(';', StringComparison.Ordinal);
        string mediaType = (semi >= 0 ? contentType[..semi] : contentType).Trim();
        foreach (string t in _messaging.AcceptedContentTypes)
        {
            // RFC 2045 §5.1: type and subtype compare case-insensitively.
            if (string.Equals(t, mediaType, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // ---- dispatch and helpers shared by MESSAGE, SUBSCRIBE/NOTIFY and PUBLISH ----

    /// <summary>Feeds a response of a MESSAGE, SUBSCRIBE, NOTIFY or PUBLISH transaction; false when it is not one of ours.</summary>
    private bool OnEventsResponse(Transaction transaction, SipMessage response)
    {
        switch (transaction.UserData)
        {
            case OutgoingMessage m:
                OnMessageResponse(m, transaction, response);
                return true;
            default:
                return OnSubscriptionResponse(transaction, response);
        }
    }

    /// <summary>Feeds a failure of a MESSAGE, SUBSCRIBE, NOTIFY or PUBLISH transaction; false when it is not one of ours.</summary>
    private bool OnEventsError(Transaction transaction, TransactionError failure)
    {
        switch (transaction.UserData)
        {
            case OutgoingMessage m:
                OnMessageError(m, transaction, failure);
                return true;
            default:
                return OnSubscriptionError(transaction, failure);
        }
    }

    private static void CheckUri(string uri, string name)
    {
        ArgumentNullException.ThrowIfNull(uri, name);
        if (!SipUri.TryParse(uri, out _) || uri.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException($"'{uri}' is not a SIP URI.", name);
    }

    private string NewCallId() => RandomHex(24) + "@" + _options!.LocalSentBy.Split(':')[0];

    /// <summary>
    /// Writes a request outside any dialog into the events buffer (§8.1.1): Request-URI, Via, the
    /// outbound proxy's Route (§8.1.2), Max-Forwards, From with our tag, To without tag, Call-ID, CSeq, optionally Contact, then
    /// <paramref name="headers"/> and the body. Returns its length, or -1 when it does not fit.
    /// </summary>
    private int WriteOutOfDialog(string method, string requestUri, string toUri, string callId, string fromTag, uint cseq,
        TransportProtocol protocol, bool withContact, string headers, ReadOnlySpan<byte> body)
    {
        var w = new SipMessageWriter(_layer.MessageBuffer);
        w.AppendText(method);
        w.Append((byte)' ');
        w.AppendText(requestUri);
        w.Append(" SIP/2.0\r\n"u8);
        WriteVia(ref w, protocol);
        // RFC 3261 §8.1.2: every request outside a dialog carries the outbound proxy's Route, not only INVITE.
        w.AppendText(OutboundRouteHeader());
        w.Append("Max-Forwards: 70\r\nFrom: <"u8);
        w.AppendText(_options!.LocalUri);
        w.Append(">;tag="u8);
        w.AppendText(fromTag);
        w.Append("\r\nTo: <"u8);
        w.AppendText(toUri);
        w.Append(">\r\nCall-ID: "u8);
        w.AppendText(callId);
        w.Append("\r\nCSeq: "u8);
        w.AppendInt(cseq);
        w.Append((byte)' ');
        w.AppendText(method);
        w.Append("\r\n"u8);
        if (withContact)
        {
            w.Append("Contact: <"u8);
            w.AppendText(_options.ContactUri);
            w.Append(">\r\n"u8);
        }
        w.AppendText(headers);
        w.EndWithBody(body);
        return w.Overflowed ? -1 : w.Length;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
