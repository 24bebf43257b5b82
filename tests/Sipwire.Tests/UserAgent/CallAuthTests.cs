// Calls through a challenging proxy: 407 on INVITE, 401 on BYE, stale nonces, refused credentials (RFC 3261 §22.2-22.3, RFC 7616).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class CallAuthTests
{
    private const string ProxyUri = "sip:10.0.0.9:5060";

    private static (SimNetwork Net, UaNode Alice, UaNode Bob, CallAuthProxyNode Proxy) Setup(int seed, string password = "wonderland",
        double loss = 0, bool credentials = true, bool outboundProxy = true, TimeSpan? nonceLifetime = null)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var proxy = new CallAuthProxyNode(net, "10.0.0.9:5060", nonceLifetime ?? TimeSpan.FromMinutes(10));
        var alice = new UaNode(net, "10.0.0.1:5060", "alice", o => o with
        {
            Credentials = credentials ? [new SipCredentials("alice", password)] : [],
            OutboundProxy = outboundProxy ? ProxyUri : null,
        });
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        proxy.ChallengedSource = alice.Address;
        proxy.ChallengeStatus["INVITE"] = 407;
        bob.IncomingHook = c => c.Answer();
        return (net, alice, bob, proxy);
    }

    private static SipCall CallThroughProxy(UaNode alice, UaNode bob, CallAuthProxyNode proxy)
    {
        SipCall c = alice.Core.Invite($"sip:bob@{bob.HostPort}", proxy.Address);
        c.Changed += e => alice.CallEvents.Add((alice.Network.Clock.NowMicros, c, e));
        return c;
    }

    private static string[] SentBy(SimNetwork net, UaNode from, string start) =>
        CallTestKit.Sent(net, from.Address, start).Select(p => Encoding.UTF8.GetString(p.Data)).Distinct().ToArray();

    [TestCase(0.0, 901)]
    [TestCase(0.2, 902)]
    public void Invite407IsAnsweredWithANewCSeqAndBranchAndTheCallComesUp(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(seed, loss: loss);
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        Assert.That(bob.Incoming.Single().State, Is.EqualTo(CallState.Active));
        string[] invites = SentBy(net, alice, "INVITE");
        Assert.That(invites, Has.Length.EqualTo(2), "one challenged INVITE, one answered");
        Assert.That(CallTestKit.Header(invites[0], "Proxy-Authorization"), Is.Null);
        Assert.That(CallTestKit.Header(invites[0], "CSeq"), Is.EqualTo("1 INVITE"));
        // §22.2: the same Call-ID, From tag and To, a new CSeq and a new branch, credentials of the realm.
        Assert.That(CallTestKit.Header(invites[1], "CSeq"), Is.EqualTo("2 INVITE"));
        Assert.That(CallTestKit.Header(invites[1], "Call-ID"), Is.EqualTo(CallTestKit.Header(invites[0], "Call-ID")));
        Assert.That(CallTestKit.Header(invites[1], "From"), Is.EqualTo(CallTestKit.Header(invites[0], "From")));
        Assert.That(CallTestKit.Header(invites[1], "Via"), Is.Not.EqualTo(CallTestKit.Header(invites[0], "Via")));
        string auth = CallTestKit.Header(invites[1], "Proxy-Authorization")!;
        Assert.That(auth, Does.StartWith("Digest ").And.Contain("username=\"alice\"").And.Contain($"realm=\"{RegistrarNode.Domain}\"").And.Contain("nc=00000001"));
        Assert.That(CallTestKit.Header(invites[1], "Route"), Is.EqualTo($"<{ProxyUri};lr>"), "§8.1.2 preloaded Route");
        // §17.1.1.3: the 407 was ACKed by the transaction layer, with the INVITE's CSeq number.
        Assert.That(SentBy(net, alice, "ACK").Any(a => CallTestKit.Header(a, "CSeq") == "1 ACK"), Is.True);
        Assert.That(proxy.Challenges.Count(c => c.Method == "INVITE"), Is.EqualTo(1));
        Assert.That(alice.Kinds(call), Does.Not.Contain("Ended"));
    }

    [Test]
    public void ReInviteAndByeSendTheRealmsCredentialsPreemptivelyWithRisingNonceCount()
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(911);
        proxy.ChallengeStatus["BYE"] = 407;
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated), CallTestKit.Log(alice));
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bob.Last(bob.Incoming.Single()).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(proxy.Challenges, Has.Count.EqualTo(1), "only the first INVITE is challenged");
        string reinvite = SentBy(net, alice, "INVITE")[2];
        Assert.That(CallTestKit.Header(reinvite, "To"), Does.Contain(";tag="));
        Assert.That(CallTestKit.Header(reinvite, "Route"), Is.EqualTo($"<{ProxyUri};lr>"), "the route set from Record-Route (§12.2.1.1)");
        string bye = SentBy(net, alice, "BYE").Single();
        long ncReinvite = Nc(CallTestKit.Header(reinvite, "Proxy-Authorization")!);
        long ncBye = Nc(CallTestKit.Header(bye, "Proxy-Authorization")!);
        Assert.That(ncReinvite, Is.GreaterThan(1));
        Assert.That(ncBye, Is.GreaterThan(ncReinvite), "RFC 7616 §3.4: nc rises with every request under one nonce");
    }

    [TestCase(0.0, 921)]
    [TestCase(0.2, 922)]
    public void Bye401IsAnsweredAndReachesTheCallee(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(seed, loss: loss);
        proxy.ChallengeStatus.Remove("INVITE");
        proxy.ChallengeStatus["BYE"] = 401;
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        SipCall incoming = bob.Incoming.Single();
        Assert.That(bob.Last(incoming).Kind, Is.EqualTo(CallEventKind.Ended), CallTestKit.Log(bob));
        Assert.That(bob.Last(incoming).ByLocal, Is.False);
        string[] byes = SentBy(net, alice, "BYE");
        Assert.That(byes, Has.Length.EqualTo(2));
        Assert.That(CallTestKit.Header(byes[0], "Authorization"), Is.Null);
        Assert.That(CallTestKit.Header(byes[1], "Authorization"), Does.StartWith("Digest "));
        Assert.That(SeqOf(byes[1]), Is.EqualTo(SeqOf(byes[0]) + 1), "§22.2: a new CSeq in the dialog");
        Assert.That(proxy.Challenges, Has.Count.EqualTo(1));
        Assert.That(alice.Core.Dialogs!.Count + bob.Core.Dialogs!.Count, Is.Zero);
    }

    [Test]
    public void StaleNonceIsRetriedOnceWithTheNewNonce()
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(931, nonceLifetime: TimeSpan.FromSeconds(30));
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        net.RunFor(TimeSpan.FromSeconds(60)); // the nonce of the first 407 expires
        Assert.That(call.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.MediaUpdated), CallTestKit.Log(alice));
        Assert.That(proxy.Challenges.Select(c => (c.Method, c.Stale)), Is.EqualTo(new[] { ("INVITE", false), ("INVITE", true) }));
        Assert.That(call.State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void WrongPasswordEndsTheCallWith407AfterOneRetry()
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(941, password: "looking-glass");
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
        CallEvent last = alice.Last(call);
        Assert.That(last.Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(last.StatusCode, Is.EqualTo(407));
        Assert.That(last.Reason, Does.Contain("refused"));
        Assert.That(alice.CallEvents.Count(e => e.Call == call && e.Event.Kind == CallEventKind.Ended), Is.EqualTo(1));
        Assert.That(SentBy(net, alice, "INVITE"), Has.Length.EqualTo(2), "no retry loop");
        Assert.That(proxy.Challenges.Select(c => c.Verdict), Is.EqualTo(new[] { DigestVerdict.Malformed, DigestVerdict.WrongResponse }));
        Assert.That(bob.Incoming, Is.Empty);
        Assert.That(alice.Core.Calls, Is.Empty);
    }

    [Test]
    public void WithoutCredentialsTheChallengeEndsTheCall()
    {
        (SimNetwork net, UaNode alice, _, CallAuthProxyNode proxy) = Setup(951, credentials: false);
        SipCall c0 = alice.Core.Invite("sip:bob@10.0.0.2:5060", proxy.Address);
        SipCall call = c0;
        call.Changed += e => alice.CallEvents.Add((net.Clock.NowMicros, call, e));
        net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(alice.Last(call).Kind, Is.EqualTo(CallEventKind.Ended));
        Assert.That(alice.Last(call).StatusCode, Is.EqualTo(407));
        Assert.That(SentBy(net, alice, "INVITE"), Has.Length.EqualTo(1));
    }

    [Test]
    public void WithoutOutboundProxyTheInviteHasNoRoute()
    {
        (SimNetwork net, UaNode alice, UaNode bob, CallAuthProxyNode proxy) = Setup(961, outboundProxy: false);
        SipCall call = CallThroughProxy(alice, bob, proxy);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(call.State, Is.EqualTo(CallState.Active), CallTestKit.Log(alice));
        Assert.That(SentBy(net, alice, "INVITE").All(i => CallTestKit.Header(i, "Route") is null), Is.True);
    }

    [Test]
    public void AnOutboundProxyThatIsNotASipUriIsRejected()
    {
        var net = new SimNetwork(971);
        Assert.Throws<ArgumentException>(() => _ = new UaNode(net, "10.0.0.1:5060", "alice", o => o with { OutboundProxy = "http://proxy" }));
    }

    private static long Nc(string credentials) => Convert.ToInt64(credentials.Split("nc=")[1][..8], 16);

    private static int SeqOf(string request) => int.Parse(CallTestKit.Header(request, "CSeq")!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
