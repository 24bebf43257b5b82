// Dialog layer (RFC 3261 §12) and UA-core 2xx/ACK reliability (§13.2.2.4, §13.3.1.4) over the simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Dialogs;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;

namespace Sipwire.Tests.Dialogs;

[TestFixture]
public sealed class DialogTests
{
    private static long[] L(params long[] values) => values;

    private static T[] A<T>(params T[] values) => values;

    private static byte[] Resp(int code, string reason, string branch, string toTag, string contact, string recordRoute = "") => Encoding.ASCII.GetBytes(
        $"SIP/2.0 {code} {reason}\r\n" +
        $"Via: SIP/2.0/UDP 10.0.0.1:5060;branch={branch};rport=5060\r\n" +
        recordRoute +
        "From: <sip:alice@test>;tag=alice1\r\n" +
        $"To: <sip:bob@test>;tag={toTag}\r\n" +
        "Call-ID: fork@test\r\n" +
        "CSeq: 10 INVITE\r\n" +
        $"Contact: <{contact}>\r\n" +
        "Content-Length: 0\r\n\r\n");

    [Test]
    public void ForkingWithTwo180sAndTwo200sGivesTwoDialogsEachAcked()
    {
        var net = new SimNetwork(31);
        var uac = new TestUserAgent(net, "10.0.0.1:5060");
        var proxy = new BlackHole(net, "10.0.0.2:5060");
        var phoneA = new BlackHole(net, "10.0.0.3:5060");
        var phoneB = new BlackHole(net, "10.0.0.4:5060");
        Transaction invite = uac.Invite(proxy.Address, "fork@test")!;
        net.RunFor(TimeSpan.FromMilliseconds(5));
        string branch = Encoding.ASCII.GetString(proxy.Received[0].Packet.Data).Split("branch=")[1].Split(';')[0];
        net.Send(proxy.Address, uac.Node.Address, Resp(180, "Ringing", branch, "a", "sip:a@10.0.0.3:5060"));
        net.Send(proxy.Address, uac.Node.Address, Resp(180, "Ringing", branch, "b", "sip:b@10.0.0.4:5060"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        Assert.That(uac.Dialogs.Dialogs.Select(d => (d.RemoteTag, d.State)).OrderBy(x => x.RemoteTag).ToArray(),
            Is.EqualTo(A(("a", DialogState.Early), ("b", DialogState.Early))));
        string rr = "Record-Route: <sip:10.0.0.2:5060;lr>\r\n";
        net.Send(proxy.Address, uac.Node.Address, Resp(200, "OK", branch, "a", "sip:a@10.0.0.3:5060", rr));
        net.Send(proxy.Address, uac.Node.Address, Resp(200, "OK", branch, "b", "sip:b@10.0.0.4:5060"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        Assert.That(uac.Dialogs.Dialogs.All(d => d.State == DialogState.Confirmed), Is.True);
        Assert.That(uac.Dialogs.Count, Is.EqualTo(2));
        Assert.That(invite.State, Is.EqualTo(TransactionState.Accepted));
        // Fork a has a loose-routing proxy in its route set: its ACK goes to the proxy with a Route.
        SimPacket ackA = proxy.Received.Select(r => r.Packet).Single(p => p.StartLine.StartsWith("ACK", StringComparison.Ordinal));
        Assert.That(ackA.StartLine, Is.EqualTo("ACK sip:a@10.0.0.3:5060 SIP/2.0"));
        Assert.That(ackA.Text, Does.Contain("Route: <sip:10.0.0.2:5060;lr>\r\n"));
        Assert.That(ackA.Text, Does.Contain("To: <sip:bob@test>;tag=a\r\n"));
        Assert.That(ackA.Text, Does.Contain("CSeq: 10 ACK\r\n"));
        // Fork b has no route set: its ACK goes straight to its Contact.
        SimPacket ackB = phoneB.Received.Single().Packet;
        Assert.That(ackB.StartLine, Is.EqualTo("ACK sip:b@10.0.0.4:5060 SIP/2.0"));
        Assert.That(ackA.Text.Split("branch=")[1].Split(';')[0], Is.Not.EqualTo(branch), "the ACK for a 2xx is its own transaction");
        // A retransmitted 200 from fork b gets the same ACK again.
        net.Send(proxy.Address, uac.Node.Address, Resp(200, "OK", branch, "b", "sip:b@10.0.0.4:5060"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        Assert.That(phoneB.Received, Has.Count.EqualTo(2));
        Assert.That(phoneB.Received[1].Packet.Data, Is.EqualTo(phoneB.Received[0].Packet.Data));
        _ = phoneA;
    }

    [Test]
    public void NonSuccessFinalEndsEarlyDialogs()
    {
        var net = new SimNetwork(32);
        var uac = new TestUserAgent(net, "10.0.0.1:5060");
        var proxy = new BlackHole(net, "10.0.0.2:5060");
        uac.Invite(proxy.Address, "fork@test");
        net.RunFor(TimeSpan.FromMilliseconds(5));
        string branch = Encoding.ASCII.GetString(proxy.Received[0].Packet.Data).Split("branch=")[1].Split(';')[0];
        net.Send(proxy.Address, uac.Node.Address, Resp(183, "Progress", branch, "a", "sip:a@10.0.0.3:5060"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        Assert.That(uac.Dialogs.Count, Is.EqualTo(1));
        net.Send(proxy.Address, uac.Node.Address, Resp(480, "Unavailable", branch, "p", "sip:p@10.0.0.2:5060"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        Assert.That(uac.Dialogs.Count, Is.Zero);
    }

    [TestCase(41)]
    [TestCase(42)]
    [TestCase(43)]
    public void CallsCompleteUnder30PercentLoss(int seed)
    {
        var net = new SimNetwork(seed)
        {
            DefaultLink = new LinkConditions { Loss = 0.3, Delay = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(20), Duplication = 0.05, Reorder = 0.05 },
        };
        var alice = new TestUserAgent(net, "10.0.0.1:5060");
        var bob = new TestUserAgent(net, "10.0.0.2:5060");
        const int Calls = 20;
        for (int i = 0; i < Calls; i++) alice.Invite(bob.Node.Address, $"call{i}@test");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bob.InvitesReceived, Is.EqualTo(Calls), "retransmitted INVITEs absorbed");
        Assert.That(alice.Dialogs.Count, Is.EqualTo(Calls));
        Assert.That(alice.Dialogs.Dialogs.All(d => d.State == DialogState.Confirmed));
        Assert.That(bob.Dialogs.Dialogs.All(d => d._success is null), Is.True, "every 2xx was ACKed");
        foreach (Dialog d in alice.Dialogs.Dialogs.ToList()) alice.Dialogs.SendRequest(d, "BYE");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Dialogs.Count + bob.Dialogs.Count, Is.Zero);
        Assert.That(alice.Log.Count(l => l == "response 200 Bye"), Is.EqualTo(Calls));
        Assert.That(alice.Layer.Count + bob.Layer.Count, Is.Zero);
    }

    [Test]
    public void Uas2xxRetransmittedUntilAckThenByeAfter64T1()
    {
        var net = new SimNetwork(51);
        var alice = new BlackHole(net, "10.0.0.1:5060");
        var bob = new TestUserAgent(net, "10.0.0.2:5060");
        string invite =
            "INVITE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-x1\r\nMax-Forwards: 70\r\n" +
            "From: <sip:alice@test>;tag=a9\r\nTo: <sip:bob@test>\r\nCall-ID: noack@test\r\nCSeq: 1 INVITE\r\n" +
            "Contact: <sip:alice@10.0.0.1:5060>\r\nContent-Length: 0\r\n\r\n";
        long t0 = net.Clock.NowMicros;
        net.Send(alice.Address, bob.Node.Address, Encoding.ASCII.GetBytes(invite));
        net.RunFor(TimeSpan.FromSeconds(40));
        long[] okAt = alice.Received.Where(r => r.Packet.StartLine == "SIP/2.0 200 OK").Select(r => (r.At - t0) / 1000).ToArray();
        // §13.3.1.4: T1, 2T1, 4T1, then T2 (4 s) until 64*T1 (sent at 1 ms, arrive 1 ms later).
        Assert.That(okAt, Is.EqualTo(L(2, 502, 1502, 3502, 7502, 11502, 15502, 19502, 23502, 27502, 31502)));
        SimPacket bye = alice.Received.First(r => r.Packet.StartLine.StartsWith("BYE", StringComparison.Ordinal)).Packet;
        Assert.That(bye.StartLine, Is.EqualTo("BYE sip:alice@10.0.0.1:5060 SIP/2.0"));
        Assert.That(bye.Text, Does.Contain("From: <sip:bob@test>;tag=uas1\r\n"));
        Assert.That(bye.Text, Does.Contain("To: <sip:alice@test>;tag=a9\r\n"));
        Assert.That(bye.Text, Does.Contain("CSeq: 1 BYE\r\n"), "the UAS's local sequence starts empty; the first request picks 1 (§12.2.1.1 allows any)");
        Assert.That(bob.Dialogs.Count, Is.Zero);
    }

    [Test]
    public void InDialogRequestsCSeqOrderAndTargetRefresh()
    {
        var net = new SimNetwork(52);
        var alice = new TestUserAgent(net, "10.0.0.1:5060");
        var bob = new TestUserAgent(net, "10.0.0.2:5060");
        alice.Invite(bob.Node.Address, "refresh@test");
        net.RunFor(TimeSpan.FromSeconds(1));
        Dialog a = alice.Dialogs.Dialogs.Single();
        Dialog b = bob.Dialogs.Dialogs.Single();
        Assert.That(a.State, Is.EqualTo(DialogState.Confirmed));
        Assert.That(b.State, Is.EqualTo(DialogState.Confirmed));
        Assert.That(a.RemoteTarget, Is.EqualTo("sip:ua@10.0.0.2:5060"));
        Assert.That(b.RemoteTarget, Is.EqualTo("sip:ua@10.0.0.1:5060"));
        Assert.That(b.RemoteSeq, Is.EqualTo(10u));

        // §12.2.1.1: CSeq goes up by one; §12.2.2: a re-INVITE with a new Contact refreshes the target.
        alice.Dialogs.SendRequest(a, "INFO");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(b.RemoteSeq, Is.EqualTo(11u));
        alice.Dialogs.SendRequest(a, "UPDATE", "Contact: <sip:moved@10.0.0.1:5070>\r\n");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(b.RemoteTarget, Is.EqualTo("sip:moved@10.0.0.1:5070"));

        // A lower CSeq is out of order: 500 (§12.2.2).
        a.GetType().GetProperty(nameof(Dialog.LocalSeq))!.SetValue(a, 3u);
        alice.Dialogs.SendRequest(a, "INFO");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(alice.Responses[^1], Is.EqualTo(500));

        // BYE ends both sides.
        a.GetType().GetProperty(nameof(Dialog.LocalSeq))!.SetValue(a, 20u);
        alice.Dialogs.SendRequest(a, "BYE");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(alice.Dialogs.Count + bob.Dialogs.Count, Is.Zero);
    }
}
