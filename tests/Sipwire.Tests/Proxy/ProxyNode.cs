// A SipProxy (with its registrar) on the simulated network: the transport hands every datagram to SipProxy.Receive.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Proxy;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Proxy;

internal sealed class ProxyNode : ISimHost, ITransportSender
{
    public const string Domain = RegistrarNode.Domain;
    private readonly SimNetwork _net;
    private readonly SipMessage _message = new();

    public ProxyNode(SimNetwork net, string address, bool stateless = false, ForkingMode forking = ForkingMode.Parallel,
        bool registrar = true, TimeSpan? sequentialTimeout = null, IReadOnlyList<string>? proxyRequire = null, bool authenticate = false,
        string? nextHop = null, PathMode pathMode = PathMode.Supported, Func<PeerAddress, bool>? trusted = null)
    {
        _net = net;
        Address = PeerAddress.Parse(TransportProtocol.Udp, address);
        Location = new InMemoryLocationService();
        var digest = new DigestServer(Domain, DigestAlgorithm.Sha256, TimeSpan.FromSeconds(30));
        SipRegistrar? r = registrar
            ? new SipRegistrar(new RegistrarOptions { Domains = [Domain] }, Location, digest, u => Passwords.TryGetValue(u, out string? p) ? p : null)
            : null;
        var deferred = new DeferredUser();
        Layer = new TransactionLayer(new EndpointOptions(), this, deferred, net.Clock);
        Proxy = new SipProxy(new ProxyOptions
        {
            Domains = [Domain],
            LocalHost = address.Split(':')[0],
            LocalPort = Address.Port,
            Stateless = stateless,
            Forking = forking,
            SequentialTimeout = sequentialTimeout ?? TimeSpan.FromSeconds(20),
            SupportedProxyRequire = proxyRequire ?? [],
            NextHop = nextHop,
            PathMode = pathMode,
            NowMs = () => net.Clock.NowMicros / 1000,
            UtcNow = () => new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            Authentication = authenticate ? new ProxyAuthentication(digest, u => Passwords.TryGetValue(u, out string? p) ? p : null) { Trusted = trusted } : null,
        }, Layer, Location, r);
        deferred.Target = Proxy;
        Proxy.Logged += e => Log.Add(e);
        net.Attach(this);
    }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland", ["bob"] = "builder" };

    public PeerAddress Address { get; }

    public TransactionLayer Layer { get; }

    public SipProxy Proxy { get; }

    public InMemoryLocationService Location { get; }

    public List<ProxyLogEntry> Log { get; } = [];

    public long NextDeadline => Math.Min(Layer.NextDeadline, Proxy.NextDeadline);

    public long NowMs => _net.Clock.NowMicros / 1000;

    /// <summary>Adds a binding directly (as a REGISTER with that q would).</summary>
    public void Bind(string user, string contact, int qMillis = -1, int seconds = 3600, string path = "")
    {
        string callId = "bind-" + contact;
        var b = new LocationBinding(System.Text.Encoding.UTF8.GetBytes(contact), [], System.Text.Encoding.UTF8.GetBytes(callId), 1, qMillis,
            NowMs + seconds * 1000L, System.Text.Encoding.UTF8.GetBytes(path), [], -1, []);
        LocationUpdateStatus s = Location.Update($"sip:{user}@{Domain}", [b], false, System.Text.Encoding.UTF8.GetBytes(callId), 1, NowMs, null);
        if (s != LocationUpdateStatus.Ok) throw new InvalidOperationException(s.ToString());
    }

    public string[] Contacts(string user)
    {
        var list = new List<LocationBinding>();
        Location.Lookup($"sip:{user}@{Domain}", NowMs, list);
        return list.ConvertAll(b => b.ContactText).ToArray();
    }

    public void Deliver(byte[] data, PeerAddress from)
    {
        if (!SipParser.Parse(data.AsMemory(), SipFraming.Datagram, _message).IsDone) return;
        Proxy.Receive(_message, from);
    }

    public void ProcessTimers()
    {
        Layer.ProcessTimers();
        Proxy.ProcessTimers();
    }

    public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
    {
        _net.Send(Address, destination, message);
        return true;
    }
}
