// An edge proxy with a next hop (RFC 3261 §16.6 step 7, §16.12) and Path with a flow token (RFC 3327, RFC 5626 §5) on the simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Proxy;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.Proxy;

/// <summary>
/// alice (10.0.0.1) is behind our edge proxy (10.0.0.9, no registrar, next hop = the core); the core (10.0.0.20) is a
/// proxy and digest registrar of example.test; bob (10.0.0.2) registers at the core directly. Everything alice does goes
/// edge → core; everything toward alice comes core → edge (by the Path the edge put into her REGISTER) → alice.
/// </summary>
[TestFixture]
public sealed class ProxyNextHopTests
{
    private const string EdgeAt = "10.0.0.9:5060";
    private const string CoreAt = "10.0.0.20:5060";
    private const string CoreRoute = "Route: <sip:10.0.0.20:5060;lr>";

    private static SimNetwork Net(int seed, double loss) =>
        new(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };

    private static string Dump(SimNetwork net) => string.Join("\n", net.Sent.Select(p => $"{p.SentAt / 1000} {p.From} -> {p.To}: {p.StartLine}"));

    private static bool Starts(SimPacket p, string startsWith) => p.StartLine.StartsWith(startsWith, StringComparison.Ordinal);

    private sealed record Setup(SimNetwork Net, ProxyNode Edge, ProxyNode Core, UaNode Alice, UaNode Bob);

    private static Setup Start(int seed, double loss, bool stateless, bool coreStateless = false)
    {
        SimNetwork net = Net(seed, loss);
        var core = new ProxyNode(net, CoreAt, coreStateless);
        var edge = new ProxyNode(net, EdgeAt, stateless, registrar: false, nextHop: "sip:10.0.0.20:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        Registration ra = alice.Register(edge.Address, "alice", "wonderland", seed: seed);
        Registration rb = bob.Register(core.Address, "bob", "builder", seed: seed + 1);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(ra.State, Is.EqualTo(RegistrationState.Registered), "alice registers through the edge\n" + Dump(net));
        Assert.That(rb.State, Is.EqualTo(RegistrationState.Registered), "bob registers at the core\n" + Dump(net));
        return new Setup(net, edge, core, alice, bob);
    }

    [TestCase(false, 0.0, 901)]
    [TestCase(false, 0.2, 902)]
    [TestCase(true, 0.0, 903)]
    [TestCase(true, 0.15, 904)]
    public void RegisterGoesToTheNextHopWithPathAndTheCoreChallengeComesBack(bool stateless, double loss, int seed)
    {
        Setup s = Start(seed, loss, stateless);
        SimNetwork net = s.Net;
        var forwarded = net.Sent.Where(p => p.From == s.Edge.Address && p.To == s.Core.Address && Starts(p, "REGISTER")).ToList();
        Assert.That(forwarded, Is.Not.Empty, Dump(net));
        string register = forwarded[0].Text;
        // §16.12: the Request-URI stays the domain; the next hop is a pushed loose Route.
        Assert.That(register, Does.StartWith("REGISTER sip:example.test SIP/2.0\r\n"));
        Assert.That(register, Does.Contain(CoreRoute + "\r\n"));
        // RFC 3327 §5.2: our Path on top with the flow token, and Require: path for the registrar.
        Assert.That(register, Does.Match(@"\r\nPath: <sip:ft-[0-9a-f]+@10\.0\.0\.9:5060;lr>\r\n"));
        Assert.That(register, Does.Contain("\r\nRequire: path\r\n"));
        // The core's digest challenge (RFC 3261 §22.4) came back through the edge to alice, and her retry went the same way.
        Assert.That(net.Sent.Any(p => p.From == s.Edge.Address && p.To == s.Alice.Address && Starts(p, "SIP/2.0 401")), Is.True, Dump(net));
        Assert.That(forwarded.Any(p => p.Text.Contains("Authorization: Digest", StringComparison.Ordinal)), Is.True);
        Assert.That(net.Sent.Any(p => p.From == s.Alice.Address && p.To == s.Core.Address), Is.False, "alice never talks to the core herself");
        // The core keeps the Path with the binding (RFC 3327 §5.3).
        var bindings = new System.Collections.Generic.List<Sipwire.Location.LocationBinding>();
        s.Core.Location.Lookup($"sip:alice@{ProxyNode.Domain}", s.Core.NowMs, bindings);
        Assert.That(bindings, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(bindings[0].Path), Does.Match(@"^<sip:ft-[0-9a-f]+@10\.0\.0\.9:5060;lr>$"));
    }

    [TestCase(false, false, 0.0, 911)]
    [TestCase(false, false, 0.2, 912)]
    [TestCase(true, false, 0.0, 913)]
    [TestCase(true, false, 0.2, 914)]
    [TestCase(false, true, 0.1, 915)]
    public void CallsAndHangUpsBothWaysPassTheEdgeAndTheCore(bool stateless, bool coreStateless, double loss, int seed)
    {
        Setup s = Start(seed, loss, stateless, coreStateless);
        SimNetwork net = s.Net;
        s.Bob.IncomingHook = c => c.Answer();
        s.Alice.IncomingHook = c => c.Answer();

        // alice → edge → core → bob; alice hangs up.
        SipCall out1 = s.Alice.Core.Invite($"sip:bob@{ProxyNode.Domain}", s.Edge.Address);
        out1.Changed += e => s.Alice.CallEvents.Add((net.Clock.NowMicros, out1, e));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(out1.State, Is.EqualTo(CallState.Active), Dump(net));
        SimPacket invite = net.Sent.First(p => p.From == s.Edge.Address && p.To == s.Core.Address && Starts(p, "INVITE"));
        Assert.That(invite.Text, Does.Contain(CoreRoute + "\r\n"));
        // RFC 5626 §5.3: the edge record-routes with the flow token of alice's flow.
        Assert.That(invite.Text, Does.Match(@"\r\nRecord-Route: <sip:ft-[0-9a-f]+@10\.0\.0\.9:5060;lr>\r\n"));
        int before = net.Sent.Count;
        Assert.That(out1.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(s.Bob.Incoming.Single().State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(net.Sent.Skip(before).Any(p => p.From == s.Edge.Address && p.To == s.Core.Address && Starts(p, "BYE")), Is.True, "alice's BYE follows the route set through the core");

        // bob → core → (Path) edge → alice; bob hangs up.
        SipCall out2 = s.Bob.Core.Invite($"sip:alice@{ProxyNode.Domain}", s.Core.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(out2.State, Is.EqualTo(CallState.Active), Dump(net));
        SimPacket toEdge = net.Sent.First(p => p.From == s.Core.Address && p.To == s.Edge.Address && Starts(p, "INVITE"));
        Assert.That(toEdge.Text, Does.Match(@"\r\nRoute: <sip:ft-[0-9a-f]+@10\.0\.0\.9:5060;lr>\r\n"), "the core routes by alice's Path");
        SimPacket toAlice = net.Sent.First(p => p.From == s.Edge.Address && p.To == s.Alice.Address && Starts(p, "INVITE"));
        Assert.That(toAlice.Text, Does.Not.Contain("\r\nRoute:"), "the edge consumed its own Route");
        Assert.That(toAlice.Text, Does.StartWith("INVITE sip:alice@10.0.0.1:5060 SIP/2.0\r\n"));
        SipCall in2 = s.Alice.Incoming.Single();
        before = net.Sent.Count;
        Assert.That(out2.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(in2.State, Is.EqualTo(CallState.Terminated), Dump(net));
        Assert.That(net.Sent.Skip(before).Any(p => p.From == s.Edge.Address && p.To == s.Alice.Address && Starts(p, "BYE")), Is.True);

        // Once more bob → alice, and this time alice hangs up: her BYE goes edge → core by the recorded route.
        SipCall out3 = s.Bob.Core.Invite($"sip:alice@{ProxyNode.Domain}", s.Core.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(out3.State, Is.EqualTo(CallState.Active), Dump(net));
        SipCall in3 = s.Alice.Incoming.Last();
        Assert.That(in3.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(out3.State, Is.EqualTo(CallState.Terminated), Dump(net));
        if (stateless) Assert.That(s.Edge.Proxy.StatelessForwarded, Is.GreaterThan(0));
    }

    [TestCase(false, 0.0, 921)]
    [TestCase(true, 0.2, 922)]
    public void MessagesGoBothWays(bool stateless, double loss, int seed)
    {
        Setup s = Start(seed, loss, stateless);
        SimNetwork net = s.Net;
        var atBob = new System.Collections.Generic.List<string>();
        var atAlice = new System.Collections.Generic.List<string>();
        s.Bob.Core.MessageReceived += m => atBob.Add(Encoding.UTF8.GetString(m.Body.Span));
        s.Alice.Core.MessageReceived += m => atAlice.Add(Encoding.UTF8.GetString(m.Body.Span));
        Assert.That(s.Alice.Core.SendMessage($"sip:bob@{ProxyNode.Domain}", s.Edge.Address, "text/plain", "hello bob"u8), Is.GreaterThan(0));
        Assert.That(s.Bob.Core.SendMessage($"sip:alice@{ProxyNode.Domain}", s.Core.Address, "text/plain", "hello alice"u8), Is.GreaterThan(0));
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(atBob, Is.EqualTo(new[] { "hello bob" }), Dump(net));
        Assert.That(atAlice, Is.EqualTo(new[] { "hello alice" }), Dump(net));
    }

    [Test]
    public void RequestsForAContactBehindANatReachTheFlowTheRegisterCameFrom()
    {
        // RFC 5626 §5.3: the Contact (a private address nobody can reach) is only the Request-URI; the edge sends to
        // the flow - the source address of alice's REGISTER - that the flow token in its Path names.
        SimNetwork net = Net(931, 0.1);
        var core = new ProxyNode(net, CoreAt);
        var edge = new ProxyNode(net, EdgeAt, registrar: false, nextHop: "sip:10.0.0.20:5060");
        var alice = new UaNode(net, "10.0.0.1:5060", "alice");
        var bob = new UaNode(net, "10.0.0.2:5060", "bob");
        Registration r = alice.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = $"sip:alice@{ProxyNode.Domain}",
            ContactUri = "sip:alice@192.168.1.5:5060",
            Destination = edge.Address,
            LocalSentBy = "192.168.1.5:5060",
            Expires = 3600,
            Credentials = [new SipCredentials("alice", "wonderland")],
        }, new Random(931));
        r.Start();
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered), Dump(net));
        alice.IncomingHook = c => c.Answer();
        SipCall call = bob.Core.Invite($"sip:alice@{ProxyNode.Domain}", core.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        SimPacket toAlice = net.Sent.First(p => p.From == edge.Address && Starts(p, "INVITE"));
        Assert.That(toAlice.To, Is.EqualTo(alice.Address), Dump(net));
        Assert.That(toAlice.StartLine, Is.EqualTo("INVITE sip:alice@192.168.1.5:5060 SIP/2.0"));
        Assert.That(alice.Incoming, Has.Count.EqualTo(1), Dump(net));
        Assert.That(call.State, Is.EqualTo(CallState.Active), Dump(net));
        // The dialog's requests toward alice follow the edge's flow-token Record-Route to her flow too (bob's BYE), and
        // hers, arriving on that flow, go on to the core.
        Assert.That(call.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(alice.Incoming[0].State, Is.EqualTo(CallState.Terminated), "bob's BYE reached alice\n" + Dump(net));
        SipCall second = bob.Core.Invite($"sip:alice@{ProxyNode.Domain}", core.Address);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(second.State, Is.EqualTo(CallState.Active), Dump(net));
        Assert.That(alice.Incoming[1].Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(second.State, Is.EqualTo(CallState.Terminated), "alice's BYE reached bob\n" + Dump(net));
        Assert.That(net.Sent.Any(p => p.To.ToString().Contains("192.168.", StringComparison.Ordinal)), Is.False, "nothing is sent to the private address");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AForgedFlowTokenIsRefusedWith403(bool stateless)
    {
        SimNetwork net = Net(941, 0);
        var edge = new ProxyNode(net, EdgeAt, stateless, registrar: false, nextHop: "sip:10.0.0.20:5060");
        var attacker = new RawClient(net, "10.0.0.66:5060");
        var victim = new RawClient(net, "10.0.0.77:5060");
        // A token for the victim's address made with another key, and a well-formed one with a flipped MAC bit.
        string foreign = new FlowToken(new byte[32]).Encode(victim.Address);
        string flipped = string.Concat(foreign.AsSpan(0, foreign.Length - 1), foreign[^1] == '0' ? "1" : "0");
        foreach (string token in new[] { foreign, flipped, "ft-zz", "ft-" })
        {
            attacker.Send(edge.Address, "MESSAGE", "sip:anyone@10.0.0.77:5060", $"Route: <sip:{token}@10.0.0.9:5060;lr>\r\n", body: "x");
        }
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(attacker.Responses.Count(r => r.StartsWith("SIP/2.0 403", StringComparison.Ordinal)), Is.EqualTo(4), string.Join("\n", attacker.Responses) + "\n" + Dump(net));
        Assert.That(net.Sent.Any(p => p.To == victim.Address), Is.False, "nothing reaches the address the forged token names");
    }

    [Test]
    public void ATokenOfThisProxyRoundTripsAndNamesTheFlow()
    {
        var tokens = new FlowToken(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"));
        foreach (string a in new[] { "10.0.0.1:5060", "[2001:db8::1]:5062" })
        {
            foreach (Sipwire.Transport.TransportProtocol protocol in Enum.GetValues<Sipwire.Transport.TransportProtocol>())
            {
                var flow = Sipwire.Transport.PeerAddress.Parse(protocol, a).WithConnection(protocol == Sipwire.Transport.TransportProtocol.Udp ? 0 : 42);
                string t = tokens.Encode(flow);
                Assert.That(t, Does.Match("^ft-[0-9a-f]+$"));
                Assert.That(tokens.TryDecode(t, out Sipwire.Transport.PeerAddress back), Is.True, t);
                Assert.That(back, Is.EqualTo(flow));
                Assert.That(tokens.TryDecode(t + "00", out _), Is.False, "a longer token");
                Assert.That(tokens.TryDecode(t.AsSpan(0, t.Length - 2), out _), Is.False, "a shorter token");
            }
        }
    }

    [TestCase(PathMode.Supported, false, 421)]
    [TestCase(PathMode.Supported, true, 0)]
    [TestCase(PathMode.Always, false, 0)]
    [TestCase(PathMode.Off, true, 0)]
    public void PathFollowsRfc3327WhenTheUaDoesOrDoesNotSupportIt(PathMode mode, bool uaSupportsPath, int localStatus)
    {
        SimNetwork net = Net(951, 0);
        var core = new ProxyNode(net, CoreAt);
        var edge = new ProxyNode(net, EdgeAt, registrar: false, nextHop: "sip:10.0.0.20:5060", pathMode: mode);
        var ua = new RawClient(net, "10.0.0.1:5060");
        ua.Send(edge.Address, "REGISTER", $"sip:{ProxyNode.Domain}",
            "Contact: <sip:carol@10.0.0.1:5060>\r\n" + (uaSupportsPath ? "Supported: path\r\n" : ""));
        net.RunFor(TimeSpan.FromSeconds(5));
        SimPacket? forwarded = net.Sent.FirstOrDefault(p => p.From == edge.Address && p.To == core.Address && Starts(p, "REGISTER"));
        if (localStatus != 0)
        {
            // RFC 3327 §5.2: a UA that did not say Supported: path gets 421 naming the extension; nothing is forwarded.
            Assert.That(forwarded, Is.Null, Dump(net));
            string response = ua.Responses.Single();
            Assert.That(response, Does.StartWith("SIP/2.0 421 Extension Required\r\n"));
            Assert.That(response, Does.Contain("\r\nRequire: path\r\n"));
            return;
        }
        Assert.That(forwarded, Is.Not.Null, Dump(net));
        bool pathExpected = mode != PathMode.Off;
        Assert.That(forwarded!.Text.Contains("\r\nPath: <sip:ft-", StringComparison.Ordinal), Is.EqualTo(pathExpected), forwarded.Text);
        Assert.That(forwarded.Text.Contains("\r\nRequire: path\r\n", StringComparison.Ordinal), Is.EqualTo(pathExpected));
        // The core's 401 comes back through the edge.
        Assert.That(ua.Responses.Any(r => r.StartsWith("SIP/2.0 401", StringComparison.Ordinal)), Is.True, Dump(net));
    }

    [Test]
    public void WithItsOwnRegistrarTheEdgeServesItsDomainAndSendsForeignDomainsToTheNextHop()
    {
        SimNetwork net = Net(961, 0);
        var core = new ProxyNode(net, CoreAt);
        var edge = new ProxyNode(net, EdgeAt, registrar: true, nextHop: "sip:10.0.0.20:5060");
        var ua = new RawClient(net, "10.0.0.1:5060");
        var carol = new RawClient(net, "10.0.0.3:5060");
        edge.Bind("carol", "sip:carol@10.0.0.3:5060");
        ua.Send(edge.Address, "MESSAGE", $"sip:carol@{ProxyNode.Domain}", "", body: "to carol");
        ua.Send(edge.Address, "MESSAGE", "sip:dave@elsewhere.test", "", body: "to dave");
        ua.Send(edge.Address, "MESSAGE", "sip:erin@10.0.0.4:5060", "", body: "to erin");
        net.RunFor(TimeSpan.FromSeconds(2));
        // Our domain: the location service (§16.5), no next hop.
        SimPacket toCarol = net.Sent.First(p => p.From == edge.Address && p.To == carol.Address && Starts(p, "MESSAGE"));
        Assert.That(toCarol.Text, Does.Not.Contain("\r\nRoute:"));
        // Foreign domains, by name or address: pushed to the next hop with the Request-URI unchanged (§16.12).
        var toCore = net.Sent.Where(p => p.From == edge.Address && p.To == core.Address && Starts(p, "MESSAGE")).Select(p => p.Text).ToList();
        Assert.That(toCore.Count(t => t.StartsWith("MESSAGE sip:dave@elsewhere.test SIP/2.0\r\n", StringComparison.Ordinal) && t.Contains(CoreRoute, StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1), Dump(net));
        Assert.That(toCore.Count(t => t.StartsWith("MESSAGE sip:erin@10.0.0.4:5060 SIP/2.0\r\n", StringComparison.Ordinal) && t.Contains(CoreRoute, StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1));
        // A REGISTER for our own domain stays with our registrar.
        ua.Send(edge.Address, "REGISTER", $"sip:{ProxyNode.Domain}", "Contact: <sip:frank@10.0.0.1:5060>\r\n");
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(net.Sent.Any(p => p.From == edge.Address && p.To == core.Address && Starts(p, "REGISTER")), Is.False);
        Assert.That(ua.Responses.Last(), Does.StartWith("SIP/2.0 401"), "our own registrar challenges");
    }

    [Test]
    public void ANextHopThatIsNotASipUriIsRefused()
    {
        var options = new ProxyOptions { Domains = [ProxyNode.Domain], LocalHost = "10.0.0.9", NextHop = "http://10.0.0.20/" };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains("NextHop"));
        options = new ProxyOptions { Domains = [ProxyNode.Domain], LocalHost = "10.0.0.9", FlowTokenKey = new byte[8] };
        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains("FlowTokenKey"));
    }
}
