// The real SipRegistrar behind a filter that leaves one contact out of its 2xx, as a registrar that did not keep that binding.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

internal sealed class ContactDroppingRegistrarNode : ITransactionUser
{
    private static readonly DateTime s_epoch = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly byte[] _buffer = new byte[8192];
    private readonly SimNetwork _net;
    private readonly SipRegistrar _registrar;

    public ContactDroppingRegistrarNode(SimNetwork net, string address)
    {
        _net = net;
        Node = new SimNode(net, address, user: this);
        _registrar = new SipRegistrar(new RegistrarOptions { Domains = [RegistrarNode.Domain] },
            new InMemoryLocationService(), new DigestServer(RegistrarNode.Domain, DigestAlgorithm.Sha256, TimeSpan.FromSeconds(30)),
            u => u == "alice" ? "wonderland" : null);
    }

    public PeerAddress Address => Node.Address;

    public SimNode Node { get; }

    /// <summary>The contact URI (as the client writes it) left out of 2xx responses.</summary>
    public string? Drop { get; set; }

    /// <summary>How many more 2xx responses lose <see cref="Drop"/>; negative for all of them.</summary>
    public int DropsLeft { get; set; } = -1;

    /// <summary>Every REGISTER answered: arrival time (µs), status, the response as sent.</summary>
    public List<(long At, int Status, string Response)> Answers { get; } = [];

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        RegistrarResponse r = _registrar.Process(request, transaction.Source, _net.Clock.NowMicros / 1000, s_epoch);
        int n = r.Write(request, transaction.Source, _buffer);
        string text = Encoding.UTF8.GetString(_buffer, 0, n);
        if (r.StatusCode == 200 && Drop is not null && DropsLeft != 0)
        {
            var kept = new List<string>();
            foreach (string line in text.Split("\r\n"))
            {
                if (line.StartsWith("Contact:", StringComparison.OrdinalIgnoreCase) && line.Contains("<" + Drop + ">", StringComparison.Ordinal))
                {
                    if (line.Contains(',', StringComparison.Ordinal)) throw new InvalidOperationException("The filter handles one binding per Contact line only: " + line);
                    continue;
                }
                kept.Add(line);
            }
            text = string.Join("\r\n", kept);
            if (DropsLeft > 0) DropsLeft--;
        }
        Answers.Add((_net.Clock.NowMicros, r.StatusCode, text));
        Node.Layer.Respond(transaction, Encoding.UTF8.GetBytes(text));
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
