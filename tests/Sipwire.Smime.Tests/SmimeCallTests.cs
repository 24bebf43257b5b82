// Calls whose SDP offers and answers are signed and encrypted (RFC 3261 §23.4.3) between two UA cores on the simulated network.
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
public sealed class SmimeCallTests
{
    private static TestPki Pki => TestPki.Shared;

    private static UaNode Node(SimNetwork net, string address, string user, SmimeOptions smime) =>
        new(net, address, user, o => o with { BodyProtector = new SmimeBodyProtector(smime), ProtectBodies = BodyProtection.SignAndEncrypt });

    private static List<CallEvent> Events(SipCall call)
    {
        var list = new List<CallEvent>();
        call.Changed += list.Add;
        return list;
    }

    [TestCase(0.0, 3261)]
    [TestCase(0.2, 3262)]
    public void ProtectedOfferAndAnswerEstablishHoldAndEndACall(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice, Pki.Bob));
        // Bob is not configured with Alice's certificate: he learns it from her verified offer (§23.2) and
        // encrypts his answer to it.
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca] });
        var aliceVerdicts = new List<BodyProtectionEvent>();
        var bobVerdicts = new List<BodyProtectionEvent>();
        alice.Core.BodyUnprotected += aliceVerdicts.Add;
        bob.Core.BodyUnprotected += bobVerdicts.Add;
        bob.IncomingHook = c => c.Answer();

        SipCall call = alice.Core.Invite("sip:bob@example.test", bob.Address);
        List<CallEvent> events = Events(call);
        net.RunFor(TimeSpan.FromSeconds(20));

        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events) + alice.Core.LastBodyProtectionError);
        SipCall incoming = bob.Incoming.Single();
        Assert.That(incoming.State, Is.EqualTo(CallState.Active));
        Assert.That(call.Audio!.Remote.Port, Is.EqualTo(incoming.Negotiator.LocalRtpPort));
        Assert.That(incoming.Audio!.Remote.Port, Is.EqualTo(call.Negotiator.LocalRtpPort));
        BodyProtectionEvent offer = bobVerdicts.First(v => v.Method == "INVITE");
        BodyProtectionEvent answer = aliceVerdicts.First(v => v.Method == "INVITE" && v.StatusCode == 200);
        Assert.Multiple(() =>
        {
            Assert.That((offer.Result.Signature, offer.Result.WasEncrypted, offer.Result.ContentType), Is.EqualTo((SignatureVerdict.Valid, true, "application/sdp")));
            Assert.That((answer.Result.Signature, answer.Result.WasEncrypted), Is.EqualTo((SignatureVerdict.Valid, true)));
            Assert.That(answer.FarEnd, Is.EqualTo("sip:bob@example.test"));
        });

        // A re-INVITE for hold carries a protected offer and answer too.
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(events.Select(e => e.Kind), Does.Contain(CallEventKind.MediaUpdated));
        Assert.That((incoming.Audio!.Send, incoming.Audio.Receive), Is.EqualTo((false, true)));

        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(events.Last().Kind, Is.EqualTo(CallEventKind.Ended));
        // No SDP crossed the network in the clear.
        Assert.That(net.Sent.Any(p => p.Text.Contains("m=audio", StringComparison.Ordinal) || p.Text.Contains("application/sdp", StringComparison.Ordinal)), Is.False);
        Assert.That(net.Sent.First(p => p.StartLine.StartsWith("INVITE ", StringComparison.Ordinal)).Text,
            Does.Contain("\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"));
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [Test]
    public void OfferEncryptedToSomeoneElseGets493()
    {
        var net = new SimNetwork(3263);
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice, Pki.Bob));
        UaNode carol = Node(net, "10.0.0.3:5060", "carol", Pki.Options(Pki.Carol, Pki.Alice));
        carol.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite("sip:bob@example.test", carol.Address);
        List<CallEvent> events = Events(call);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(events.Last().Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(events.Last().StatusCode, Is.EqualTo(493));
        Assert.That(carol.Incoming, Is.Empty);
    }

    [Test]
    public void CallToPeerWithoutCertificateEndsBeforeAnythingIsSent()
    {
        var net = new SimNetwork(3264);
        UaNode alice = Node(net, "10.0.0.1:5060", "alice", Pki.Options(Pki.Alice));
        UaNode bob = Node(net, "10.0.0.2:5060", "bob", Pki.Options(Pki.Bob));
        SipCall call = alice.Core.Invite("sip:bob@example.test", bob.Address);
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        Assert.That(alice.Core.LastBodyProtectionError, Does.Contain("no certificate for 'sip:bob@example.test'"));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(net.Sent, Is.Empty);
    }
}
