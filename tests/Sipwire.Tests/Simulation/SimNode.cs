// A transaction layer attached to the simulated network, with a recording transaction user.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

/// <summary>One SIP element on the simulated network: parses datagrams and feeds its <see cref="TransactionLayer"/>.</summary>
public sealed class SimNode : ISimHost, ITransportSender
{
    private readonly SimNetwork _network;
    private readonly SipMessage _message = new();

    public SimNode(SimNetwork network, string address, EndpointOptions? options = null, ITransactionUser? user = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        Address = PeerAddress.Parse(TransportProtocol.Udp, address);
        User = user ?? new RecordingUser();
        Layer = new TransactionLayer(options ?? new EndpointOptions(), this, User, network.Clock);
        network.Attach(this);
    }

    public PeerAddress Address { get; }

    public TransactionLayer Layer { get; }

    public ITransactionUser User { get; }

    public RecordingUser Recorder => (RecordingUser)User;

    /// <summary>When set, sends fail (a transport error, §17.1.4).</summary>
    public bool FailSends { get; set; }

    public long NextDeadline => Math.Min(Layer.NextDeadline, ExtraDeadline?.Invoke() ?? long.MaxValue);

    /// <summary>Deadline of a layer above the transactions (dialogs), if any.</summary>
    public Func<long>? ExtraDeadline { get; set; }

    /// <summary>Timer processing of a layer above the transactions, if any.</summary>
    public Action? ExtraTimers { get; set; }

    public int ParseErrors { get; private set; }

    public void Deliver(byte[] data, PeerAddress from)
    {
        if (!SipParser.Parse(data.AsMemory(), SipFraming.Datagram, _message).IsDone)
        {
            ParseErrors++;
            return;
        }
        Layer.Receive(_message, from);
    }

    public void ProcessTimers()
    {
        Layer.ProcessTimers();
        ExtraTimers?.Invoke();
    }

    public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
    {
        if (FailSends) return false;
        _network.Send(Address, destination, message);
        return true;
    }
}
