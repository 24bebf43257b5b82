// A transaction layer on the simulated network with an optional RequestGuard in front of it (as ServerCommand wires it).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Protection;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Protection;

internal sealed class GuardedHost : ISimHost, ITransportSender
{
    private readonly SimNetwork _network;
    private readonly SipMessage _message = new();
    private readonly DeferredUser _user = new();

    public GuardedHost(SimNetwork network, string address, ProtectionOptions? protection = null, EndpointOptions? options = null)
    {
        _network = network;
        Address = PeerAddress.Parse(TransportProtocol.Udp, address);
        Layer = new TransactionLayer(options ?? new EndpointOptions(), this, _user, network.Clock);
        if (protection is not null) Guard = new RequestGuard(protection, Layer);
        network.Attach(this);
    }

    public PeerAddress Address { get; }

    public string HostPort => Address.ToString()["UDP:".Length..];

    public TransactionLayer Layer { get; }

    public RequestGuard? Guard { get; }

    /// <summary>The role above the transaction layer.</summary>
    public ITransactionUser? User
    {
        get => _user.Target;
        set => _user.Target = value;
    }

    public IEndpointTimers? Timers { get; set; }

    public long NextDeadline => Math.Min(Layer.NextDeadline, Timers?.NextDeadline ?? long.MaxValue);

    public void Deliver(byte[] data, PeerAddress from)
    {
        if (!SipParser.Parse(data.AsMemory(), SipFraming.Datagram, _message).IsDone) return;
        if (Guard is not null && !Guard.Admit(_message, from)) return;
        Layer.Receive(_message, from);
    }

    public void ProcessTimers()
    {
        Layer.ProcessTimers();
        Timers?.ProcessTimers();
    }

    public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
    {
        _network.Send(Address, destination, message);
        return true;
    }
}
