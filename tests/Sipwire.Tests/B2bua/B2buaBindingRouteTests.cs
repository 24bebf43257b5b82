// The B2BUA's default route to a registered callee: through the binding's Path (RFC 3327 §5.3) and over its flow behind NAT (RFC 5626 §5.3).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.B2bua;
using Sipwire.Tests.Proxy;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaBindingRouteTests
{
    private static SimNetwork Net(int seed, double loss) =>
        new(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };

    private static string Dump(SimNetwork net) => string.Join("\n", net.Sent.Select(p => $"{p.SentAt / 1000} {p.From} -> {p.To}: {p.StartLine}"));

    [TestCase(0.0, 7501)]
    [TestCase(0.2, 7502)]
    public void CalleeRegisteredThroughAnEdgeProxyIsReachedThroughItsPath(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060");
        // bob registers through an edge proxy whose next hop is the B2BUA's registrar; the edge adds Path (RFC 3327 §5.2).
        var edge = new ProxyNode(net, "10.0.0.20:5060", registrar: false, nextHop: "sip:10.0.0.9:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        Registration reg = bob.Register(edge.Address, "bob", "builder", seed: seed);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(reg.State, Is.EqualTo(RegistrationState.Registered), Dump(net));
        string path = CallTestKit.Header(net.Sent.First(p => p.From.Equals(edge.Address) && p.StartLine.StartsWith("REGISTER", StringComparison.Ordinal)).Text, "Path")!;
        Assert.That(path, Does.Contain("10.0.0.20"));

        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events) + "\n" + Dump(net));
        SipCall incoming = bob.Incoming.Single();

        // The callee leg's INVITE went to the first Path hop, carrying the Path as its Route; never to bob directly.
        SimPacket invite = net.Sent.First(p => p.From.Equals(b2bua.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.That(invite.To, Is.EqualTo(edge.Address));
        Assert.That(CallTestKit.Header(invite.Text, "Route"), Is.EqualTo(path));
        Assert.That(invite.StartLine, Does.StartWith($"INVITE sip:bob@{bob.HostPort}"));
        Assert.That(net.Sent.Where(p => p.From.Equals(b2bua.Address) && p.To.Equals(bob.Address)), Is.Empty);
        // What reached bob (through the edge) shows nothing of alice's leg.
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address)))
        {
            Assert.That(B2buaRawPeer.Head(p.Text), Does.Not.Contain(call.CallId).And.Not.Contain("10.0.0.1"));
        }

        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated), CallTestKit.Log(bob));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [TestCase(0.0, 7511)]
    [TestCase(0.2, 7512)]
    public void CalleeBehindNatIsReachedAtTheAddressItRegisteredFrom(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        // bob's phone thinks it is 192.168.1.2 (its LAN address); the B2BUA sees its packets from 10.0.0.2 (the NAT).
        const string lanContact = "sip:bob@192.168.1.2:5060";
        var bob = new UaNode(net, "10.0.0.2:5060", "bob", o => o with { ContactUri = lanContact });
        Registration reg = bob.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = $"sip:bob@{RegistrarNode.Domain}",
            ContactUri = lanContact,
            Destination = b2bua.Address,
            LocalSentBy = bob.HostPort,
            Credentials = [new SipCredentials("bob", "builder")],
        }, new Random(seed));
        reg.Start();
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(reg.State, Is.EqualTo(RegistrationState.Registered), Dump(net));

        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events) + "\n" + Dump(net));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active), "the ACK reached bob over its flow");
        SimPacket invite = net.Sent.First(p => p.From.Equals(b2bua.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.That(invite.StartLine, Does.StartWith("INVITE " + lanContact));
        Assert.That(invite.To, Is.EqualTo(bob.Address));

        // In-dialog requests of the callee leg (re-INVITE, BYE) keep using the flow, never the unreachable LAN address.
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(incoming.Audio!.Send, Is.False, "the hold re-INVITE reached bob");
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(incoming.State, Is.EqualTo(CallState.Terminated), CallTestKit.Log(bob));
        var lan = PeerAddress.Parse(TransportProtocol.Udp, "192.168.1.2:5060");
        Assert.That(net.Sent.Where(p => p.To.Equals(lan)), Is.Empty, Dump(net));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [TestCase(0.0, 7531)]
    [TestCase(0.2, 7532)]
    public void CallerBehindNatGetsTheCallersLegRequestsWhereItsInviteCameFrom(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        // alice's phone writes its LAN address into Contact; its packets arrive from 10.0.0.1 (the NAT).
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { ContactUri = "sip:alice@192.168.1.5:5060" });
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{bob.HostPort}", bob.Address) });
        bob.IncomingHook = c => c.Answer();
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));
        SipCall incoming = bob.Incoming.Single();

        // bob holds (a re-INVITE on the caller leg) and hangs up (BYE on the caller leg): both reach alice over her NAT.
        Assert.That(incoming.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.Audio!.Send, Is.False, "the hold re-INVITE reached alice");
        Assert.That(incoming.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated), string.Join("\n", events));
        Assert.That(call.EndStatus, Is.Zero.Or.EqualTo(200));
        var lan = PeerAddress.Parse(TransportProtocol.Udp, "192.168.1.5:5060");
        Assert.That(net.Sent.Where(p => p.To.Equals(lan)), Is.Empty, Dump(net));
        Assert.That(b2bua.B2bua.Calls, Is.Empty);
    }

    [Test]
    public void BindingWhoseContactIsWhereItRegisteredFromIsCalledDirectly()
    {
        SimNetwork net = Net(7521, 0);
        var b2bua = new B2buaNode(net, "10.0.0.9:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        bob.Register(b2bua.Address, "bob", "builder");
        net.RunFor(TimeSpan.FromSeconds(5));
        bob.IncomingHook = c => c.Answer();
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        SimPacket invite = net.Sent.First(p => p.From.Equals(b2bua.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal));
        Assert.That(CallTestKit.Header(invite.Text, "Route"), Is.Null);
        Assert.That(invite.To, Is.EqualTo(bob.Address));
    }
}
