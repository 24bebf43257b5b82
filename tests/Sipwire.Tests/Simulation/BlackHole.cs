// A simulated host that records what reaches it and never answers.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

public sealed class BlackHole : ISimHost
{
    public BlackHole(SimNetwork network, string address)
    {
        Address = PeerAddress.Parse(TransportProtocol.Udp, address);
        network.Attach(this);
        Network = network;
    }

    public SimNetwork Network { get; }

    public PeerAddress Address { get; }

    public long NextDeadline => long.MaxValue;

    /// <summary>Arrival times (virtual microseconds) and packets.</summary>
    public List<(long At, SimPacket Packet)> Received { get; } = [];

    public void Deliver(byte[] data, PeerAddress from) => Received.Add((Network.Clock.NowMicros, new SimPacket(Network.Clock.NowMicros, from, Address, data)));

    public void ProcessTimers()
    {
    }
}
