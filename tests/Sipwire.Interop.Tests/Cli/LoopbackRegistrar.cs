// Our SipRegistrar (digest SHA-256, in-memory location) answering REGISTER on a loopback endpoint.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Interop.Tests.Cli;

internal sealed class LoopbackRegistrar : ITransactionUser, IDisposable
{
    public const string Domain = "example.test";
    private readonly byte[] _buffer = new byte[8192];
    private readonly SipRegistrar _registrar;

    public LoopbackRegistrar(TransportProtocol protocol = TransportProtocol.Udp, bool ipv6 = false)
    {
        Endpoint = new Endpoint(new EndpointOptions());
        var local = new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0);
        Address = protocol == TransportProtocol.Tcp ? Endpoint.Transport.AddTcp(local) : Endpoint.Transport.AddUdp(local);
        Endpoint.User = this;
        _registrar = new SipRegistrar(new RegistrarOptions { Domains = [Domain, "127.0.0.1", "[::1]"], MinExpires = 60, MaxExpires = 3600, DefaultExpires = 3600 },
            Location, new DigestServer(Domain, DigestAlgorithm.Sha256, TimeSpan.FromMinutes(5)), u => u == "alice" ? "wonderland" : null);
    }

    public Endpoint Endpoint { get; }

    public PeerAddress Address { get; }

    public InMemoryLocationService Location { get; } = new();

    /// <summary>Status of every REGISTER answered, with its Expires header (-1 when absent).</summary>
    public List<(int Status, int Expires)> Answers { get; } = [];

    public string Uri => $"sip:{(Address.IsIPv6 ? "[::1]" : "127.0.0.1")}:{Address.Port}{(Address.Protocol == TransportProtocol.Tcp ? ";transport=tcp" : "")}";

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        if (request.Method != SipMethod.Register)
        {
            Endpoint.Transactions.Respond(transaction, 405, "Method Not Allowed"u8, "reg"u8);
            return;
        }
        RegistrarResponse r = _registrar.Process(request, transaction.Source, Endpoint.Clock.NowMicros / 1000, DateTime.UtcNow);
        lock (Answers) Answers.Add((r.StatusCode, request.Expires));
        int n = r.Write(request, transaction.Source, _buffer);
        Endpoint.Transactions.Respond(transaction, _buffer.AsSpan(0, n));
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

    public void Dispose() => Endpoint.Dispose();
}
