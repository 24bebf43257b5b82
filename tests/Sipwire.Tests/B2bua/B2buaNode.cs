// A SipB2bua (with a registrar for its domain) on the simulated network, recording its events.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Auth;
using Sipwire.B2bua;
using Sipwire.Location;
using Sipwire.Protection;
using Sipwire.Registrar;
using Sipwire.Tests.Protection;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;

namespace Sipwire.Tests.B2bua;

internal sealed class B2buaNode
{
    public B2buaNode(SimNetwork net, string address, Func<B2buaOptions, B2buaOptions>? configure = null, ProtectionOptions? protection = null,
        LocationLimits? limits = null, bool authenticate = false)
    {
        Host = new GuardedHost(net, address, protection);
        Location = new InMemoryLocationService(limits);
        // One credential store and one nonce table for REGISTER (the registrar) and INVITE (the B2BUA), as the CLI does.
        Digest = new DigestServer(RegistrarNode.Domain, DigestAlgorithm.Sha256, TimeSpan.FromSeconds(30));
        var registrar = new SipRegistrar(new RegistrarOptions { Domains = [RegistrarNode.Domain], RetryAfterSeconds = 20 }, Location,
            Digest, u => Passwords.TryGetValue(u, out string? p) ? p : null);
        var options = new B2buaOptions
        {
            ContactUri = $"sip:b2bua@{Host.HostPort}",
            LocalSentBy = Host.HostPort,
            Domains = [RegistrarNode.Domain],
            Authentication = authenticate ? new ServerAuthentication(Digest, u => Passwords.TryGetValue(u, out string? p) ? p : null) : null,
        };
        B2bua = new SipB2bua(configure is null ? options : configure(options), Host.Layer, Location, registrar);
        B2bua.CallChanged += e => Events.Add(e);
        Host.User = B2bua;
        Host.Timers = B2bua;
    }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland", ["bob"] = "builder", ["carol"] = "singer" };

    public DigestServer Digest { get; }

    public GuardedHost Host { get; }

    public SipB2bua B2bua { get; }

    public InMemoryLocationService Location { get; }

    public List<B2buaEvent> Events { get; } = [];

    public PeerAddress Address => Host.Address;

    public string HostPort => Host.HostPort;
}
