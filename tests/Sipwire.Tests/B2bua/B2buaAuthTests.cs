// Caller authentication at the B2BUA (RFC 3261 §22.2, §22.3): INVITEs from its domain's users need digest credentials of the From user.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.B2bua;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaAuthTests
{
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, B2buaNode B2bua) Setup(int seed, double loss, Func<UserAgentOptions, UserAgentOptions>? alice)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var a = new UaNode(net, "10.0.0.1:5060", "alice", alice);
        var b = new UaNode(net, "10.0.0.2:5060", "bob");
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{b.HostPort}", b.Address) }, authenticate: true);
        b.IncomingHook = c => c.Answer();
        return (net, a, b, b2bua);
    }

    private static SimPacket[] From(SimNetwork net, B2buaNode b2bua, UaNode to, string start) =>
        net.Sent.Where(p => p.From.Equals(b2bua.Address) && p.To.Equals(to.Address) && p.StartLine.StartsWith(start, StringComparison.Ordinal)).ToArray();

    [TestCase(0.0, 7601)]
    [TestCase(0.2, 7602)]
    public void OwnUserIsChallengedAndGetsThroughWithItsCredentials(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(seed, loss, o => o with { Credentials = [new SipCredentials("alice", "wonderland")] });
        (SipCall call, List<CallEvent> events) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active), string.Join("\n", events));

        string challenge = From(net, b2bua, alice, "SIP/2.0 401").First().Text;
        Assert.That(CallTestKit.Header(challenge, "WWW-Authenticate"), Does.StartWith("Digest ").And.Contain("realm=\"example.test\""));
        string[] invites = net.Sent.Where(p => p.From.Equals(alice.Address) && p.StartLine.StartsWith("INVITE", StringComparison.Ordinal)).Select(p => p.Text).ToArray();
        Assert.That(invites.Any(i => CallTestKit.Header(i, "Authorization") is not null), Is.True);
        // The caller's credentials are ours alone: nothing of them reaches the callee leg (RFC 3261 §22.3, topology hiding).
        foreach (SimPacket p in net.Sent.Where(p => p.To.Equals(bob.Address)))
        {
            Assert.That(p.Text, Does.Not.Contain("Authorization").And.Not.Contain("nonce=").And.Not.Contain(call.CallId));
        }
        Assert.That(b2bua.B2bua.AuthChallenged, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void WithoutCredentialsTheCallEndsWith401AndNothingReachesTheCallee()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7611, 0, null);
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.EndStatus, Is.EqualTo(401));
        Assert.That(bob.Incoming, Is.Empty);
        Assert.That(b2bua.Events.Single().Kind, Is.EqualTo(B2buaEventKind.Rejected));
    }

    [Test]
    public void WrongPasswordIsRefusedWithoutALoop()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7612, 0, o => o with { Credentials = [new SipCredentials("alice", "guess")] });
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.EndStatus, Is.EqualTo(401));
        Assert.That(bob.Incoming, Is.Empty);
        Assert.That(From(net, b2bua, alice, "SIP/2.0 401").Select(p => CallTestKit.Header(p.Text, "CSeq")).Distinct().Count(), Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void ValidCredentialsOfAnotherUserGet403()
    {
        // alice's From with bob's (valid) credentials: authenticated, but not as the caller it claims to be.
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7613, 0, o => o with { Credentials = [new SipCredentials("bob", "builder")] });
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.EndStatus, Is.EqualTo(403));
        Assert.That(bob.Incoming, Is.Empty);
        Assert.That(b2bua.B2bua.AuthForbidden, Is.EqualTo(1));
        Assert.That(b2bua.Events.Last().Reason, Does.Contain("bob may not call as sip:alice@example.test"));
    }

    [Test]
    public void CallerFromAForeignDomainIsNotChallenged()
    {
        (SimNetwork net, UaNode alice, UaNode bob, B2buaNode b2bua) = Setup(7614, 0, o => o with { LocalUri = "sip:carol@elsewhere.test" });
        (SipCall call, _) = B2buaCallTests.Dial(alice, b2bua);
        net.RunFor(TimeSpan.FromSeconds(20));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
        Assert.That(From(net, b2bua, alice, "SIP/2.0 401"), Is.Empty);
    }

    [Test]
    public void ReplayedAuthorizationOnANewInviteIsChallengedAgain()
    {
        var net = new SimNetwork(7615) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        var b2bua = new B2buaNode(net, "10.0.0.9:5060", o => o with { Route = _ => B2buaRoute.Forward($"sip:bob@{bob.HostPort}", bob.Address) }, authenticate: true);
        var raw = new B2buaRawPeer(net);
        raw.Send(b2bua.Address, Invite(raw, "replay-1@10.0.0.3", ""));
        Assert.That(raw.RunUntil(() => raw.ReceivedStarting("SIP/2.0 401").Length > 0, TimeSpan.FromSeconds(2)), Is.True);
        Assert.That(DigestChallenge.TryParse(CallTestKit.Header(raw.ReceivedStarting("SIP/2.0 401")[0], "WWW-Authenticate")!, out DigestChallenge? challenge, out _), Is.True);
        // The raw peer's From is sip:raw@example.test: give the registrar's store a password for it.
        b2bua.Passwords["raw"] = "secret";
        string authorization = new DigestClient().Authorize(challenge!, "raw", "secret", "INVITE", $"sip:bob@{RegistrarNode.Domain}", default);
        raw.Send(b2bua.Address, Invite(raw, "replay-2@10.0.0.3", "Authorization: " + authorization + "\r\n"));
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(bob.Incoming, Has.Count.EqualTo(1), "the authenticated INVITE went through");
        // RFC 7616 §3.4: the same credentials (nonce count) on another request are a replay.
        raw.Send(b2bua.Address, Invite(raw, "replay-3@10.0.0.3", "Authorization: " + authorization + "\r\n"));
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(bob.Incoming, Has.Count.EqualTo(1));
        string refused = raw.ReceivedStarting("SIP/2.0 401").Last();
        Assert.That(CallTestKit.Header(refused, "Call-ID"), Is.EqualTo("replay-3@10.0.0.3"));
        Assert.That(refused, Does.StartWith("SIP/2.0 401 Unauthorized (nonce count replayed)"));
    }

    private static string Invite(B2buaRawPeer raw, string callId, string extra) =>
        $"INVITE sip:bob@{RegistrarNode.Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {raw.HostPort};branch=z9hG4bK{callId.GetHashCode():x}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:raw@{RegistrarNode.Domain}>;tag=r{callId.GetHashCode():x}\r\nTo: <sip:bob@{RegistrarNode.Domain}>\r\nCall-ID: {callId}\r\nCSeq: 1 INVITE\r\n" +
        $"Contact: <sip:raw@{raw.HostPort}>\r\n{extra}Content-Type: application/sdp\r\nContent-Length: {B2buaRawPeer.Offer.Length}\r\n\r\n{B2buaRawPeer.Offer}";
}
