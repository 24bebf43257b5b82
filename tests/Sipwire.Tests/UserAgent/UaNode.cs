// A UserAgentCore on the simulated network, recording every event it raises.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

internal sealed class UaNode
{
    public UaNode(SimNetwork net, string address, string user = "ua", Func<UserAgentOptions, UserAgentOptions>? configure = null)
    {
        var deferred = new DeferredUser();
        Node = new SimNode(net, address, user: deferred);
        string hostPort = Node.Address.ToString()["UDP:".Length..];
        var options = new UserAgentOptions
        {
            LocalUri = $"sip:{user}@{RegistrarNode.Domain}",
            ContactUri = $"sip:{user}@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Parse(hostPort.Split(':')[0]),
        };
        Core = new UserAgentCore(Node.Layer, configure is null ? options : configure(options));
        deferred.Target = Core;
        Core.IncomingCall += c =>
        {
            Incoming.Add(c);
            Track(c);
            IncomingHook?.Invoke(c);
        };
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

    /// <summary>Call events with the virtual time (µs) they happened at.</summary>
    public List<(long At, SipCall Call, CallEvent Event)> CallEvents { get; } = [];

    public List<SipCall> Incoming { get; } = [];

    public Action<SipCall>? IncomingHook { get; set; }

    public string[] Kinds(SipCall call) => CallEvents.Where(e => e.Call == call).Select(e => e.Event.Kind.ToString()).ToArray();

    public CallEvent Last(SipCall call) => CallEvents.Last(e => e.Call == call).Event;

    public SipCall Call(UaNode callee, string user = "bob")
    {
        SipCall c = Core.Invite($"sip:{user}@{callee.HostPort}", callee.Address);
        Track(c);
        return c;
    }

    private void Track(SipCall c)
    {
        if (CallEvents.Any(e => e.Call == c) || _tracked.Contains(c)) return;
        _tracked.Add(c);
        c.Changed += e => CallEvents.Add((Network.Clock.NowMicros, c, e));
    }

    private readonly HashSet<SipCall> _tracked = [];

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
