// Every out-of-dialog request of the UA carries the outbound proxy's Route (RFC 3261 §8.1.2), checked through a strict proxy.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Tests.Events;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class OutboundProxyRouteTests
{
    private const string ProxyUri = "sip:10.0.0.9:5060";
    private const string Route = "<sip:10.0.0.9:5060;lr>";

    private static (SimNetwork Net, UaNode Alice, UaNode Bob, CallAuthProxyNode Proxy) Setup(int seed, double loss = 0, bool outboundProxy = true)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var proxy = new CallAuthProxyNode(net, "10.0.0.9:5060", TimeSpan.FromMinutes(10)) { RequireOwnRoute = true };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { OutboundProxy = outboundProxy ? ProxyUri : null });
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        return (net, alice, bob, proxy);
    }

    private static string[] SentBy(SimNetwork net, UaNode from, string start) =>
        CallTestKit.Sent(net, from.Address, start).Select(p => Encoding.UTF8.GetString(p.Data)).Distinct().ToArray();

    private static string[] OutOfDialog(string[] requests) => requests.Where(r => CallTestKit.ToTag(r).Length == 0).ToArray();

    [TestCase(0.0, 3101)]
    [TestCase(0.2, 3102)]
    public void RegisterItsRefreshesAndTheUnregisterCarryTheRoute(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, _, CallAuthProxyNode proxy) = Setup(seed, loss);
        var registrar = new RegistrarNode(net, "10.0.0.5:5060");
        proxy.Hosts[RegistrarNode.Domain] = registrar.Node.Address.ToString()["UDP:".Length..];
        Registration r = alice.Register(proxy.Address, "alice", "wonderland", expires: 120);
        net.RunFor(TimeSpan.FromSeconds(200));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered), string.Join("\n", alice.RegistrationEvents));
        Assert.That(registrar.Contacts("alice"), Has.Length.EqualTo(1));
        r.Stop();
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(registrar.Contacts("alice"), Is.Empty, "the unregister reached the registrar through the proxy");
        string[] registers = SentBy(net, alice, "REGISTER");
        // The challenged one, its answer, at least one refresh (120 s granted, 200 s run) and the unregister.
        Assert.That(registers.Select(x => CallTestKit.Header(x, "CSeq")).Distinct().Count(), Is.GreaterThanOrEqualTo(4));
        Assert.That(registers.Select(x => CallTestKit.Header(x, "Route")), Is.All.EqualTo(Route));
        Assert.That(registers.Any(x => CallTestKit.Header(x, "Expires") == "0"), Is.True);
        Assert.That(proxy.RefusedForRoute, Is.Empty);
    }

    [Test]
    public void ARegistrationsOwnOutboundProxyWinsOverTheCores()
    {
        (SimNetwork net, UaNode alice, _, CallAuthProxyNode proxy) = Setup(3103);
        Registration r = alice.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{alice.HostPort}",
            Destination = proxy.Address,
            LocalSentBy = alice.HostPort,
            OutboundProxy = "sip:edge.example.test",
        });
        Assert.That(r.Options.OutboundProxy, Is.EqualTo("sip:edge.example.test"));
        r.Start();
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(CallTestKit.Header(SentBy(net, alice, "REGISTER")[0], "Route"), Is.EqualTo("<sip:edge.example.test;lr>"), "§8.1.2: ;lr added to the outbound proxy");
        Assert.Throws<ArgumentException>(() => alice.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{alice.HostPort}",
            Destination = proxy.Address,
            LocalSentBy = alice.HostPort,
            OutboundProxy = "sip:edge\r\nX: y",
        }));
        // A core without an outbound proxy leaves REGISTER without Route.
        var carol = new UaNode(net, "10.0.0.3:5060", "carol");
        carol.Register(proxy.Address, "carol", "pw");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(CallTestKit.Header(SentBy(net, carol, "REGISTER")[0], "Route"), Is.Null);
    }

    [TestCase(0.0, 3111)]
    [TestCase(0.2, 3112)]
    public void MessageCarriesTheRoute(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(seed, loss);
        var done = new List<MessageEvent>();
        var received = new List<IncomingMessage>();
        alice.Core.MessageCompleted += done.Add;
        bob.Core.MessageReceived += received.Add;
        alice.Core.SendMessage($"sip:bob@{bob.HostPort}", proxy.Address, "text/plain", "through the proxy"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(done.Single().Kind, Is.EqualTo(MessageEventKind.Delivered), done.Single().ToString());
        Assert.That(received.Single().Text, Is.EqualTo("through the proxy"));
        Assert.That(SentBy(net, alice, "MESSAGE").Select(x => CallTestKit.Header(x, "Route")), Is.All.EqualTo(Route));
        Assert.That(proxy.RefusedForRoute, Is.Empty);
    }

    [Test]
    public void WithoutTheRouteTheStrictProxyRefusesTheMessage()
    {
        // The strict proxy really checks: the same MESSAGE from a UA without an outbound proxy gets 403.
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(3113, outboundProxy: false);
        var done = new List<MessageEvent>();
        alice.Core.MessageCompleted += done.Add;
        alice.Core.SendMessage($"sip:bob@{bob.HostPort}", proxy.Address, "text/plain", "no route"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(done.Single().Kind, Is.EqualTo(MessageEventKind.Failed));
        Assert.That(done.Single().StatusCode, Is.EqualTo(403));
        Assert.That(proxy.RefusedForRoute, Has.Count.EqualTo(1));
    }

    [TestCase(0.0, 3121)]
    [TestCase(0.2, 3122)]
    public void InitialSubscribeCarriesTheRouteAndRefreshesUseTheDialogsRouteSet(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(seed, loss);
        var package = new TestEventPackage();
        string resource = $"sip:bob@{bob.HostPort}";
        package.State[resource] = "online";
        bob.Core.AddEventPackage(package);
        Subscription s = alice.Core.Subscribe(new SubscriptionOptions { TargetUri = resource, Destination = proxy.Address, Event = "x-test", Expires = 120, Accept = ["text/plain"] });
        var events = new List<SubscriptionEvent>();
        s.Changed += events.Add;
        net.RunFor(TimeSpan.FromSeconds(200));
        Assert.That(s.State, Is.EqualTo(SubscriptionState.Active), string.Join("\n", events));
        string[] subscribes = SentBy(net, alice, "SUBSCRIBE");
        string[] initial = OutOfDialog(subscribes);
        Assert.That(initial, Is.Not.Empty);
        Assert.That(initial.Select(x => CallTestKit.Header(x, "Route")), Is.All.EqualTo(Route));
        // §12.2.1.1: refreshes follow the dialog's route set, empty here (the proxy did not Record-Route).
        string[] refreshes = subscribes.Except(initial).ToArray();
        Assert.That(refreshes, Is.Not.Empty, "a refresh within 200 s of a 120 s subscription");
        Assert.That(refreshes.Select(x => CallTestKit.Header(x, "Route")), Is.All.Null);
        Assert.That(proxy.RefusedForRoute, Is.Empty);
    }

    [TestCase(0.0, 3131)]
    [TestCase(0.2, 3132)]
    public void PublishAndItsRefreshCarryTheRoute(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, _, CallAuthProxyNode proxy) = Setup(seed, loss);
        var esc = new EscNode(net, "10.0.0.5:5060");
        proxy.Hosts[RegistrarNode.Domain] = "10.0.0.5:5060";
        Publication p = alice.Core.Publish(new PublicationOptions { TargetUri = "sip:alice@example.test", Destination = proxy.Address, Expires = 120 },
            new EventBody("text/plain", "here"u8.ToArray()));
        var events = new List<PublicationEvent>();
        p.Changed += events.Add;
        net.RunFor(TimeSpan.FromSeconds(200));
        Assert.That(p.IsPublished, Is.True, string.Join("\n", events));
        Assert.That(esc.Log.Count(l => l.Status == 200), Is.GreaterThanOrEqualTo(2), "published and refreshed");
        string[] publishes = SentBy(net, alice, "PUBLISH");
        Assert.That(publishes.Select(x => CallTestKit.Header(x, "Route")), Is.All.EqualTo(Route));
        Assert.That(proxy.RefusedForRoute, Is.Empty);
    }

    [Test]
    public void InviteThroughTheStrictProxyComesUp()
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(3141);
        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite($"sip:bob@{bob.HostPort}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(proxy.RefusedForRoute, Is.Empty);
        call.Hangup();
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
    }
}
