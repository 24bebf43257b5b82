// Something attached to the simulated network: receives datagrams and has timers.
// SPDX-License-Identifier: MIT

using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

public interface ISimHost
{
    PeerAddress Address { get; }

    long NextDeadline { get; }

    void Deliver(byte[] data, PeerAddress from);

    void ProcessTimers();
}
