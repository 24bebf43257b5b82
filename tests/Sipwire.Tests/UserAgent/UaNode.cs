// A UserAgentCore on the simulated network, recording every event it raises.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

internal sealed class UaNode
{
    public UaNode(SimNetwork net, string address)
    {
        var user = new DeferredUser();
        Node = new SimNode(net, address, user: user);
        Core = new UserAgentCore(Node.Layer);
        user.Target = Core;
        Node.ExtraDeadline = () => Core.NextDeadline;
        Node.ExtraTimers = Core.ProcessTimers;
        Network = net;
    }

    public SimNetwork Network { get; }

    public SimNode Node { get; }

    public UserAgentCore Core { get; }

    public PeerAddress Address => Node.Address;

    public string HostPort => Address.ToString()["UDP:".Length..];

    /// <summary>Registration events with the virtual time (µs) they happened at.</summary>
    public List<(long At, RegistrationEvent Event)> RegistrationEvents { get; } = [];

    public Registration Register(PeerAddress registrar, string user, string password, int expires = 3600, int seed = 1, string? instance = null)
    {
        Registration r = Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = $"sip:{user}@{RegistrarNode.Domain}",
            ContactUri = $"sip:{user}@{HostPort}",
            Destination = registrar,
            LocalSentBy = HostPort,
            Expires = expires,
            Credentials = [new SipCredentials(user, password)],
            InstanceId = instance,
            RegId = instance is null ? 0 : 1,
        }, new Random(seed));
        r.Changed += e => RegistrationEvents.Add((Network.Clock.NowMicros, e));
        r.Start();
        return r;
    }
}
