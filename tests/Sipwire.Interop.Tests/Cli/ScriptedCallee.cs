// A callee on loopback that answers every INVITE the way a test says: a final error, or 200 with a given SDP.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Interop.Tests.Cli;

internal sealed class ScriptedCallee : ITransactionUser, IDisposable
{
    private readonly byte[] _buffer = new byte[8192];
    private readonly int _status;
    private readonly string _reason;
    private readonly string? _answerSdp;

    /// <summary>Answers INVITE with <paramref name="status"/>; for 200, with <paramref name="answerSdp"/> as the body.</summary>
    public ScriptedCallee(int status, string reason, string? answerSdp = null)
    {
        _status = status;
        _reason = reason;
        _answerSdp = answerSdp;
        Endpoint = new Endpoint(new EndpointOptions());
        Address = Endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint.User = this;
    }

    public Endpoint Endpoint { get; }

    public PeerAddress Address { get; }

    public int Invites { get; private set; }

    public int Byes { get; private set; }

    public int Acks { get; private set; }

    public string Uri(string user = "bob") => $"sip:{user}@127.0.0.1:{Address.Port}";

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        if (request.Method == SipMethod.Bye)
        {
            Byes++;
            Endpoint.Transactions.Respond(transaction, 200, "OK"u8, []);
            return;
        }
        if (request.Method != SipMethod.Invite)
        {
            Endpoint.Transactions.Respond(transaction, 501, "Not Implemented"u8, "cal"u8);
            return;
        }
        Invites++;
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, _status, Encoding.ASCII.GetBytes(_reason), "callee1"u8);
        if (_status / 100 == 2)
        {
            w.Append("Contact: <sip:bob@127.0.0.1:"u8);
            w.AppendInt(Address.Port);
            w.Append(">\r\nContent-Type: application/sdp\r\n"u8);
            w.EndWithBody(Encoding.ASCII.GetBytes(_answerSdp ?? ""));
        }
        else
        {
            w.End();
        }
        Endpoint.Transactions.Respond(transaction, w.Written);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => Acks++;

    public void OnCancel(Transaction invite, SipMessage cancel) => Endpoint.Transactions.Respond(invite, 487, "Request Terminated"u8, "callee1"u8);

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

    public void Dispose() => Endpoint.Dispose();
}
