// `sipwire ua` in-process: usage errors (2), registration and calls on loopback (0), every user-caused failure printed with status and reason (1).
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using NUnit.Framework;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class UaCommandTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    // RFC 4566 §5: an answer without the mandatory v=/o=/s=/t= lines and without m= is malformed.
    private const string BrokenSdp = "this is not SDP\r\n";

    [TestCase("", TestName = "Nothing to do")]
    [TestCase("--bogus", TestName = "Unknown option")]
    [TestCase("--register", TestName = "Register without AoR")]
    [TestCase("--aor sip:alice@example.test --register --user alice", TestName = "User without password")]
    [TestCase("--listen udp:localhost:5060 --exit-after 1", TestName = "Listen on a name")]
    [TestCase("--listen sctp:127.0.0.1:5060 --exit-after 1", TestName = "Listen on an unknown transport")]
    [TestCase("--listen udp:::1:5060 --exit-after 1", TestName = "IPv6 listen without brackets")]
    [TestCase("--call http://example.test/", TestName = "Call a non-SIP URI")]
    [TestCase("--call sip:bob@127.0.0.1 --duration -1", TestName = "Negative duration")]
    [TestCase("--duration 5 --exit-after 1", TestName = "Duration without call")]
    [TestCase("--message sip:bob@127.0.0.1", TestName = "Message without text")]
    [TestCase("--exit-after", TestName = "Missing value")]
    [TestCase("--exit-after soon", TestName = "Seconds not a number")]
    [TestCase("--config /nonexistent/sipwire-ua.conf", TestName = "Missing config file")]
    [TestCase("--register=5 --aor sip:alice@example.test", TestName = "Register with a value")]
    public void BadUsageExitsWithTwoAndSaysWhy(string commandLine)
    {
        UaRun r = UaRun.Start(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.StartWith("sipwire ua: "));
            Assert.That(r.Stderr, Does.Contain("usage: sipwire ua"));
            Assert.That(r.Stdout, Is.Empty);
        });
    }

    [Test]
    public void BadConfigLineNamesFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sipwire-ua-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "# comment\naor = sip:alice@example.test\nfrobnicate = 3\n");
        try
        {
            UaRun r = UaRun.Start(["--config", path], s_limit);
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Stderr, Does.Contain($"{path}:3: unknown key 'frobnicate'"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RegistersAgainstOurRegistrarAndUnregistersOnExit()
    {
        using var registrar = new LoopbackRegistrar();
        UaRun r = UaRun.Start(
            ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
             "--outbound-proxy", registrar.Uri, "--register", "--exit-after", "1"], s_limit, null, registrar.Endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            // RFC 3261 §22.2: challenged first, then accepted; §10.2.2 expires=0 on the way out.
            Assert.That(registrar.Answers, Has.Exactly(1).EqualTo((401, 3600)));
            Assert.That(registrar.Answers, Has.Exactly(1).EqualTo((200, 3600)));
            Assert.That(registrar.Answers[^1], Is.EqualTo((200, 0)));
            Assert.That(r.Stdout, Does.Match(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z register Registered 200 OK expires=\d+$"));
            Assert.That(r.Stdout, Does.Contain("register Unregistered 200 OK"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [TestCase(TransportProtocol.Udp)]
    [TestCase(TransportProtocol.Tcp)]
    public void RegistersOverIPv6Loopback(TransportProtocol protocol)
    {
        using var registrar = new LoopbackRegistrar(protocol, ipv6: true);
        string scheme = protocol == TransportProtocol.Tcp ? "tcp" : "udp";
        UaRun r = UaRun.Start(
            ["--listen", $"{scheme}:[::1]:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
             "--outbound-proxy", registrar.Uri, "--register", "--exit-after", "0.5"], s_limit, null, registrar.Endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain($"ua listening {scheme}:[::1]:"));
            Assert.That(r.Stdout, Does.Match(@"ua contact sip:alice@\[::1\]:\d+" + (protocol == TransportProtocol.Tcp ? ";transport=tcp" : "") + "$").Or.Match(@"(?m)ua contact sip:alice@\[::1\]:\d+" + (protocol == TransportProtocol.Tcp ? ";transport=tcp" : "") + "\r?$"));
            Assert.That(registrar.Answers, Has.Exactly(1).EqualTo((200, 3600)));
            Assert.That(registrar.Answers[^1], Is.EqualTo((200, 0)));
        });
    }

    [Test]
    public void NoListenOfTheProxysTransportIsBadUsage()
    {
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--outbound-proxy", "sip:127.0.0.1:5999;transport=tcp", "--register"], s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.Contain("no --listen of transport tcp and IPv4"));
        });
    }

    [Test]
    public void ConfigFileMirrorsTheFlags()
    {
        using var registrar = new LoopbackRegistrar();
        string path = Path.Combine(Path.GetTempPath(), $"sipwire-ua-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path,
            "# alice's desk phone\n" +
            "listen = udp:127.0.0.1:0\n" +
            "aor = sip:alice@example.test\n" +
            "user = alice\n" +
            "password = wonderland\n" +
            $"outbound-proxy = {registrar.Uri}\n" +
            "register = yes\n" +
            "exit-after = 60\n");
        try
        {
            // The flag overrides the file's exit-after.
            UaRun r = UaRun.Start(["--config", path, "--exit-after", "0.5"], s_limit, null, registrar.Endpoint);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain("register Registered 200 OK"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WrongPasswordExitsWithOneAndPrintsStatusAndReason()
    {
        using var registrar = new LoopbackRegistrar();
        UaRun r = UaRun.Start(
            ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "rabbit-hole",
             "--outbound-proxy", registrar.Uri, "--register"], s_limit, null, registrar.Endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Match(@"register Failed (401|403) \S"));
            Assert.That(r.Stdout, Does.Contain("ua stopping (registration failed)"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void UnreachableRegistrarExitsWithOneWithoutHanging()
    {
        // A TCP port nobody listens on: connection refused is a transport error at once (RFC 3261 §18.4).
        int closedPort;
        using (var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            closedPort = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        UaRun r = UaRun.Start(
            ["--listen", "tcp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
             "--outbound-proxy", $"sip:127.0.0.1:{closedPort};transport=tcp", "--register"], s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Match(@"register Failed \d{3} \S"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public void SilentRegistrarOverUdpIsBoundedByExitAfter()
    {
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        UaRun r = UaRun.Start(
            ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--outbound-proxy", $"sip:127.0.0.1:{port}", "--register", "--exit-after", "1"], s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Contain("ua stopping (--exit-after 1 s)"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        });
    }

    [TestCase(486, "Busy Here")]
    [TestCase(408, "Request Timeout")]
    [TestCase(603, "Decline")]
    public void RefusedCallExitsWithOneAndPrintsStatusAndReason(int status, string reason)
    {
        using var callee = new ScriptedCallee(status, reason);
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--call", callee.Uri(), "--duration", "1"], s_limit, null, callee.Endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Contain($"Ended {status} {reason}"));
            Assert.That(r.Stdout, Does.Contain($"call failed: {status} {reason}"));
            Assert.That(callee.Invites, Is.EqualTo(1));
        });
    }

    [Test]
    public void MalformedAnswerSdpEndsTheCallWith488AndExitsWithOne()
    {
        using var callee = new ScriptedCallee(200, "OK", BrokenSdp);
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--call", callee.Uri(), "--duration", "1"], s_limit, null, callee.Endpoint);
        // RFC 3261 §13.2.2.4: the 2xx is still ACKed, then the call is ended with BYE.
        for (int i = 0; i < 50 && callee.Byes == 0; i++) callee.Endpoint.Poll(TimeSpan.FromMilliseconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Contain("Ended 488 Not Acceptable Here"));
            Assert.That(callee.Acks, Is.EqualTo(1));
            Assert.That(callee.Byes, Is.EqualTo(1));
        });
    }

    [Test]
    public void CallAnsweredAndHungUpAfterDurationExitsWithZero()
    {
        using var peer = new Endpoint(new EndpointOptions());
        PeerAddress bound = peer.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{bound.Port}";
        UserAgentCore bob = peer.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:bob@example.test",
            ContactUri = $"sip:bob@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
            RtpPortBase = 42000,
        });
        SipCall? incoming = null;
        CallEvent? ended = null;
        bob.IncomingCall += c =>
        {
            incoming = c;
            c.Changed += e => { if (e.Kind == CallEventKind.Ended) ended = e; };
            c.Answer();
        };
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--call", $"sip:bob@{hostPort}", "--duration", "0.5"], s_limit, null, peer);
        for (int i = 0; i < 50 && ended is null; i++) peer.Poll(TimeSpan.FromMilliseconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain("Established 200"));
            Assert.That(r.Stdout, Does.Contain("Ended 0 Hung up (local)"));
            Assert.That(incoming, Is.Not.Null);
            Assert.That(ended?.ByLocal, Is.False, "bob saw our BYE");
        });
    }

    [Test]
    public void AutoAnswerTakesACallAndStopSignalUnregistersAndExits()
    {
        using var registrar = new LoopbackRegistrar();
        using var caller = new Endpoint(new EndpointOptions());
        PeerAddress bound = caller.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{bound.Port}";
        UserAgentCore carol = caller.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:carol@example.test",
            ContactUri = $"sip:carol@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
            RtpPortBase = 44000,
        });
        int uaPort = FreeUdpPort();
        SipCall? call = null;
        bool established = false;
        bool stopped = false;
        UaRun r = UaRun.Start(
            ["--listen", $"udp:127.0.0.1:{uaPort}", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
             "--outbound-proxy", registrar.Uri, "--register", "--auto-answer=0.2"],
            s_limit,
            (cts, output) =>
            {
                // Once registered, carol calls; once the call is up, carol hangs up and we "press Ctrl-C".
                if (call is null && registrar.Answers.Exists(a => a.Status == 200))
                {
                    call = carol.Invite($"sip:alice@127.0.0.1:{uaPort}", PeerAddress.Parse(TransportProtocol.Udp, $"127.0.0.1:{uaPort}"));
                    call.Changed += e => established |= e.Kind == CallEventKind.Established;
                }
                if (established && call!.State == CallState.Active) call.Hangup();
                // "Ctrl-C" once the UA has printed carol's BYE (else it would hang up first itself).
                if (established && output.Contains("BYE from the peer", StringComparison.Ordinal) && !stopped)
                {
                    stopped = true;
                    cts.Cancel();
                }
            },
            registrar.Endpoint, caller);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(established, Is.True);
            Assert.That(r.Stdout, Does.Contain("Incoming"));
            Assert.That(r.Stdout, Does.Contain("Ended 0 BYE from the peer (remote)"));
            Assert.That(r.Stdout, Does.Contain("ua stopping (signal)"));
            Assert.That(registrar.Answers[^1], Is.EqualTo((200, 0)));
        });
    }

    [Test]
    public void MessageAcceptedByThePeerExitsWithZero()
    {
        using var peer = new Endpoint(new EndpointOptions());
        PeerAddress bound = peer.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{bound.Port}";
        UserAgentCore bob = peer.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:bob@example.test",
            ContactUri = $"sip:bob@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
        });
        IncomingMessage? received = null;
        bob.MessageReceived += m => received = m;
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--message", $"sip:bob@{hostPort}", "grüße aus dem test"], s_limit, null, peer);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain("message Delivered 200 OK"));
            Assert.That(received?.Text, Is.EqualTo("grüße aus dem test"));
            Assert.That(received?.FromUri, Is.EqualTo("sip:alice@example.test"));
        });
    }

    [Test]
    public void MessageRefusedExitsWithOneAndPrintsStatusAndReason()
    {
        // The scripted callee answers everything but INVITE and BYE with 501 (RFC 3261 §21.5.2).
        using var callee = new ScriptedCallee(486, "Busy Here");
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--message", callee.Uri(), "hello"], s_limit, null, callee.Endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Contain("message Failed 501 Not Implemented"));
        });
    }

    [Test]
    public void SubscribePrintsTheNotifyAndUnsubscribesOnExit()
    {
        using var peer = new Endpoint(new EndpointOptions());
        PeerAddress bound = peer.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{bound.Port}";
        UserAgentCore bob = peer.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:bob@example.test",
            ContactUri = $"sip:bob@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
        });
        var presence = new FixedPresencePackage();
        bob.AddEventPackage(presence);
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--subscribe", $"sip:bob@{hostPort}", "--event", "presence", "--exit-after", "1"],
            s_limit, null, peer);
        for (int i = 0; i < 50 && bob.NotifierSubscriptions.Count > 0 && bob.NotifierSubscriptions[0].State != Sipwire.Events.SubscriptionState.Terminated; i++) peer.Poll(TimeSpan.FromMilliseconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(presence.Authorized, Is.EqualTo(1));
            // RFC 6665 §4.1.2.4: the immediate NOTIFY carries the state; its body is printed on one line.
            Assert.That(r.Stdout, Does.Match(@"subscribe Notified Active .*application/pidf\+xml .*<basic>open</basic>"));
            Assert.That(r.Stdout, Does.Contain("subscribe Terminated"), "unsubscribed (Expires: 0) on the way out");
        });
    }

    [Test]
    public void SubscribeToAnUnknownPackageExitsWithOneAndPrints489()
    {
        using var peer = new Endpoint(new EndpointOptions());
        PeerAddress bound = peer.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{bound.Port}";
        UserAgentCore bob = peer.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:bob@example.test",
            ContactUri = $"sip:bob@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
        });
        bob.AddEventPackage(new FixedPresencePackage());
        UaRun r = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--subscribe", $"sip:bob@{hostPort}", "--event", "dialog"],
            s_limit, null, peer);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            // RFC 6665 §8.3.1: 489 Bad Event for a package the notifier does not serve.
            Assert.That(r.Stdout, Does.Contain("489 Bad Event"));
        });
    }

    private static int FreeUdpPort()
    {
        using var s = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.Client.LocalEndPoint!).Port;
    }
}
