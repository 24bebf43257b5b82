// MESSAGE (RFC 3428) between UA cores over the simulated network: delivery both ways, digest, 415, 413, size and timeout failures.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Events;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class MessageTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob) Pair(int seed, double loss = 0)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        return (net, new UaNode(net, "10.0.0.1:5060", "alice"), new UaNode(net, "10.0.0.2:5060", "bob"));
    }

    private static List<MessageEvent> Outcomes(UaNode ua)
    {
        var list = new List<MessageEvent>();
        ua.Core.MessageCompleted += list.Add;
        return list;
    }

    private static List<IncomingMessage> Inbox(UaNode ua)
    {
        var list = new List<IncomingMessage>();
        ua.Core.MessageReceived += list.Add;
        return list;
    }

    [TestCase(0.0, 901)]
    [TestCase(0.3, 902)]
    [TestCase(0.3, 903)]
    public void MessagesAreDeliveredBothWaysUnderLoss(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(seed, loss);
        List<MessageEvent> aliceOut = Outcomes(alice), bobOut = Outcomes(bob);
        List<IncomingMessage> aliceIn = Inbox(alice), bobIn = Inbox(bob);
        int a = alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain;charset=UTF-8", "Grüße, Bob"u8);
        int b = bob.Core.SendMessage($"sip:alice@{alice.HostPort}", alice.Address, "text/plain", "hello alice"u8);
        for (int i = 0; i < 5; i++)
        {
            alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain", Encoding.UTF8.GetBytes("a" + i));
            bob.Core.SendMessage($"sip:alice@{alice.HostPort}", alice.Address, "text/plain", Encoding.UTF8.GetBytes("b" + i));
        }
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(aliceOut, Does.Contain(new MessageEvent(MessageEventKind.Delivered, a, 200, "OK")));
        Assert.That(bobOut, Does.Contain(new MessageEvent(MessageEventKind.Delivered, b, 200, "OK")));
        Assert.That(aliceOut.Concat(bobOut).Select(e => e.StatusCode), Is.All.EqualTo(200));
        Assert.That(aliceOut.Concat(bobOut).Count(), Is.EqualTo(12));
        Assert.That(bobIn, Has.Count.EqualTo(6));
        IncomingMessage first = bobIn.Single(m => m.Text == "Grüße, Bob");
        Assert.That(first.ContentType, Is.EqualTo("text/plain;charset=UTF-8"));
        Assert.That(first.FromUri, Is.EqualTo("sip:alice@example.test"));
        Assert.That(bobIn.Select(m => m.Text), Is.EquivalentTo(new[] { "Grüße, Bob", "a0", "a1", "a2", "a3", "a4" }));
        Assert.That(aliceIn.Select(m => m.Text), Is.EquivalentTo(new[] { "hello alice", "b0", "b1", "b2", "b3", "b4" }));
        Assert.That(alice.Core.PendingMessages + bob.Core.PendingMessages, Is.Zero);
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [Test]
    public void MessageRequestHasNoContactAndA2xxHasNoBody()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(904);
        alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain", "x"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        string request = Encoding.UTF8.GetString(net.Sent.First().Data);
        string response = Encoding.UTF8.GetString(net.Sent.First(p => Encoding.UTF8.GetString(p.Data).StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Data);
        Assert.That(request, Does.StartWith($"MESSAGE sip:bob@{bob.HostPort} SIP/2.0\r\n"));
        Assert.That(request, Does.Contain("\r\nCSeq: 1 MESSAGE\r\n"));
        Assert.That(request, Does.Not.Contain("\r\nContact:"));
        Assert.That(response, Does.Contain("\r\nContent-Length: 0\r\n"));
        Assert.That(response, Does.Match("\r\nTo: <sip:bob@[^>]+>;tag=[0-9a-f]{16}\r\n"));
    }

    [Test]
    public void UnsupportedContentTypeGets415WithAccept()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(905, 0.2);
        List<MessageEvent> aliceOut = Outcomes(alice);
        List<IncomingMessage> bobIn = Inbox(bob);
        bob.Core.Messaging = new MessagingOptions { AcceptedContentTypes = ["text/plain", "message/cpim"] };
        int id = alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "application/vnd.example", [1, 2, 3]);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(aliceOut, Is.EqualTo(new[] { new MessageEvent(MessageEventKind.Failed, id, 415, "Unsupported Media Type") }));
        Assert.That(bobIn, Is.Empty);
        string response = Encoding.UTF8.GetString(net.Sent.First(p => Encoding.UTF8.GetString(p.Data).StartsWith("SIP/2.0 415", StringComparison.Ordinal)).Data);
        Assert.That(response, Does.Contain("\r\nAccept: text/plain, message/cpim\r\n"));
        // Case-insensitive type match, parameters ignored (RFC 2045 §5.1).
        alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "Message/CPIM; charset=utf-8", "From: x"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(aliceOut.Last().StatusCode, Is.EqualTo(200));
        Assert.That(bobIn, Has.Count.EqualTo(1));
    }

    [Test]
    public void OversizedBodyGets413AndOversizedDatagramFailsLocally()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(906);
        List<MessageEvent> aliceOut = Outcomes(alice);
        List<IncomingMessage> bobIn = Inbox(bob);
        bob.Core.Messaging = new MessagingOptions { MaxReceivedBodyBytes = 100 };
        int big = alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain", new byte[101]);
        int fits = alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain", new byte[100]);
        int sent = net.Sent.Count;
        int huge = alice.Core.SendMessage($"sip:bob@{bob.HostPort}", bob.Address, "text/plain", new byte[1300]);
        Assert.That(net.Sent, Has.Count.EqualTo(sent), "RFC 3428 §7: nothing above 1300 bytes goes out over UDP");
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(aliceOut.Single(e => e.MessageId == big), Is.EqualTo(new MessageEvent(MessageEventKind.Failed, big, 413, "Request Entity Too Large")));
        Assert.That(aliceOut.Single(e => e.MessageId == fits).StatusCode, Is.EqualTo(200));
        MessageEvent h = aliceOut.Single(e => e.MessageId == huge);
        Assert.That((h.Kind, h.StatusCode), Is.EqualTo((MessageEventKind.Failed, 513)));
        Assert.That(h.Reason, Does.Contain("limit 1300"));
        Assert.That(bobIn, Has.Count.EqualTo(1));
    }

    [TestCase(false, 0.0, 907)]
    [TestCase(true, 0.0, 908)]
    [TestCase(false, 0.25, 909)]
    [TestCase(true, 0.25, 910)]
    public void DigestChallengeIsAnswered(bool proxy, double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var server = new ChallengingServerNode(net, "10.0.0.9:5060", proxy);
        List<MessageEvent> outcomes = Outcomes(alice);
        SipCredentials[] credentials = [new("alice", "wonderland")];
        int first = alice.Core.SendMessage("sip:bob@example.test", server.Address, "text/plain", "one"u8, credentials);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(outcomes, Is.EqualTo(new[] { new MessageEvent(MessageEventKind.Delivered, first, 200, "OK") }));
        string accepted = server.Accepted.Single();
        Assert.That(accepted, Does.Contain("\r\nCSeq: 2 MESSAGE\r\n"), "§8.1.3.5: the re-sent request has the next CSeq");
        Assert.That(accepted, Does.Contain(proxy ? "\r\nProxy-Authorization: Digest " : "\r\nAuthorization: Digest "));
        Assert.That(accepted, Does.Contain("algorithm=SHA-256"));
    }

    [Test]
    public void WrongPasswordFailsOnceWithoutLooping()
    {
        var net = new SimNetwork(911) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var server = new ChallengingServerNode(net, "10.0.0.9:5060");
        List<MessageEvent> outcomes = Outcomes(alice);
        int id = alice.Core.SendMessage("sip:bob@example.test", server.Address, "text/plain", "one"u8, [new SipCredentials("alice", "wrong")]);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(outcomes.Single().MessageId, Is.EqualTo(id));
        Assert.That(outcomes.Single().StatusCode, Is.EqualTo(401));
        Assert.That(outcomes.Single().Reason, Does.Contain("refused"));
        Assert.That(server.Challenges, Is.EqualTo(2));
        Assert.That(server.Accepted, Is.Empty);
        // Without credentials for the realm it fails at the first challenge.
        alice.Core.SendMessage("sip:bob@example.test", server.Address, "text/plain", "two"u8);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(outcomes.Last().Reason, Does.Contain("no credentials for realm \"example.test\""));
    }

    [Test]
    public void UnreachablePeerTimesOutWith408()
    {
        (SimNetwork net, UaNode alice, _) = Pair(912);
        List<MessageEvent> outcomes = Outcomes(alice);
        PeerAddress nowhere = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.77:5060");
        int id = alice.Core.SendMessage("sip:carol@example.test", nowhere, "text/plain", "hi"u8);
        net.RunFor(TimeSpan.FromSeconds(31));
        Assert.That(outcomes, Is.Empty, "Timer F is 64*T1 = 32 s");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(outcomes, Is.EqualTo(new[] { new MessageEvent(MessageEventKind.Failed, id, 408, "Request Timeout (no response to MESSAGE)") }));
    }

    [Test]
    public void BadArgumentsThrowBeforeAnythingIsSent()
    {
        (SimNetwork net, UaNode alice, UaNode bob) = Pair(913);
        Assert.Throws<ArgumentException>(() => alice.Core.SendMessage("not a uri", bob.Address, "text/plain", "x"u8));
        Assert.Throws<ArgumentException>(() => alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text", "x"u8));
        Assert.Throws<ArgumentException>(() => alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain\r\nX: y", "x"u8));
        Assert.Throws<ArgumentException>(() => alice.Core.Messaging = new MessagingOptions { AcceptedContentTypes = ["text/plain;charset=x"] });
        Assert.That(net.Sent, Is.Empty);
    }
}
