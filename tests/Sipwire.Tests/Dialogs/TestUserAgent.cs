// A minimal UA core for dialog tests: transaction user wired to a DialogLayer on a simulated node.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Dialogs;

internal sealed class TestUserAgent : ITransactionUser
{
    private readonly byte[] _buffer = new byte[4096];
    private int _tags;

    public TestUserAgent(SimNetwork net, string address)
    {
        Node = new SimNode(net, address, user: this);
        Dialogs = new DialogLayer(new EndpointOptions(), Node.Layer, address);
        Node.ExtraDeadline = () => Dialogs.NextDeadline;
        Node.ExtraTimers = Dialogs.ProcessTimers;
    }

    public SimNode Node { get; }

    public DialogLayer Dialogs { get; }

    public TransactionLayer Layer => Node.Layer;

    /// <summary>UAS behaviour for INVITE: answer 180 then 200 at once (false: only 180).</summary>
    public bool AnswerInvites { get; set; } = true;

    /// <summary>When set, ignore ACKs (to provoke the §13.3.1.4 timeout).</summary>
    public bool DropAcks { get; set; }

    public List<string> Log { get; } = [];

    public List<int> Responses { get; } = [];

    public int InvitesReceived { get; private set; }

    public string Contact => $"sip:ua@{Node.Address.ToString()["UDP:".Length..]}";

    public Transaction? Invite(PeerAddress to, string callId, string extra = "")
    {
        string text =
            $"INVITE sip:bob@{to.ToString()["UDP:".Length..]} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {Node.Address.ToString()["UDP:".Length..]};branch={BranchId.NewString()};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:alice@test>;tag=alice1\r\n" +
            "To: <sip:bob@test>\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 10 INVITE\r\n" +
            $"Contact: <{Contact}>\r\n" + extra +
            "Content-Length: 0\r\n\r\n";
        return Layer.SendRequest(Encoding.ASCII.GetBytes(text), to);
    }

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        Log.Add("request " + SipMessage.ToText(request.MethodName));
        Dialog? existing = Dialogs.FindForRequest(request);
        if (existing is not null)
        {
            int status = Dialogs.OnInDialogRequest(existing, request);
            Layer.Respond(transaction, status == 0 ? 200 : status, status == 0 ? "OK"u8 : "Server Internal Error"u8, []);
            return;
        }
        if (request.To.HasTag)
        {
            Layer.Respond(transaction, 481, "Call/Transaction Does Not Exist"u8, []);
            return;
        }
        if (request.Method != SipMethod.Invite)
        {
            Layer.Respond(transaction, 200, "OK"u8, "x"u8);
            return;
        }
        InvitesReceived++;
        string tag = "uas" + (++_tags);
        Dialog d = Dialogs.CreateUas(transaction, request, tag)!;
        Layer.Respond(transaction, 180, "Ringing"u8, Encoding.ASCII.GetBytes(tag));
        if (!AnswerInvites) return;
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, Encoding.ASCII.GetBytes(tag));
        w.Append("Contact: <"u8);
        w.AppendText(Contact);
        w.Append(">\r\n"u8);
        w.End();
        Dialogs.SendSuccess(transaction, d, w.Written);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
        if (DropAcks) return;
        Log.Add("ack");
        Dialogs.OnAck(ack);
    }

    public void OnCancel(Transaction invite, SipMessage cancel) => Layer.Respond(invite, 487, "Request Terminated"u8, []);

    public void OnResponse(Transaction transaction, SipMessage response)
    {
        Responses.Add(response.StatusCode);
        Log.Add($"response {response.StatusCode} {transaction.Method}");
        Dialogs.OnResponse(transaction, response);
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
        Log.Add($"stray {response.StatusCode}");
        Dialogs.OnStrayResponse(response);
    }

    public void OnError(Transaction transaction, TransactionError failure) => Log.Add($"error {transaction.Method} {failure}");

    public void OnTerminated(Transaction transaction)
    {
    }
}
