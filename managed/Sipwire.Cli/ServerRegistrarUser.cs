// Transaction user of `sipwire registrar`: REGISTER to the SipRegistrar, OPTIONS answered, everything else 405.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>A registrar-only server (RFC 3261 §10.3): it answers, it never forwards.</summary>
internal sealed class ServerRegistrarUser(TransactionLayer layer, SipRegistrar registrar, Func<long> nowMs, Action<string> log) : ITransactionUser
{
    private readonly byte[] _buffer = new byte[16384];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        string line;
        if (request.Method == SipMethod.Register)
        {
            RegistrarResponse r = registrar.Process(request, transaction.Source, nowMs(), DateTime.UtcNow);
            int n = r.Write(request, transaction.Source, _buffer);
            if (n > 0) layer.Respond(transaction, _buffer.AsSpan(0, n));
            line = $"{r.StatusCode} {r.Reason}" + (r.AddressOfRecord is null ? "" : $" aor={r.AddressOfRecord}") + (r.User is null ? "" : $" user={r.User}");
        }
        else
        {
            // §11: OPTIONS tells what we do; other methods are not served by a registrar (§21.4.6, 405 with Allow).
            bool options = request.Method == SipMethod.Options;
            var w = new SipMessageWriter(_buffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, options ? 200 : 405, options ? "OK"u8 : "Method Not Allowed"u8, "reg"u8);
            w.Header("Allow"u8, "REGISTER, OPTIONS"u8);
            w.End();
            if (!w.Overflowed) layer.Respond(transaction, _buffer.AsSpan(0, w.Length));
            line = options ? "200 OK" : "405 Method Not Allowed";
        }
        log($"{SipMessage.ToText(request.MethodName)} {SipMessage.ToText(request.RequestUri)} call-id={SipMessage.ToText(request.CallId)} from={transaction.Source} -> {line}");
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel) => layer.Respond(invite, 487, "Request Terminated"u8, "reg"u8);

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
