// A transaction user for tests: records every upcall and answers through optional hooks.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

public sealed class RecordingUser : ITransactionUser
{
    public List<string> Events { get; } = [];

    public List<Transaction> Requests { get; } = [];

    public List<int> Responses { get; } = [];

    public List<string> ResponseToTags { get; } = [];

    public List<(Transaction Tx, TransactionError Error)> Errors { get; } = [];

    public List<Transaction> Terminated { get; } = [];

    public int Acks { get; private set; }

    public int Strays { get; private set; }

    public Action<Transaction, SipMessage>? OnRequestHook { get; set; }

    public Action<Transaction, SipMessage>? OnResponseHook { get; set; }

    public Action<Transaction, SipMessage>? OnCancelHook { get; set; }

    public Action<Transaction?, SipMessage, PeerAddress>? OnAckHook { get; set; }

    public Action<SipMessage, PeerAddress>? OnStrayHook { get; set; }

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        Events.Add($"request {SipMessage.ToText(request.MethodName)}");
        Requests.Add(transaction);
        OnRequestHook?.Invoke(transaction, request);
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
        Acks++;
        Events.Add(transaction is null ? "ack stray" : "ack accepted");
        OnAckHook?.Invoke(transaction, ack, source);
    }

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        Events.Add("cancel");
        OnCancelHook?.Invoke(invite, cancel);
    }

    public void OnResponse(Transaction transaction, SipMessage response)
    {
        Events.Add($"response {response.StatusCode} {transaction.Method}");
        Responses.Add(response.StatusCode);
        ResponseToTags.Add(SipMessage.ToText(response.To.Tag));
        OnResponseHook?.Invoke(transaction, response);
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
        Strays++;
        Events.Add($"stray {response.StatusCode}");
        OnStrayHook?.Invoke(response, source);
    }

    public void OnError(Transaction transaction, TransactionError failure)
    {
        Events.Add($"error {failure}");
        Errors.Add((transaction, failure));
    }

    public void OnTerminated(Transaction transaction)
    {
        Events.Add($"terminated {transaction.Kind}");
        Terminated.Add(transaction);
    }
}
