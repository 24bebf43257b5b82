// A minimal event state compositor (RFC 3903 §6) on the simulated network, to test the PUBLISH client against.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Events;

internal sealed class EscNode : ITransactionUser
{
    private readonly byte[] _buffer = new byte[8192];
    private int _next;

    public EscNode(SimNetwork net, string address)
    {
        Node = new SimNode(net, address, user: this);
    }

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public int MaxExpires { get; set; } = 3600;

    /// <summary>entity-tag to the published body.</summary>
    public Dictionary<string, string> States { get; } = new(StringComparer.Ordinal);

    /// <summary>Every PUBLISH: If-Match ("" when absent), Expires, body, status answered.</summary>
    public List<(string IfMatch, int Expires, string Body, int Status)> Log { get; } = [];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        string ifMatch = request.TryGetHeaderValue(SipHeaderKind.SipIfMatch, out ReadOnlySpan<byte> m) ? SipMessage.ToText(m).Trim() : "";
        string body = SipMessage.ToText(request.Body);
        int expires = request.Expires >= 0 ? Math.Min(request.Expires, MaxExpires) : MaxExpires;
        int status = 200;
        string? etag = null;
        // RFC 3903 §6 steps 3-6: an unknown entity-tag is 412; no If-Match needs a body.
        if (ifMatch.Length > 0 && !States.ContainsKey(ifMatch)) status = 412;
        else if (ifMatch.Length == 0 && body.Length == 0) status = 400;
        else if (expires == 0) States.Remove(ifMatch);
        else
        {
            string state = body.Length > 0 ? body : States[ifMatch];
            if (ifMatch.Length > 0) States.Remove(ifMatch);
            etag = "e" + (++_next);
            States[etag] = state;
        }
        Log.Add((ifMatch, request.Expires, body, status));
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, status, status == 200 ? "OK"u8 : status == 412 ? "Conditional Request Failed"u8 : "Bad Request"u8, "esc"u8);
        if (status == 200)
        {
            w.Header("Expires"u8, expires);
            if (etag is not null) w.Header("SIP-ETag"u8, Encoding.ASCII.GetBytes(etag));
        }
        w.End();
        Node.Layer.Respond(transaction, w.Written);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
    }

    public void OnResponse(Transaction transaction, SipMessage response)
    {
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
    }

    public void OnError(Transaction transaction, TransactionError failure)
    {
    }

    public void OnTerminated(Transaction transaction)
    {
    }
}
