// The real SipRegistrar (with digest authentication) serving REGISTER on the simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

internal sealed class RegistrarNode : ITransactionUser
{
    public const string Domain = "example.test";
    private static readonly DateTime s_epoch = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly byte[] _buffer = new byte[8192];
    private readonly SimNetwork _net;

    public RegistrarNode(SimNetwork net, string address, int minExpires = 60, int maxExpires = 3600, TimeSpan? nonceLifetime = null)
    {
        _net = net;
        Node = new SimNode(net, address, user: this);
        Location = new InMemoryLocationService();
        Digest = new DigestServer(Domain, DigestAlgorithm.Sha256, nonceLifetime ?? TimeSpan.FromSeconds(30));
        Registrar = new SipRegistrar(new RegistrarOptions { Domains = [Domain], MinExpires = minExpires, MaxExpires = maxExpires, DefaultExpires = maxExpires },
            Location, Digest, u => Passwords.TryGetValue(u, out string? p) ? p : null);
    }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland", ["bob"] = "builder" };

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public InMemoryLocationService Location { get; }

    public DigestServer Digest { get; }

    public SipRegistrar Registrar { get; }

    /// <summary>Every new REGISTER transaction: arrival time (µs), Call-ID, CSeq, status answered, Expires header, full text.</summary>
    public List<(long At, string CallId, uint CSeq, int Status, int Expires, string Text)> Requests { get; } = [];

    public long NowMs => _net.Clock.NowMicros / 1000;

    public string[] Contacts(string user)
    {
        var list = new List<LocationBinding>();
        Location.Lookup($"sip:{user}@{Domain}", NowMs, list);
        return list.ConvertAll(b => b.ContactText).ToArray();
    }

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        RegistrarResponse r = Registrar.Process(request, transaction.Source, NowMs, s_epoch);
        Requests.Add((_net.Clock.NowMicros, SipMessage.ToText(request.CallId), request.CSeqNumber, r.StatusCode, request.Expires, SipMessage.ToText(request.Span)));
        int n = r.Write(request, transaction.Source, _buffer);
        Node.Layer.Respond(transaction, _buffer.AsSpan(0, n));
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
