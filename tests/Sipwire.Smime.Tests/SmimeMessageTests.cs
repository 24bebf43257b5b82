// MESSAGE with signed and encrypted bodies between two UA cores over the simulated network (RFC 3261 §23, RFC 8591).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Smime.Tests;

[TestFixture]
public sealed class SmimeMessageTests
{
    private const string Secret = "The door code is 4711";

    private static TestPki Pki => TestPki.Shared;

    private static UaNode Node(SimNetwork net, string address, string user, SmimeOptions? smime, BodyProtection protect = BodyProtection.SignAndEncrypt)
    {
        var node = new UaNode(net, address, user, o => o with
        {
            BodyProtector = smime is null ? null : new SmimeBodyProtector(smime),
            ProtectBodies = smime is null ? BodyProtection.None : protect,
        });
        // RFC 3428 §7 keeps a MESSAGE over UDP under 1300 bytes; an S/MIME one is larger, so a device would use
        // TCP or TLS. The simulated network carries UDP datagrams of any size, so the limit is raised here.
        node.Core.Messaging = new MessagingOptions { MaxDatagramBytes = 16_000 };
        return node;
    }

    private static (List<MessageEvent> Out, List<IncomingMessage> In, List<BodyProtectionEvent> Verdicts) Watch(UaNode ua)
    {
        var o = new List<MessageEvent>();
        var i = new List<IncomingMessage>();
        var v = new List<BodyProtectionEvent>();
        ua.Core.MessageCompleted += o.Add;
        ua.Core.MessageReceived += i.Add;
        ua.Core.BodyUnprotected += v.Add;
        return (o, i, v);
    }

    [TestCase(0.0, 8591)]
    [TestCase(0.25, 8592)]
    public void SignedAndEncryptedMessageArrivesVerifiedAndNeverInTheClear(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice, Pki.Bob));
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", Pki.Options(Pki.Bob, Pki.Alice));
        var a = Watch(alice);
        var b = Watch(bob);

        // Under loss, several messages so that retransmissions of protected requests and responses happen.
        int count = loss > 0 ? 8 : 1;
        var ids = new List<int>();
        for (int i = 0; i < count; i++) ids.Add(alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain;charset=UTF-8", System.Text.Encoding.UTF8.GetBytes(Secret + " #" + i)));
        net.RunFor(TimeSpan.FromSeconds(40));

        Assert.That(a.Out, Is.EquivalentTo(ids.Select(id => new MessageEvent(MessageEventKind.Delivered, id, 200, "OK"))));
        Assert.That(b.In.Select(m => m.Text), Is.EquivalentTo(Enumerable.Range(0, count).Select(i => Secret + " #" + i)));
        IncomingMessage got = b.In.Single(m => m.Text == Secret + " #0");
        Assert.Multiple(() =>
        {
            Assert.That(got.ContentType, Is.EqualTo("text/plain;charset=UTF-8"));
            Assert.That(got.FromUri, Is.EqualTo("sip:alice@example.test"));
            Assert.That(b.Verdicts, Has.Count.EqualTo(count)); // retransmitted requests are absorbed by the server transactions
            BodyProtectionEvent v = b.Verdicts.First(e => e.CallId == got.CallId);
            Assert.That(v.Method, Is.EqualTo("MESSAGE"));
            Assert.That(v.CallId, Is.EqualTo(got.CallId));
            Assert.That(v.Result.Signature, Is.EqualTo(SignatureVerdict.Valid));
            Assert.That(v.Result.WasEncrypted, Is.True);
            Assert.That(v.Result.Signer, Is.EqualTo("sip:alice@example.test"));
        });
        SimPacket request = net.Sent.First(p => p.StartLine.StartsWith("MESSAGE ", StringComparison.Ordinal));
        Assert.That(request.Text, Does.Contain("\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"));
        Assert.That(request.Text, Does.Contain("\r\nContent-Disposition: attachment; filename=smime.p7m; handling=required\r\n"));
        Assert.That(net.Sent.Any(p => p.Text.Contains("4711", StringComparison.Ordinal)), Is.False, "the text crossed the network in the clear");
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [Test]
    public void SignedOnlyMessageIsReadableAndVerified()
    {
        var net = new SimNetwork(1);
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice), BodyProtection.Sign);
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", Pki.Options(Pki.Bob));
        var b = Watch(bob);
        alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain", "hello"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(b.In.Single().Text, Is.EqualTo("hello"));
        Assert.That(b.Verdicts.Single().Result.Signature, Is.EqualTo(SignatureVerdict.Valid));
        Assert.That(b.Verdicts.Single().Result.WasEncrypted, Is.False);
        Assert.That(net.Sent.First().Text, Does.Contain("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256"));
    }

    [Test]
    public void MessageForSomeoneElseGets493()
    {
        var net = new SimNetwork(2);
        // Alice encrypts to Bob's certificate, but the request reaches Carol.
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice, Pki.Bob));
        UaNode carol = Node(net, "10.0.0.3:5060", "carol", Pki.Options(Pki.Carol, Pki.Alice));
        var a = Watch(alice);
        var c = Watch(carol);
        int id = alice.Core.SendMessage("sip:bob@example.test", carol.Address, "text/plain", "for bob only"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(a.Out.Single().MessageId, Is.EqualTo(id));
        Assert.That(a.Out.Single().Kind, Is.EqualTo(MessageEventKind.Failed));
        Assert.That(a.Out.Single().StatusCode, Is.EqualTo(493));
        Assert.That(c.In, Is.Empty);
        Assert.That(c.Verdicts.Single().Result.Status, Is.EqualTo(BodyUnprotectStatus.Undecipherable));
        SimPacket response = net.Sent.First(p => p.StartLine.StartsWith("SIP/2.0 493", StringComparison.Ordinal));
        Assert.That(response.Text, Does.Contain("\r\nWarning: 399 "));
        // RFC 3261 §23.2: the 493 carries the respondent's certificate (certs-only); it names Carol, not the
        // requested AoR sip:bob@example.test, so Alice does not take it as Bob's.
        Assert.That(response.Text, Does.Contain("\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only; name=smime.p7c\r\n"));
        BodyProtectionEvent learned = a.Verdicts.Single(v => v.StatusCode == 493);
        Assert.That(learned.Result.Reason, Does.StartWith("certs-only: 0 of 1"));
    }

    [Test]
    public void UntrustedSignerIsDeliveredWithItsVerdict()
    {
        var net = new SimNetwork(3);
        // Mallory holds a certificate for sip:alice@example.test from a root Bob does not trust.
        UaNode mallory = Node(net, "10.0.0.9:5060", "alice", new SmimeOptions { Certificate = Pki.Mallory }, BodyProtection.Sign);
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", Pki.Options(Pki.Bob));
        var b = Watch(bob);
        mallory.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain", "trust me"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        // RFC 3261 §23.2: the user is told; the application decides what to show.
        Assert.That(b.In.Single().Text, Is.EqualTo("trust me"));
        Assert.That(b.Verdicts.Single().Result.Signature, Is.EqualTo(SignatureVerdict.Untrusted));
    }

    [Test]
    public void MessageToPeerWithoutCertificateFailsLocallyAndSendsNothing()
    {
        var net = new SimNetwork(4);
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice));
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", Pki.Options(Pki.Bob));
        var a = Watch(alice);
        int id = alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain", "secret"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        MessageEvent e = a.Out.Single();
        Assert.That((e.MessageId, e.Kind, e.StatusCode), Is.EqualTo((id, MessageEventKind.Failed, 0)));
        Assert.That(e.Reason, Does.Contain("no certificate for 'sip:bob@example.test'"));
        Assert.That(net.Sent, Is.Empty);
        Assert.That(alice.Core.PendingMessages, Is.Zero);
    }

    [Test]
    public void ProtectedBodyToUaWithoutSmimeGets415()
    {
        var net = new SimNetwork(5);
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice, Pki.Bob));
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", null);
        var a = Watch(alice);
        alice.Core.SendMessage("sip:bob@example.test", bob.Address, "text/plain", "x"u8);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(a.Out.Single().StatusCode, Is.EqualTo(415));
    }
}
