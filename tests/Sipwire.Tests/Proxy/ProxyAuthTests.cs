// The proxy authenticates its own users' requests (RFC 3261 §16.3 step 6, §22.3): 407, 403, stale, replay, in-dialog and inbound exemptions.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ProxyAuthTests
{
    private const string ProxyAt = "10.0.0.9:5060";
    private const string Bob = "sip:bob@" + ProxyNode.Domain;

    private static SimNetwork Net(int seed, double loss = 0) =>
        new(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };

    private static string Dump(SimNetwork net) => string.Join("\n", net.Sent.Select(p => $"{p.SentAt / 1000} {p.From} -> {p.To}: {p.StartLine}"));

    private static UaNode Ua(SimNetwork net, string address, string user, string password) =>
        new(net, address, user, o => o with { Credentials = [new SipCredentials(user, password)] });

    private static string[] From(SimNetwork net, PeerAddress from, PeerAddress to, string start) =>
        net.Sent.Where(p => p.From == from && p.To == to && p.StartLine.StartsWith(start, StringComparison.Ordinal)).Select(p => p.Text).Distinct().ToArray();

    /// <summary>Proxy-Authorization answering the 407 in <paramref name="response"/> (a fresh client: nc=00000001).</summary>
    private static string Answer(string response, string user, string password, string method, string uri = Bob, int nonceCount = 1)
    {
        string? value = CallTestKit.Header(response, "Proxy-Authenticate");
        Assert.That(value, Is.Not.Null, response);
        Assert.That(DigestChallenge.TryParse(value!, out DigestChallenge? challenge, out string error), Is.True, error);
        var client = new DigestClient();
        string credentials = "";
        for (int i = 0; i < nonceCount; i++) credentials = client.Authorize(challenge!, user, password, method, uri, []);
        return credentials;
    }

    private static string Status(string response) => response[..response.IndexOf('\r', StringComparison.Ordinal)];

    [TestCase(false, 0.0, 1601)]
    [TestCase(false, 0.2, 1602)]
    [TestCase(true, 0.0, 1603)]
    [TestCase(true, 0.2, 1604)]
    public void CallFromOurUserIsChallengedThenConnectedAndItsByeIsNot(bool stateless, double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        UaNode alice = Ua(net, "10.0.0.1:5060", "alice", "wonderland");
        UaNode bob = Ua(net, "10.0.0.2:5060", "bob", "builder");
        alice.Register(proxy.Address, "alice", "wonderland", seed: seed);
        bob.Register(proxy.Address, "bob", "builder", seed: seed + 1);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(proxy.Contacts("bob"), Has.Length.EqualTo(1), Dump(net));
        // REGISTER stays with the registrar: 401 WWW-Authenticate, never 407 (§10.3 step 3).
        Assert.That(From(net, proxy.Address, bob.Address, "SIP/2.0 401"), Is.Not.Empty);
        Assert.That(From(net, proxy.Address, bob.Address, "SIP/2.0 407"), Is.Empty);

        bob.IncomingHook = c => c.Answer();
        SipCall call = alice.Core.Invite(Bob, proxy.Address);
        alice.CallEvents.Clear();
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Active));

        string challenge = From(net, proxy.Address, alice.Address, "SIP/2.0 407").First();
        Assert.That(CallTestKit.Header(challenge, "CSeq"), Is.EqualTo("1 INVITE"));
        Assert.That(CallTestKit.Header(challenge, "Proxy-Authenticate"), Does.StartWith("Digest ").And.Contain($"realm=\"{ProxyNode.Domain}\""));
        string[] invites = From(net, alice.Address, proxy.Address, "INVITE");
        Assert.That(invites.Select(i => CallTestKit.Header(i, "CSeq")).Distinct(), Is.EqualTo(new[] { "1 INVITE", "2 INVITE" }));
        Assert.That(CallTestKit.Header(invites.First(i => CallTestKit.Header(i, "CSeq") == "2 INVITE"), "Proxy-Authorization"), Does.Contain("username=\"alice\""));
        // §22.3: the proxy consumed its own realm's credentials; bob never sees them.
        string[] atBob = From(net, proxy.Address, bob.Address, "INVITE");
        Assert.That(atBob, Is.Not.Empty);
        Assert.That(atBob.All(i => CallTestKit.Header(i, "Proxy-Authorization") is null), Is.True, atBob[0]);
        Assert.That(atBob.All(i => CallTestKit.Header(i, "CSeq") == "2 INVITE"), Is.True, "the unauthenticated INVITE is never forwarded");
        // The ACK of the 407 stays at the proxy: absorbed by its server transaction, or (stateless) recognised.
        Assert.That(From(net, proxy.Address, bob.Address, "ACK").Where(a => CallTestKit.Header(a, "CSeq") == "1 ACK"), Is.Empty, Dump(net));
        Assert.That(proxy.Log.Any(l => l.Reason == "proxy-auth: authenticated alice (ok)"), Is.True, string.Join("\n", proxy.Log));
        Assert.That(proxy.Proxy.AuthForbidden, Is.Zero);

        // In-dialog requests follow our Record-Route and are not challenged: BYE from both ends of two calls.
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(bob.Incoming[0].State, Is.EqualTo(CallState.Terminated));
        Assert.That(From(net, bob.Address, proxy.Address, "SIP/2.0 200").Any(r => CallTestKit.Header(r, "CSeq")!.EndsWith("BYE", StringComparison.Ordinal)), Is.True);

        SipCall second = alice.Core.Invite(Bob, proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(second.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(bob.Incoming[1].Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(second.State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(net.Sent.Where(p => p.From == proxy.Address && p.StartLine.StartsWith("SIP/2.0 407", StringComparison.Ordinal))
            .Select(p => CallTestKit.Header(p.Text, "CSeq")!).Where(c => !c.EndsWith("INVITE", StringComparison.Ordinal)), Is.Empty, "no BYE challenged");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void WrongPasswordIsChallengedAgainAndTheCallEndsWith407(bool stateless)
    {
        SimNetwork net = Net(1611);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        UaNode alice = Ua(net, "10.0.0.1:5060", "alice", "not-the-password");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        SipCall call = alice.Core.Invite(Bob, proxy.Address);
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(alice.Last(call).StatusCode, Is.EqualTo(407), CallTestKit.Log(alice));
        Assert.That(bob.Incoming, Is.Empty);
        Assert.That(net.Sent.Any(p => p.To == bob.Address), Is.False, "nothing reaches bob");
        string[] challenges = From(net, proxy.Address, alice.Address, "SIP/2.0 407");
        Assert.That(challenges, Has.Length.EqualTo(2), "one for no credentials, one for the wrong ones; the UA gives up");
        Assert.That(Status(challenges[1]), Is.EqualTo("SIP/2.0 407 Proxy Authentication Required - Credentials Refused"));
        Assert.That(CallTestKit.Header(challenges[1], "Proxy-Authenticate"), Does.Not.Contain("stale=true"));
        Assert.That(proxy.Log.Any(l => l.Reason == "proxy-auth: wrong password (user alice)"), Is.True, string.Join("\n", proxy.Log));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ReplayedProxyAuthorizationIsChallenged(bool stateless)
    {
        SimNetwork net = Net(1621);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        proxy.Passwords["raw"] = "rawpass";
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");

        raw.Send(proxy.Address, "MESSAGE", Bob);
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(Status(raw.Responses.Single()), Is.EqualTo("SIP/2.0 407 Proxy Authentication Required"));
        string credentials = Answer(raw.Responses[0], "raw", "rawpass", "MESSAGE");
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {credentials}\r\n", body: "one");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1), Dump(net));
        Assert.That(Status(raw.Responses[1]), Does.Not.StartWith("SIP/2.0 407"), "bob's answer");

        // The same credentials (nonce and nc=00000001) on a new request: RFC 7616 §3.4 replay.
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {credentials}\r\n", body: "two");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(Status(raw.Responses[2]), Is.EqualTo("SIP/2.0 407 Proxy Authentication Required - Nonce Count Replayed"));
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1), "the replay is not forwarded");
        Assert.That(proxy.Log.Any(l => l.Reason == "proxy-auth: nonce count replayed (user raw)"), Is.True, string.Join("\n", proxy.Log));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CredentialsOfAnotherUserGet403(bool stateless)
    {
        SimNetwork net = Net(1631);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "INVITE", Bob, body: "v=0\r\n");
        net.RunFor(TimeSpan.FromSeconds(2));
        // From is sip:raw@example.test, the credentials are alice's (right password): alice may not call as raw.
        string credentials = Answer(raw.Responses.Single(), "alice", "wonderland", "INVITE");
        raw.Send(proxy.Address, "INVITE", Bob, $"Proxy-Authorization: {credentials}\r\n", body: "v=0\r\n");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(Status(raw.Responses.Last()), Is.EqualTo($"SIP/2.0 403 Forbidden - alice May Not Send As sip:raw@{ProxyNode.Domain}"), Dump(net));
        Assert.That(net.Sent.Any(p => p.To == bob.Address), Is.False);
        Assert.That(proxy.Proxy.AuthForbidden, Is.EqualTo(1));

        // An escaped CR LF in the From user must not become header lines of our 403 (§25.1: no CR LF in a reason phrase).
        var spoofer = new BlackHole(net, "10.0.0.6:5060");
        string forged = $"MESSAGE {Bob} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.6:5060;branch=z9hG4bKcrlf\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:x%0D%0AX-Injected:%201@{ProxyNode.Domain}>;tag=c1\r\nTo: <{Bob}>\r\nCall-ID: crlf@test\r\nCSeq: 1 MESSAGE\r\n" +
            $"Proxy-Authorization: {Answer(raw.Responses[0], "alice", "wonderland", "MESSAGE", nonceCount: 2)}\r\nContent-Length: 0\r\n\r\n";
        net.Send(spoofer.Address, proxy.Address, Encoding.UTF8.GetBytes(forged));
        net.RunFor(TimeSpan.FromSeconds(1));
        string refused = net.Sent.Last(p => p.From == proxy.Address && p.To == spoofer.Address).Text;
        Assert.That(Status(refused), Is.EqualTo($"SIP/2.0 403 Forbidden - alice May Not Send As sip:x??X-Injected@{ProxyNode.Domain}"), refused);
        Assert.That(refused, Does.Not.Contain("\r\nX-Injected"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ExpiredNonceGetsStaleTrueAndTheFreshNonceIsAccepted(bool stateless)
    {
        SimNetwork net = Net(1641);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        proxy.Passwords["raw"] = "rawpass";
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "MESSAGE", Bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        string old = Answer(raw.Responses.Single(), "raw", "rawpass", "MESSAGE");
        // ProxyNode's nonces live 30 s.
        net.RunFor(TimeSpan.FromSeconds(31));
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {old}\r\n", body: "late");
        net.RunFor(TimeSpan.FromSeconds(1));
        string stale = raw.Responses[1];
        Assert.That(Status(stale), Is.EqualTo("SIP/2.0 407 Proxy Authentication Required - Stale Nonce"));
        Assert.That(CallTestKit.Header(stale, "Proxy-Authenticate"), Does.Contain("stale=true"));
        Assert.That(net.Sent.Any(p => p.To == bob.Address), Is.False);
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {Answer(stale, "raw", "rawpass", "MESSAGE")}\r\n", body: "fresh");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1), Dump(net));
    }

    [TestCase(false, 0.0, 1651)]
    [TestCase(true, 0.2, 1652)]
    public void InboundCallFromAForeignDomainIsNotChallenged(bool stateless, double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        var carol = new UaNode(net, "10.0.0.7:5060", "carol", o => o with { LocalUri = "sip:carol@elsewhere.test" });
        var bob = new UaNode(net, "10.0.0.2:5060", "bob") { IncomingHook = c => c.Answer() };
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        SipCall call = carol.Core.Invite(Bob, proxy.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(net.Sent.Any(p => p.StartLine.StartsWith("SIP/2.0 407", StringComparison.Ordinal)), Is.False);
        Assert.That(proxy.Proxy.AuthChallenged, Is.Zero);

        // But carol may not use us to reach a foreign destination: we are no open relay.
        var dave = new UaNode(net, "10.0.0.30:5060", "dave") { IncomingHook = c => c.Answer() };
        SipCall relayed = carol.Core.Invite("sip:dave@10.0.0.30:5060", proxy.Address);
        relayed.Changed += e => carol.CallEvents.Add((net.Clock.NowMicros, relayed, e));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(relayed.State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(carol.Last(relayed).StatusCode, Is.EqualTo(403));
        Assert.That(dave.Incoming, Is.Empty);
        Assert.That(net.Sent.Any(p => p.To == dave.Address), Is.False, "the ACK of a stateless 403 is absorbed too");
        Assert.That(proxy.Log.Any(l => l.Reason == "proxy-auth: not relaying for sip:carol@elsewhere.test to a foreign Request-URI"), Is.True, string.Join("\n", proxy.Log));
    }

    [TestCase(false, 0.0, 1661)]
    [TestCase(false, 0.2, 1662)]
    [TestCase(true, 0.2, 1663)]
    public void MessageFromOurUserIsChallengedAndDelivered(bool stateless, double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var outcomes = new List<MessageEvent>();
        var inbox = new List<IncomingMessage>();
        alice.Core.MessageCompleted += outcomes.Add;
        bob.Core.MessageReceived += inbox.Add;
        int id = alice.Core.SendMessage(Bob, proxy.Address, "text/plain", "hello bob"u8, [new SipCredentials("alice", "wonderland")]);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(outcomes, Is.EqualTo(new[] { new MessageEvent(MessageEventKind.Delivered, id, 200, "OK") }), Dump(net));
        Assert.That(inbox, Has.Count.EqualTo(1));
        Assert.That(From(net, proxy.Address, alice.Address, "SIP/2.0 407"), Is.Not.Empty);
        string[] atBob = From(net, proxy.Address, bob.Address, "MESSAGE");
        Assert.That(atBob.All(m => CallTestKit.Header(m, "Proxy-Authorization") is null && CallTestKit.Header(m, "CSeq") == "2 MESSAGE"), Is.True, atBob[0]);
    }

    [Test]
    public void OnlyOurRealmsCredentialsAreConsumed()
    {
        SimNetwork net = Net(1671);
        var proxy = new ProxyNode(net, ProxyAt, authenticate: true);
        proxy.Passwords["raw"] = "rawpass";
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "MESSAGE", Bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        const string carrier = "Digest username=\"raw\", realm=\"carrier.test\", nonce=\"abc\", uri=\"sip:bob@example.test\", response=\"00112233445566778899aabbccddeeff\"";
        raw.Send(proxy.Address, "MESSAGE", Bob,
            $"Proxy-Authorization: {carrier}\r\nProxy-Authorization: {Answer(raw.Responses.Single(), "raw", "rawpass", "MESSAGE")}\r\nSubject: kept\r\n", body: "x");
        net.RunFor(TimeSpan.FromSeconds(1));
        string forwarded = From(net, proxy.Address, bob.Address, "MESSAGE").Single();
        // §22.3: another proxy's realm is not ours to judge or to remove; the header order and the body survive.
        Assert.That(forwarded.Split("\r\n").Where(l => l.StartsWith("Proxy-Authorization:", StringComparison.Ordinal)), Is.EqualTo(new[] { "Proxy-Authorization: " + carrier }));
        Assert.That(forwarded, Does.Contain("\r\nSubject: kept\r\nContent-Type: application/sdp\r\n"));
        Assert.That(forwarded, Does.EndWith("\r\n\r\nx"));
        Assert.That(CallTestKit.Header(forwarded, "Content-Length"), Is.EqualTo("1"));
    }

    [Test]
    public void StatelessRetransmissionIsForwardedAgainButTheSameCredentialsOnAnotherRequestAreNot()
    {
        SimNetwork net = Net(1681);
        var proxy = new ProxyNode(net, ProxyAt, stateless: true, authenticate: true);
        proxy.Passwords["raw"] = "rawpass";
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "MESSAGE", Bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {Answer(raw.Responses.Single(), "raw", "rawpass", "MESSAGE")}\r\n", body: "x");
        net.RunFor(TimeSpan.FromSeconds(1));
        byte[] sent = net.Sent.Last(p => p.From == raw.Address && p.StartLine.StartsWith("MESSAGE", StringComparison.Ordinal)).Data;
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1));
        int before = net.Sent.Count;

        // §17.1.2.2: the UAC retransmits the same datagram (same branch, nonce count): forwarded again, as a stateless proxy must.
        net.Send(raw.Address, proxy.Address, sent);
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(net.Sent.Skip(before).Count(p => p.From == proxy.Address && p.To == bob.Address && p.StartLine.StartsWith("MESSAGE", StringComparison.Ordinal)), Is.EqualTo(1), Dump(net));
        Assert.That(net.Sent.Skip(before).Any(p => p.StartLine.StartsWith("SIP/2.0 407", StringComparison.Ordinal)), Is.False);

        // The same credentials in another request (another Call-ID) are a replay.
        string other = Encoding.UTF8.GetString(sent).Replace("Call-ID: raw", "Call-ID: forged", StringComparison.Ordinal);
        before = net.Sent.Count;
        net.Send(raw.Address, proxy.Address, Encoding.UTF8.GetBytes(other));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(net.Sent.Skip(before).Any(p => p.To == bob.Address), Is.False, Dump(net));
        Assert.That(net.Sent.Skip(before).Single(p => p.From == proxy.Address).StartLine, Is.EqualTo("SIP/2.0 407 Proxy Authentication Required - Nonce Count Replayed"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ASpiralBackThroughTheProxyIsNotChallengedAgain(bool stateless)
    {
        SimNetwork net = Net(1701);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        proxy.Passwords["raw"] = "rawpass";
        // bob's contact is the proxy itself with another user: the authenticated request comes back to us without our
        // (consumed) credentials. It must not be challenged again; the third pass is the loop (§16.3 step 4: 482).
        proxy.Bind("bob", $"sip:carol@{ProxyAt}");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "MESSAGE", Bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        raw.Send(proxy.Address, "MESSAGE", Bob, $"Proxy-Authorization: {Answer(raw.Responses.Single(), "raw", "rawpass", "MESSAGE")}\r\n", body: "x");
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(proxy.Log.Select(l => l.Reason), Does.Contain("proxy-auth: authenticated raw (ok)").And.Contain("proxy-auth: authenticated raw (spiral)"), string.Join("\n", proxy.Log));
        Assert.That(Status(raw.Responses.Last()), Is.EqualTo("SIP/2.0 482 Loop Detected"), Dump(net));
        Assert.That(proxy.Proxy.AuthChallenged, Is.EqualTo(1));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AToTagWithoutOurRouteIsNoDialogOfOursAndIsChallenged(bool stateless)
    {
        SimNetwork net = Net(1711);
        var proxy = new ProxyNode(net, ProxyAt, stateless, authenticate: true);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var client = new BlackHole(net, "10.0.0.5:5060");
        // A "re-INVITE" made up to skip authentication: To tag, but no Route through our Record-Route.
        string invite = $"INVITE {Bob} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKforged1\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@{ProxyNode.Domain}>;tag=f1\r\nTo: <{Bob}>;tag=made-up\r\nCall-ID: forged@test\r\nCSeq: 7 INVITE\r\n" +
            "Contact: <sip:alice@10.0.0.5:5060>\r\nContent-Length: 0\r\n\r\n";
        net.Send(client.Address, proxy.Address, Encoding.UTF8.GetBytes(invite));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(net.Sent.Any(p => p.To == bob.Address), Is.False, Dump(net));
        Assert.That(net.Sent.Any(p => p.From == proxy.Address && p.StartLine == "SIP/2.0 407 Proxy Authentication Required"), Is.True, Dump(net));
    }

    [TestCase(false, 0.0, 1721)]
    [TestCase(true, 0.2, 1722)]
    public void AnAuthenticatingEdgeInFrontOfACoreChallengesItsUsersButNotTheCore(bool stateless, double loss, int seed)
    {
        SimNetwork net = Net(seed, loss);
        var core = new ProxyNode(net, "10.0.0.20:5060");
        var edge = new ProxyNode(net, ProxyAt, stateless, registrar: false, nextHop: "sip:10.0.0.20:5060", authenticate: true);
        UaNode alice = Ua(net, "10.0.0.1:5060", "alice", "wonderland");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob") { IncomingHook = c => c.Answer() };
        alice.IncomingHook = c => c.Answer();
        Registration ra = alice.Register(edge.Address, "alice", "wonderland", seed: seed);
        Registration rb = bob.Register(core.Address, "bob", "builder", seed: seed + 1);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(ra.State, Is.EqualTo(RegistrationState.Registered), "REGISTER passes the edge unchallenged; the core's 401 is answered\n" + Dump(net));
        Assert.That(rb.State, Is.EqualTo(RegistrationState.Registered));

        // alice -> edge (407, answered) -> core -> bob.
        SipCall out1 = alice.Core.Invite(Bob, edge.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(out1.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(From(net, edge.Address, alice.Address, "SIP/2.0 407"), Is.Not.Empty);
        Assert.That(From(net, edge.Address, core.Address, "INVITE").All(i => CallTestKit.Header(i, "Proxy-Authorization") is null), Is.True);

        // bob -> core -> (alice's Path) edge -> alice: the core is the edge's next hop, trusted; nothing challenged.
        long challenged = edge.Proxy.AuthChallenged;
        SipCall out2 = bob.Core.Invite($"sip:alice@{ProxyNode.Domain}", core.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(out2.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(edge.Proxy.AuthChallenged, Is.EqualTo(challenged));
        Assert.That(From(net, edge.Address, core.Address, "SIP/2.0 407"), Is.Empty);
    }

    [Test]
    public void WithoutAuthenticationNothingIsChallenged()
    {
        SimNetwork net = Net(1691);
        var proxy = new ProxyNode(net, ProxyAt);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "MESSAGE", Bob, body: "x");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1), Dump(net));
        Assert.That(raw.Responses.Any(r => r.StartsWith("SIP/2.0 407", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public void OptionsToTheProxyItselfIsAnsweredWithoutChallenge()
    {
        SimNetwork net = Net(1695);
        var proxy = new ProxyNode(net, ProxyAt, authenticate: true);
        var raw = new RawClient(net, "10.0.0.5:5060");
        raw.Send(proxy.Address, "OPTIONS", "sip:" + ProxyNode.Domain);
        // A keep-alive with the UA's preloaded outbound-proxy Route (§8.1.2) is for the proxy too.
        raw.Send(proxy.Address, "OPTIONS", $"sip:{ProxyAt}", $"Route: <sip:{ProxyAt};lr>\r\n");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(raw.Responses.Select(Status), Is.EqualTo(new[] { "SIP/2.0 200 OK", "SIP/2.0 200 OK" }));
        // With a second Route it goes on elsewhere: our user's request is challenged.
        raw.Send(proxy.Address, "OPTIONS", "sip:" + ProxyNode.Domain, $"Route: <sip:{ProxyAt};lr>, <sip:10.0.0.20:5060;lr>\r\n");
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(Status(raw.Responses[2]), Is.EqualTo("SIP/2.0 407 Proxy Authentication Required"));
    }

    [Test]
    public void AFromNamingTheProxysAddressIsOursAndATrustedSourceIsNotChallenged()
    {
        SimNetwork net = Net(1697);
        var trusted = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.20:5060");
        var proxy = new ProxyNode(net, ProxyAt, authenticate: true, trusted: s => s == trusted);
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.Bind("bob", "sip:bob@10.0.0.2:5060");
        var stranger = new BlackHole(net, "10.0.0.5:5060");
        var core = new BlackHole(net, "10.0.0.20:5060");
        string Message(string via, string fromHost) =>
            $"MESSAGE {Bob} SIP/2.0\r\nVia: SIP/2.0/UDP {via};branch=z9hG4bK{via.Length}{fromHost.Length}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@{fromHost}>;tag=f1\r\nTo: <{Bob}>\r\nCall-ID: {via}@test\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
        net.Send(stranger.Address, proxy.Address, Encoding.UTF8.GetBytes(Message("10.0.0.5:5060", "10.0.0.9")));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(net.Sent.Last(p => p.From == proxy.Address).StartLine, Is.EqualTo("SIP/2.0 407 Proxy Authentication Required"));
        Assert.That(net.Sent.Any(p => p.To == bob.Address), Is.False);
        net.Send(core.Address, proxy.Address, Encoding.UTF8.GetBytes(Message("10.0.0.20:5060", ProxyNode.Domain)));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(From(net, proxy.Address, bob.Address, "MESSAGE"), Has.Length.EqualTo(1), Dump(net));
    }
}
