// Calls between user agents through the proxy (RFC 3261 §16) on the simulated network: registration, Record-Route, forking, CANCEL.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Proxy;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ProxyCallTests
{
    private const string ProxyAt = "10.0.0.9:5060";

    private static SimNetwork Net(int seed, double loss) =>
        new(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };

    private static string Dump(SimNetwork net) => string.Join("\n", net.Sent.Select(p => $"{p.SentAt / 1000} {p.From} -> {p.To}: {p.StartLine}"));

    [TestCase(false, 0.0, 701)]
    [TestCase(false, 0.2, 702)]
    [TestCase(true, 0.0, 703)]
    [TestCase(true, 0.2, 704)]
    public void RegisteredUsersCallEachOtherThroughTheProxyAndTheDialogKeepsItsRecordRoute(bool stateless, double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt, stateless);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        alice.Register(proxy.Address, "alice", "wonderland", seed: seed);
        bob.Register(proxy.Address, "bob", "builder", seed: seed + 1);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(proxy.Contacts("bob"), Is.EqualTo(new[] { "sip:bob@10.0.0.2:5060" }), Dump(net));
        Assert.That(proxy.Contacts("alice"), Is.EqualTo(new[] { "sip:alice@10.0.0.1:5060" }));

        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", proxy.Address);
        alice.CallEvents.Clear();
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));

        // §16.6 step 4: the INVITE bob got carries the proxy's Record-Route; §12.1: both dialogs route through it.
        string invite = net.Sent.First(p => p.To == bob.Address && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).Text;
        Assert.That(invite, Does.Contain("Record-Route: <sip:10.0.0.9:5060;lr>\r\n"));
        Assert.That(invite, Does.Contain("Max-Forwards: 69\r\n"));
        Assert.That(invite, Does.StartWith("INVITE sip:bob@10.0.0.2:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKsw"));

        int before = net.Sent.Count;
        Assert.That(incoming.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        var bye = net.Sent.Skip(before).Where(p => p.StartLine.StartsWith("BYE", StringComparison.Ordinal)).ToList();
        Assert.That(bye.Any(p => p.From == bob.Address && p.To == proxy.Address), Is.True, "BYE from the callee goes to the Record-Route (the proxy)\n" + Dump(net));
        Assert.That(bye.Any(p => p.From == proxy.Address && p.To == alice.Address), Is.True, "the proxy forwards the BYE to the caller's contact");
        Assert.That(bye.First(p => p.From == bob.Address).Text, Does.Contain("Route: <sip:10.0.0.9:5060;lr>"));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.Ended));
        if (stateless) Assert.That(proxy.Proxy.StatelessForwarded, Is.GreaterThan(0));
        else Assert.That(proxy.Log.Any(l => l.Method == "INVITE" && l.StatusCode == 200), Is.True, string.Join("\n", proxy.Log));
    }

    [TestCase(0.0, 711)]
    [TestCase(0.2, 712)]
    public void ParallelForkRingsBothContactsAndCancelsTheOtherWhenOneAnswers(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var desk = new UaNode(net, "10.0.0.2:5060", "bob");
        var phone = new UaNode(net, "10.0.0.3:5060", "bob");
        desk.Register(proxy.Address, "bob", "builder", seed: seed);
        phone.Register(proxy.Address, "bob", "builder", seed: seed + 7);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(proxy.Contacts("bob"), Has.Length.EqualTo(2), Dump(net));

        SipCall call = alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(desk.Incoming, Has.Count.EqualTo(1), Dump(net));
        Assert.That(phone.Incoming, Has.Count.EqualTo(1));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing));
        Assert.That(phone.Incoming[0].Answer(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(phone.Incoming[0].State, Is.EqualTo(CallState.Active));
        // §16.7 step 10: the desk phone's branch is cancelled; it ends with 487.
        Assert.That(desk.Incoming[0].State, Is.EqualTo(CallState.Terminated));
        Assert.That(desk.Last(desk.Incoming[0]).StatusCode, Is.EqualTo(487));
        Assert.That(net.Sent.Any(p => p.From == proxy.Address && p.To == desk.Address && p.StartLine.StartsWith("CANCEL", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void SequentialForkTriesTheHighestQFirstAndTheNextOnFailure()
    {
        SimNetwork net = Net(721, 0);
        var proxy = new ProxyNode(net, ProxyAt, forking: ForkingMode.Sequential);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var low = new UaNode(net, "10.0.0.2:5060", "bob");
        var high = new UaNode(net, "10.0.0.3:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060", qMillis: 500);
        proxy.Bind("bob", "sip:bob@10.0.0.3:5060", qMillis: 1000);
        high.IncomingHook = c => c.Reject(486, "Busy Here");
        low.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        long highAt = net.Sent.First(p => p.To == high.Address && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).SentAt;
        long busyAt = net.Sent.First(p => p.From == high.Address && p.StartLine.StartsWith("SIP/2.0 486", StringComparison.Ordinal)).SentAt;
        long lowAt = net.Sent.First(p => p.To == low.Address && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).SentAt;
        Assert.That(highAt, Is.LessThan(busyAt));
        Assert.That(lowAt, Is.GreaterThan(busyAt), "the q=0.5 contact is tried only after the q=1 contact failed");
    }

    [Test]
    public void SequentialForkMovesOnWhenTheFirstGroupRingsTooLong()
    {
        SimNetwork net = Net(722, 0);
        var proxy = new ProxyNode(net, ProxyAt, forking: ForkingMode.Sequential, sequentialTimeout: TimeSpan.FromSeconds(5));
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var first = new UaNode(net, "10.0.0.3:5060", "bob");
        var second = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.3:5060", qMillis: 900);
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060", qMillis: 100);
        second.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(4));
        Assert.That(first.Incoming, Has.Count.EqualTo(1));
        Assert.That(second.Incoming, Is.Empty);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(second.Incoming, Has.Count.EqualTo(1), Dump(net));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(first.Incoming[0].State, Is.EqualTo(CallState.Terminated), "the ringing first contact was cancelled");
    }

    [TestCase(0.0, 731)]
    [TestCase(0.2, 732)]
    public void CancelFromTheCallerReachesEveryPendingBranch(double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var desk = new UaNode(net, "10.0.0.2:5060", "bob");
        var phone = new UaNode(net, "10.0.0.3:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        proxy.Bind("bob", "sip:bob@10.0.0.3:5060");
        SipCall call = alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", proxy.Address);
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Ringing), Dump(net));
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(alice.Last(call).StatusCode, Is.EqualTo(487), Dump(net));
        Assert.That(desk.Last(desk.Incoming.Single()).StatusCode, Is.EqualTo(487));
        Assert.That(phone.Last(phone.Incoming.Single()).StatusCode, Is.EqualTo(487));
    }

    [Test]
    public void UnknownUserGets404AndExpiredBindingsGet480()
    {
        SimNetwork net = Net(741, 0);
        var proxy = new ProxyNode(net, ProxyAt);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        proxy.Bind("carol", "sip:carol@10.0.0.5:5060", seconds: 60);
        SipCall nobody = alice.Core.Invite($"sip:nobody@{ProxyNode.Domain}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(90));
        SipCall carol = alice.Core.Invite($"sip:carol@{ProxyNode.Domain}", proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(nobody.EndStatus, Is.EqualTo(404));
        Assert.That(carol.EndStatus, Is.EqualTo(480));
    }
}
