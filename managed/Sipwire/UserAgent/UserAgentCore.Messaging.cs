// The UA core's page-mode instant messages: MESSAGE sent with digest authentication and received (RFC 3428).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
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
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!contentType.Contains('/', StringComparison.Ordinal) || contentType.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException($"'{contentType}' is not a media type.", nameof(contentType));
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

    private void OnMessageError(OutgoingMessage m, Transaction transaction, TransactionError failure)
    {
        if (!ReferenceEquals(m.Pending, transaction) || transaction.Generation != m.PendingGeneration) return;
        m.Pending = null;
        // §8.1.3.1: Timer F counts as 408, a transport failure as 503.
        if (failure == TransactionError.TransportError) CompleteMessage(m, MessageEventKind.Failed, 503, "Service Unavailable (transport error)");
        else CompleteMessage(m, MessageEventKind.Failed, 408, "Request Timeout (no response to MESSAGE)");
    }

    private void CompleteMessage(OutgoingMessage m, MessageEventKind kind, int code, string reason)
    {
        _messages.Remove(m.Id);
        MessageCompleted?.Invoke(new MessageEvent(kind, m.Id, code, reason));
    }

    private bool OnMessageRequest(Transaction transaction, SipMessage request)
    {
        if (request.Method != SipMethod.Message) return false;
        // A MESSAGE inside a dialog we do not know is the core's 481 (§12.2.2).
        if (request.To.HasTag) return false;
        // §19.3: a fresh random To tag for each response that needs one.
        ReadOnlySpan<byte> tag = Encoding.ASCII.GetBytes(RandomHex(16));
        // RFC 3428 §7 / RFC 3261 §21.4.11: too large a body gets 413.
        if (request.Body.Length > _messaging.MaxReceivedBodyBytes)
        {
            _layer.Respond(transaction, 413, "Request Entity Too Large"u8, tag);
            return true;
        }
        string contentType = SipMessage.ToText(request.ContentType).Trim();
        if (request.Body.Length > 0 && contentType.Length == 0)
        {
            // §7.4.1: a body needs its Content-Type.
            _layer.Respond(transaction, 400, "Bad Request (body without Content-Type)"u8, tag);
            return true;
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
            return true;
        }
        // RFC 3428 §7: the 2xx carries no body.
        _layer.Respond(transaction, 200, "OK"u8, tag);
        MessageReceived?.Invoke(new IncomingMessage(SipMessage.ToText(request.From.Value), SipMessage.ToText(request.From.Uri),
            SipMessage.ToText(request.To.Value), SipMessage.ToText(request.CallId), contentType, request.Body.ToArray()));
        return true;
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
