// The dialog layer of RFC 3261 §12 with the UA-core 2xx/ACK rules of §13.2.2.4 and §13.3.1.4.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Dialogs;

/// <summary>
/// Creates, finds, updates and ends dialogs for a UA core that sits on a <see cref="TransactionLayer"/>.
/// The UA core calls it from its transaction-user upcalls; it keeps the 2xx reliability that RFC
/// 3261 gives the UA core, not the transaction: the UAC re-sends its ACK for each 2xx
/// retransmission (§13.2.2.4), the UAS retransmits its 2xx until the ACK (§13.3.1.4). Sans-IO:
/// it sends through the transaction layer and reports its next deadline. Bounded by
/// <see cref="EndpointOptions.MaxDialogs"/>.
/// </summary>
public sealed class DialogLayer
{
    private readonly TransactionLayer _transactions;
    private readonly Dictionary<string, Dialog> _dialogs = new(StringComparer.Ordinal);
    private readonly int _max;
    private readonly long _t1;
    private readonly long _t2;
    private readonly string _localSentBy;
    private readonly TransportProtocol _protocol;
    private readonly List<Dialog> _due = [];

    /// <summary>Creates the layer; <paramref name="localSentBy"/> is the host:port our Via carries.</summary>
    public DialogLayer(EndpointOptions options, TransactionLayer transactions, string localSentBy, TransportProtocol protocol = TransportProtocol.Udp)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentException.ThrowIfNullOrEmpty(localSentBy);
        _transactions = transactions;
        _max = options.MaxDialogs;
        _t1 = options.T1.Ticks / 10;
        _t2 = options.T2.Ticks / 10;
        _localSentBy = localSentBy;
        _protocol = protocol;
    }

    /// <summary>Dialogs alive.</summary>
    public int Count => _dialogs.Count;

    /// <summary>All dialogs alive (for inspection).</summary>
    public IEnumerable<Dialog> Dialogs => _dialogs.Values;

    /// <summary>Raised when a UAS 2xx was never ACKed within 64*T1: a BYE has been sent (§13.3.1.4).</summary>
    public event Action<Dialog>? AckTimedOut;

    /// <summary>Raised when a dialog ends.</summary>
    public event Action<Dialog>? Terminated;

    /// <summary>Earliest 2xx retransmission deadline (clock microseconds).</summary>
    public long NextDeadline
    {
        get
        {
            long d = long.MaxValue;
            foreach (Dialog x in _dialogs.Values) d = Math.Min(d, Math.Min(x._retransmitAt, x._giveUpAt));
            return d;
        }
    }

    internal static string MakeKey(string callId, string localTag, string remoteTag) => string.Concat(callId, "\n", localTag, "\n", remoteTag);

    /// <summary>The dialog with this ID (§12), or null.</summary>
    public Dialog? Find(string callId, string localTag, string remoteTag) =>
        _dialogs.TryGetValue(MakeKey(callId, localTag, remoteTag), out Dialog? d) ? d : null;

    /// <summary>The dialog a received request belongs to: Call-ID, To tag (ours), From tag (theirs) (§12.2.2).</summary>
    public Dialog? FindForRequest(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.To.HasTag) return null;
        return Find(Text(request.CallId), Text(request.To.Tag), Text(request.From.Tag));
    }

    /// <summary>
    /// UAC side: feed every response of a client transaction. Creates an early dialog from a
    /// 101-199 with a To tag, creates or confirms one from a 2xx and ACKs the 2xx (§12.1.2,
    /// §13.2.2.4); each fork (To tag) gets its own dialog. A 300-699 to the INVITE ends its early
    /// dialogs; 481 or 408 to a request inside a dialog ends the dialog (§12.2.1.2).
    /// </summary>
    /// <returns>The dialog the response belongs to, or null.</returns>
    public Dialog? OnResponse(Transaction transaction, SipMessage response) => OnResponse(transaction, response, deferAck: false);

    /// <summary>
    /// As <see cref="OnResponse(Transaction, SipMessage)"/>, but with <paramref name="deferAck"/> a 2xx to an
    /// INVITE confirms the dialog without sending the ACK: the 2xx carried an offer and the answer goes in the
    /// ACK (§13.2.1), which the caller sends later with <see cref="SendAck"/>. Retransmissions of that 2xx
    /// before then are absorbed (the peer keeps retransmitting until the ACK, §13.3.1.4).
    /// </summary>
    /// <returns>The dialog the response belongs to, or null.</returns>
    public Dialog? OnResponse(Transaction transaction, SipMessage response, bool deferAck)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        int code = response.StatusCode;
        string callId = Text(response.CallId);
        string localTag = Text(response.From.Tag);
        string remoteTag = Text(response.To.Tag);
        Dialog? d = response.To.HasTag ? Find(callId, localTag, remoteTag) : null;
        if (transaction.Method != SipMethod.Invite)
        {
            if (d is not null && code is 481 or 408) End(d);
            return d;
        }
        if (code >= 300)
        {
            // §12.1 / §13.2.2.3: a non-2xx final response ends every early dialog of this INVITE.
            foreach (Dialog e in new List<Dialog>(_dialogs.Values))
            {
                if (e.IsUac && e.State == DialogState.Early && e.CallId == callId && e.LocalTag == localTag) End(e);
            }
            if (d is not null && d.State == DialogState.Confirmed && code is 481 or 408) End(d);
            return null;
        }
        if (code == 100 || !response.To.HasTag) return d;
        SipMessage? request = null;
        if (d is null)
        {
            if (_dialogs.Count >= _max) return null;
            request = new SipMessage();
            if (!SipParser.Parse(transaction.Request, SipFraming.Datagram, request).IsDone) return null;
            d = new Dialog(true, callId, localTag, remoteTag)
            {
                LocalHeader = Text(request.From.Value),
                RemoteHeader = Text(response.To.Value),
                LocalSeq = request.CSeqNumber,
                Secure = transaction.Remote.Protocol == TransportProtocol.Tls && request.RequestUri.StartsWith("sips:"u8),
                State = DialogState.Early,
            };
            d._inviteSeq = request.CSeqNumber;
            // §12.1.2: the route set is the Record-Route list of the response, reversed.
            HeaderValues.Collect(response, SipHeaderKind.RecordRoute, d.RouteSet);
            d.RouteSet.Reverse();
            _dialogs.Add(d.Key, d);
        }
        // §12.1.2 / §12.2.1.2: the remote target is the response's Contact (a 2xx to a re-INVITE refreshes it).
        if (response.Contact.IsPresent) d.RemoteTarget = Text(response.Contact.Uri);
        if (code >= 200)
        {
            if (d._ack is not null && response.CSeqNumber == d._ackSeq)
            {
                // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
                _transactions.SendStateless(d._ack, d._ackDestination);
                return d;
            }
            if (d._ackDeferred && response.CSeqNumber == d._ackSeq) return d; // its ACK waits for SendAck
            if (d.State == DialogState.Early && _dialogs.ContainsKey(d.Key))
            {
                // §12.1.2: the route set of an early dialog is recomputed from the 2xx.
                d.RouteSet.Clear();
                HeaderValues.Collect(response, SipHeaderKind.RecordRoute, d.RouteSet);
                d.RouteSet.Reverse();
            }
            d.State = DialogState.Confirmed;
            if (deferAck)
            {
                d._ack = null;
                d._ackDeferred = true;
                d._ackSeq = response.CSeqNumber;
                d._ackDestination = transaction.Remote;
            }
            else
            {
                WriteAndSendAck(d, response.CSeqNumber, "", default, transaction.Remote);
            }
        }
        return d;
    }

    /// <summary>
    /// UAC side: a response no transaction matched. A retransmitted 2xx to an INVITE gets the
    /// stored ACK again (§13.2.2.4). Returns true when it was handled.
    /// </summary>
    public bool OnStrayResponse(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.CSeqMethod != SipMethod.Invite || response.StatusCode is < 200 or >= 300) return false;
        Dialog? d = Find(Text(response.CallId), Text(response.From.Tag), Text(response.To.Tag));
        if (d?._ack is null || response.CSeqNumber != d._ackSeq) return false;
        _transactions.SendStateless(d._ack, d._ackDestination);
        return true;
    }

    /// <summary>
    /// UAS side: creates the dialog a response with <paramref name="localTag"/> to <paramref name="request"/>
    /// will establish (§12.1.1): route set = Record-Route in order, remote target = Contact,
    /// remote sequence = CSeq. It is Early until <see cref="SendSuccess"/>.
    /// </summary>
    /// <returns>The dialog, or null when the table is full (answer 503) or it exists.</returns>
    public Dialog? CreateUas(Transaction transaction, SipMessage request, string localTag)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(localTag);
        if (_dialogs.Count >= _max) return null;
        var d = new Dialog(false, Text(request.CallId), localTag, Text(request.From.Tag))
        {
            LocalHeader = Text(request.To.Value) + ";tag=" + localTag,
            RemoteHeader = Text(request.From.Value),
            RemoteTarget = request.Contact.IsPresent ? Text(request.Contact.Uri) : "",
            RemoteSeq = request.CSeqNumber,
            Secure = transaction.Source.Protocol == TransportProtocol.Tls && request.RequestUri.StartsWith("sips:"u8),
            State = DialogState.Early,
        };
        d._inviteSeq = request.CSeqNumber;
        HeaderValues.Collect(request, SipHeaderKind.RecordRoute, d.RouteSet);
        if (!_dialogs.TryAdd(d.Key, d)) return null;
        return d;
    }

    /// <summary>
    /// Creates a dialog whose identifiers the caller has taken from the messages that establish it,
    /// for usages that are not INVITE sessions: a subscriber's SUBSCRIBE dialog is created by the
    /// 2xx or by the first NOTIFY, whichever comes first, one per notifier (RFC 6665 §4.1.2.4, §4.5.2).
    /// </summary>
    /// <returns>The confirmed dialog, or null when the table is full or the dialog exists.</returns>
    public Dialog? CreateUsage(bool isUac, string callId, string localTag, string remoteTag, string localHeader, string remoteHeader,
        string remoteTarget, IEnumerable<string> routeSet, uint localSeq, uint remoteSeq)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentException.ThrowIfNullOrEmpty(localTag);
        ArgumentException.ThrowIfNullOrEmpty(remoteTag);
        ArgumentNullException.ThrowIfNull(routeSet);
        if (_dialogs.Count >= _max) return null;
        var d = new Dialog(isUac, callId, localTag, remoteTag)
        {
            LocalHeader = localHeader,
            RemoteHeader = remoteHeader,
            RemoteTarget = remoteTarget,
            LocalSeq = localSeq,
            RemoteSeq = remoteSeq,
            State = DialogState.Confirmed,
        };
        d.RouteSet.AddRange(routeSet);
        return _dialogs.TryAdd(d.Key, d) ? d : null;
    }

    /// <summary>
    /// UAS side: sends a 2xx to an INVITE through its transaction, confirms the dialog and keeps
    /// retransmitting it at T1, 2T1, ... capped at T2 until the ACK arrives; after 64*T1 without
    /// ACK it sends BYE and ends the dialog (§13.3.1.4).
    /// </summary>
    public bool SendSuccess(Transaction transaction, Dialog dialog, ReadOnlySpan<byte> response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(dialog);
        if (!_transactions.Respond(transaction, response)) return false;
        dialog.State = DialogState.Confirmed;
        if (transaction.Method != SipMethod.Invite) return true;
        dialog._success = response.ToArray();
        dialog._successDestination = transaction.Remote;
        long now = _transactions.Clock.NowMicros;
        if (!transaction.IsReliable)
        {
            dialog._retransmitInterval = _t1;
            dialog._retransmitAt = now + _t1;
        }
        dialog._giveUpAt = now + 64 * _t1;
        return true;
    }

    /// <summary>UAS side: an ACK for a 2xx arrived (from <see cref="ITransactionUser.OnAck"/>); stops the retransmissions.</summary>
    /// <returns>The dialog, or null when the ACK matches none.</returns>
    public Dialog? OnAck(SipMessage ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        Dialog? d = FindForRequest(ack);
        if (d is null || ack.CSeqNumber != d._inviteSeq) return d;
        d._success = null;
        d._retransmitAt = long.MaxValue;
        d._giveUpAt = long.MaxValue;
        return d;
    }

    /// <summary>
    /// Checks and applies a request received inside <paramref name="dialog"/> (§12.2.2): a CSeq
    /// lower than the remote sequence number gets 500; otherwise the number is recorded, a
    /// re-INVITE or UPDATE refreshes the remote target, and BYE ends the dialog.
    /// </summary>
    /// <returns>0 to proceed, or the status code to answer with.</returns>
    public int OnInDialogRequest(Dialog dialog, SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is SipMethod.Ack or SipMethod.Cancel) return 0;
        if (dialog.RemoteSeq != 0 && request.CSeqNumber <= dialog.RemoteSeq)
        {
            // §12.2.2: out of order (lower) is rejected with 500; an equal number is a retransmission
            // the transaction layer absorbs, so it never reaches here with a new transaction.
            if (request.CSeqNumber < dialog.RemoteSeq) return 500;
        }
        dialog.RemoteSeq = request.CSeqNumber;
        // §13.3.1.4: the ACK that stops our 2xx retransmissions carries the CSeq of the (re-)INVITE.
        if (request.Method == SipMethod.Invite) dialog._inviteSeq = request.CSeqNumber;
        // RFC 6665 §4.1.2.1 / §4.1.3: SUBSCRIBE and NOTIFY are target refresh requests too.
        if (request.Method is SipMethod.Invite or SipMethod.Update or SipMethod.Subscribe or SipMethod.Notify && request.Contact.IsPresent)
            dialog.RemoteTarget = Text(request.Contact.Uri);
        if (request.Method == SipMethod.Bye) End(dialog);
        return 0;
    }

    /// <summary>
    /// Sends a request inside <paramref name="dialog"/> (§12.2.1.1) as a new client transaction:
    /// next local CSeq, From/To/Call-ID of the dialog, Request-URI and Route from the remote
    /// target and route set (loose or strict routing, §12.2.1.1 and §16.12). A BYE ends the dialog.
    /// </summary>
    /// <param name="dialog">The dialog.</param>
    /// <param name="method">The method (not ACK or CANCEL, which the UA core and the transaction layer build).</param>
    /// <param name="extraHeaders">Complete header lines ("Name: value\r\n") such as Contact or Content-Type.</param>
    /// <param name="body">The body (Content-Length is written from it).</param>
    public Transaction? SendRequest(Dialog dialog, string method, string extraHeaders = "", ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(extraHeaders);
        if (dialog.State == DialogState.Terminated) return null;
        dialog.LocalSeq++;
        if (method == "INVITE") dialog._inviteSeq = dialog.LocalSeq;
        int n = WriteRequest(dialog, method, dialog.LocalSeq, extraHeaders, body, out PeerAddress next);
        if (n < 0) return null;
        Transaction? t = _transactions.SendRequest(_transactions.MessageBuffer.AsSpan(0, n), next);
        if (t is not null) t.UserData = dialog.UserData; // the dialog's owner sees the responses (e.g. a 401 to a BYE); callers may replace it
        if (method == "BYE") End(dialog);
        return t;
    }

    /// <summary>Credentials for requests sent in a dialog (RFC 3261 §22.3), written after the caller's extra headers; null sends none.</summary>
    public DialogAuthorization? Authorization { get; set; }

    /// <summary>Ends <paramref name="dialog"/> (§12.3) and removes it.</summary>
    public void End(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        if (dialog.State == DialogState.Terminated) return;
        dialog.State = DialogState.Terminated;
        _dialogs.Remove(dialog.Key);
        Terminated?.Invoke(dialog);
    }

    /// <summary>Runs the UAS 2xx retransmissions due now (§13.3.1.4).</summary>
    public void ProcessTimers()
    {
        long now = _transactions.Clock.NowMicros;
        _due.Clear();
        foreach (Dialog d in _dialogs.Values)
        {
            if (d._retransmitAt <= now || d._giveUpAt <= now) _due.Add(d);
        }
        foreach (Dialog d in _due)
        {
            if (d._giveUpAt <= now)
            {
                d._success = null;
                d._retransmitAt = long.MaxValue;
                d._giveUpAt = long.MaxValue;
                AckTimedOut?.Invoke(d);
                SendRequest(d, "BYE");
                continue;
            }
            d._retransmitInterval = Math.Min(2 * d._retransmitInterval, _t2);
            d._retransmitAt = now + d._retransmitInterval;
            if (d._success is not null) _transactions.SendStateless(d._success, d._successDestination);
        }
    }

    /// <summary>
    /// UAC side: sends the ACK a <see cref="OnResponse(Transaction, SipMessage, bool)"/> with deferAck held back,
    /// with <paramref name="extraHeaders"/> (e.g. Content-Type) and <paramref name="body"/> (the answer, §13.2.1);
    /// it is then re-sent for every retransmission of the 2xx (§13.2.2.4).
    /// </summary>
    /// <returns>False when no ACK of <paramref name="dialog"/> is waiting or the ACK could not be written.</returns>
    public bool SendAck(Dialog dialog, string extraHeaders = "", ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(extraHeaders);
        if (!dialog._ackDeferred) return false;
        dialog._ackDeferred = false;
        return WriteAndSendAck(dialog, dialog._ackSeq, extraHeaders, body, dialog._ackDestination);
    }

    /// <summary>True while the ACK of a 2xx given to <see cref="OnResponse(Transaction, SipMessage, bool)"/> with deferAck has not been sent.</summary>
    public static bool IsAckPending(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return dialog._ackDeferred;
    }

    private bool WriteAndSendAck(Dialog d, uint cseq, string extraHeaders, ReadOnlySpan<byte> body, PeerAddress fallback)
    {
        int n = WriteRequest(d, "ACK", cseq, extraHeaders, body, out PeerAddress next);
        if (n < 0) return false;
        if (next.IsEmpty) next = fallback;
        d._ack = _transactions.MessageBuffer.AsSpan(0, n).ToArray();
        d._ackSeq = cseq;
        d._ackDestination = next;
        _transactions.SendStateless(d._ack, next);
        return true;
    }

    private int WriteRequest(Dialog d, string method, uint cseq, string extraHeaders, ReadOnlySpan<byte> body, out PeerAddress next)
    {
        // §12.2.1.1: with an empty route set or a loose first route, the Request-URI is the remote
        // target; with a strict first route, it is that route's URI and the target goes last.
        string requestUri = d.RemoteTarget;
        var routes = new List<string>(d.RouteSet);
        if (routes.Count > 0 && !HeaderValues.IsLooseRouter(HeaderValues.UriOf(routes[0])))
        {
            requestUri = HeaderValues.UriOf(routes[0]);
            routes.RemoveAt(0);
            routes.Add("<" + d.RemoteTarget + ">");
        }
        string nextHop = d.RouteSet.Count > 0 ? HeaderValues.UriOf(d.RouteSet[0]) : d.RemoteTarget;
        if (!SipUriTarget.TryResolveLiteral(nextHop, out next)) next = default;
        else if (next.Protocol != _protocol && _protocol != TransportProtocol.Udp) next = next.WithProtocol(_protocol);
        if (d.RouteSet.Count == 0 && !d.Flow.IsEmpty) next = d.Flow; // the peer's flow (NAT), not its Contact's address

        var w = new SipMessageWriter(_transactions.MessageBuffer);
        Span<byte> branch = stackalloc byte[BranchId.Length];
        BranchId.Write(branch);
        w.RequestLine(Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(requestUri));
        w.Append("Via: SIP/2.0/"u8);
        w.AppendText(_protocol == TransportProtocol.Udp ? "UDP" : _protocol == TransportProtocol.Tcp ? "TCP" : "TLS");
        w.Append((byte)' ');
        w.AppendText(_localSentBy);
        w.Append(";branch="u8);
        w.Append(branch);
        w.Append(";rport\r\n"u8);
        foreach (string r in routes)
        {
            w.Append("Route: "u8);
            w.AppendText(r);
            w.Append("\r\n"u8);
        }
        w.Header("Max-Forwards"u8, 70);
        w.Append("From: "u8);
        w.AppendText(d.LocalHeader);
        w.Append("\r\nTo: "u8);
        w.AppendText(d.RemoteHeader);
        w.Append("\r\nCall-ID: "u8);
        w.AppendText(d.CallId);
        w.Append("\r\nCSeq: "u8);
        w.AppendInt(cseq);
        w.Append((byte)' ');
        w.AppendText(method);
        w.Append("\r\n"u8);
        w.AppendText(extraHeaders);
        if (Authorization is { } auth) w.AppendText(auth(d, method, requestUri, body));
        w.EndWithBody(body);
        return w.Overflowed ? -1 : w.Length;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
