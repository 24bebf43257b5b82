// Our `sipwire proxy` as the edge in front of a Kamailio core (--no-registrar --next-hop): our UA behind it, baresip at Kamailio.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;
using Sipwire.Interop.Tests.Peers;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Kamailio;

/// <summary>
/// alice (our UA) registers and calls through our proxy, which pushes <c>Route: &lt;kamailio;lr&gt;</c> (RFC 3261
/// §16.12) and puts itself on the Path of her REGISTER (RFC 3327); Kamailio is the registrar (digest) and routes
/// to baresip (bob), registered with it directly, and back to alice through our proxy by the stored Path.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KamailioBehindProxyTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(10);
    private KamailioProcess? _kamailio;
    private BaresipProcess? _baresip;
    private Endpoint? _endpoint;
    private CancellationTokenSource? _stop;
    private Task<int>? _proxyTask;
    private StringWriter? _proxyLog;
    private PeerAddress _proxy;
    private UserAgentCore? _alice;
    private Registration? _registration;
    private readonly List<(SipCall Call, CallEvent Event)> _events = [];
    private readonly List<SipCall> _incoming = [];
    private readonly List<IncomingMessage> _messages = [];
    private readonly List<MessageEvent> _messageEvents = [];

    [TearDown]
    public void TearDown()
    {
        _endpoint?.Dispose();
        _baresip?.Dispose();
        _stop?.Cancel();
        bool stopped = _proxyTask?.Wait(TimeSpan.FromSeconds(10)) ?? true;
        _kamailio?.Dispose();
        _stop?.Dispose();
        if (_proxyTask is { IsCompleted: true }) _proxyTask.Dispose();
        _proxyLog?.Dispose();
        Assert.That(stopped, Is.True, "our proxy stops on cancellation");
    }

    private void Poll() => _endpoint!.Poll(TimeSpan.FromMilliseconds(20));

    private string Logs => $"\n--- alice: {_incoming.Count} incoming, events: {string.Join("; ", _events.ConvertAll(e => e.Event.ToString()))}" + "\n--- our proxy\n" + _proxyLog + "\n--- kamailio\n" + _kamailio?.Output + "\n--- baresip\n" + (_baresip is null ? "" : string.Join('\n', _baresip.Messages) + "\n" + _baresip.Output);

    /// <summary>Kamailio, our proxy in front of it, alice registered through our proxy, baresip registered at Kamailio.</summary>
    private void Start(bool stateless = false, bool baresipTrace = false, bool tcp = false)
    {
        // NUnit runs every test case on one fixture instance: nothing may carry over from the previous case.
        _events.Clear();
        _incoming.Clear();
        _messages.Clear();
        _messageEvents.Clear();
        _kamailio = new KamailioProcess();
        _proxyLog = new StringWriter();
        TextWriter log = TextWriter.Synchronized(_proxyLog);
        _stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Over TCP the Path names our TCP listener: it shares the UDP listener's port, which Via and Record-Route name.
        int port = tcp ? PeerProcess.FreeUdpPort() : 0;
        var args = new List<string> { "--listen", $"udp:127.0.0.1:{port}", "--domain", KamailioProcess.Domain, "--no-registrar",
            "--next-hop", _kamailio.Uri + (tcp ? ";transport=tcp" : "") };
        if (tcp) args.AddRange(["--listen", $"tcp:127.0.0.1:{port}"]);
        if (stateless) args.Add("--stateless");
        CancellationToken token = _stop.Token;
        _proxyTask = Task.Factory.StartNew(() => ServerCommand.Run("proxy", [.. args], log, log, b => ready.TrySetResult(b), token), TaskCreationOptions.LongRunning);
        Assert.That(Task.WhenAny(ready.Task, _proxyTask).Result, Is.SameAs(ready.Task), "our proxy starts: " + _proxyLog);
        _proxy = ready.Task.Result[0];
        Assert.That(_proxyLog.ToString(), Does.Contain($"next hop {_kamailio.Uri}"));

        // baresip first: its port is picked free for UDP only, and sip_listen binds TCP too - a port that our TCP
        // connection to Kamailio took as its local port would make it exit with EADDRINUSE.
        _baresip = new BaresipProcess(_kamailio.Port, autoAnswer: true, sipTrace: baresipTrace);
        _baresip.Connect(s_step);
        _kamailio.WaitFor(() => _kamailio.Output.Contains("SAVE user=bob", StringComparison.Ordinal), s_step, "baresip's registration at Kamailio" + Logs);

        _endpoint = new Endpoint(new EndpointOptions());
        PeerAddress local = _endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{local.Port}";
        _alice = _endpoint.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
            RtpPortBase = 46300,
            Credentials = [new SipCredentials("alice", "wonderland")],
        });
        _alice.IncomingCall += c =>
        {
            _incoming.Add(c);
            c.Changed += e => _events.Add((c, e));
            c.Answer();
        };
        _alice.MessageReceived += _messages.Add;
        _alice.MessageCompleted += _messageEvents.Add;
        _registration = _alice.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            Destination = _proxy,
            LocalSentBy = hostPort,
            Expires = 600,
            Credentials = [new SipCredentials("alice", "wonderland")],
        });
        _registration.Start();
        _kamailio.WaitFor(() => _registration.State == RegistrationState.Registered, s_step, "alice's registration through our proxy" + Logs, Poll);

    }

    private void WaitEvent(SipCall call, CallEventKind kind, string what) =>
        _kamailio!.WaitFor(() => _events.Exists(e => e.Call == call && e.Event.Kind == kind), s_step, what + Logs, Poll);

    /// <summary>Kamailio's stderr reaches us asynchronously: a line it logged may arrive a moment after the SIP effect.</summary>
    private void WaitKamailioLog(string pattern, string what) =>
        _kamailio!.WaitFor(() => Regex.IsMatch(_kamailio.Output, pattern), s_step, what + " (" + pattern + ")" + Logs, Poll);

    private void WaitBaresip(string type, int count, string what) =>
        _kamailio!.WaitFor(() => _baresip!.CountEvents(type) >= count, s_step, what + Logs, Poll);

    [TestCase(false)]
    [TestCase(true)]
    public void OurUaRegistersThroughOurProxyWithKamailiosDigestAndPath(bool stateless)
    {
        Start(stateless);
        // RFC 3327: Kamailio stored our Path (with the flow token of alice's flow) with her binding.
        WaitKamailioLog($@"SAVE user=alice expires=600 contact=<sip:alice@127\.0\.0\.1:\d+>\S* path=<sip:ft-[0-9a-f]+@127\.0\.0\.1:{_proxy.Port};lr>", "the stored Path");
        string kamailio = _kamailio!.Output;
        // Kamailio's 401 went back through us, and both REGISTERs came to Kamailio from our proxy's port.
        Assert.That(kamailio, Does.Match(@"CHALLENGE \S+ user=alice"), Logs);
        Assert.That(Regex.Count(kamailio, $@"REQ REGISTER sip:example\.test from 127\.0\.0\.1:{_proxy.Port}\b"), Is.GreaterThanOrEqualTo(2), Logs);
        if (!stateless) Assert.That(_proxyLog!.ToString(), Does.Contain("REGISTER").And.Contain("401"), "the stateful proxy logs the challenged REGISTER");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CallsBothWaysAndHangUpsFromEitherSide(bool stateless)
    {
        Start(stateless);
        int kamailioPort = _kamailio!.Port;

        // 1. alice → our proxy → Kamailio → baresip; alice hangs up.
        SipCall c1 = _alice!.Invite("sip:bob@example.test", _proxy);
        c1.Changed += e => _events.Add((c1, e));
        WaitEvent(c1, CallEventKind.Established, "alice's call to baresip");
        WaitBaresip("CALL_ESTABLISHED", 1, "baresip to see alice's call up");
        WaitKamailioLog($@"REQ INVITE sip:bob@example\.test from 127\.0\.0\.1:{_proxy.Port}\b", "the INVITE reached Kamailio from our proxy");
        Assert.That(c1.Hangup(), Is.True);
        WaitEvent(c1, CallEventKind.Ended, "the answer to alice's BYE");
        WaitBaresip("CALL_CLOSED", 1, "baresip to see alice's BYE");

        // 2. baresip → Kamailio → (Path) our proxy → alice; baresip hangs up.
        _baresip!.Command("dial", "sip:alice@example.test", Poll);
        _kamailio.WaitFor(() => _incoming.Count == 1, s_step, "baresip's INVITE through Kamailio and our proxy" + Logs, Poll);
        SipCall c2 = _incoming[0];
        WaitEvent(c2, CallEventKind.Established, "baresip's call to alice answered");
        WaitBaresip("CALL_ESTABLISHED", 2, "baresip to see its call up");
        _baresip.Command("hangup", "", Poll);
        WaitEvent(c2, CallEventKind.Ended, "baresip's BYE through Kamailio and our proxy");
        WaitBaresip("CALL_CLOSED", 2, "baresip's call closed");

        // 3. baresip → alice again; alice hangs up (her BYE follows the recorded route: our proxy, Kamailio).
        _baresip.Command("dial", "sip:alice@example.test", Poll);
        _kamailio.WaitFor(() => _incoming.Count == 2, s_step, "baresip's second INVITE" + Logs, Poll);
        SipCall c3 = _incoming[1];
        WaitEvent(c3, CallEventKind.Established, "baresip's second call answered");
        WaitBaresip("CALL_ESTABLISHED", 3, "baresip to see its second call up");
        Assert.That(c3.Hangup(), Is.True);
        WaitEvent(c3, CallEventKind.Ended, "the answer to alice's BYE for baresip's call");
        WaitBaresip("CALL_CLOSED", 3, "baresip to see alice's BYE");
        WaitKamailioLog($@"REQ BYE sip:\S+ from 127\.0\.0\.1:{_proxy.Port}\b", "alice's BYE came to Kamailio through our proxy");

        // 4. alice → baresip again; baresip hangs up.
        SipCall c4 = _alice.Invite("sip:bob@example.test", _proxy);
        c4.Changed += e => _events.Add((c4, e));
        WaitEvent(c4, CallEventKind.Established, "alice's second call to baresip");
        WaitBaresip("CALL_ESTABLISHED", 4, "baresip to see alice's second call up");
        _baresip.Command("hangup", "", Poll);
        WaitEvent(c4, CallEventKind.Ended, "baresip's BYE for alice's call");
        Assert.That(kamailioPort, Is.EqualTo(_kamailio.Port));
        Assert.That(_events.Exists(e => e.Event.Kind == CallEventKind.UpdateFailed), Is.False, Logs);
    }

    [Test]
    public void WithTheNextHopOverTcpCallsGoBothWays()
    {
        Start(tcp: true);
        // Kamailio stored a Path that brings requests for alice back to our TCP listener (§19.1.1 transport=tcp).
        WaitKamailioLog($@"path=<sip:ft-[0-9a-f]+@127\.0\.0\.1:{_proxy.Port};transport=tcp;lr>", "Kamailio's log of the stored Path");

        SipCall c1 = _alice!.Invite("sip:bob@example.test", _proxy);
        c1.Changed += e => _events.Add((c1, e));
        WaitEvent(c1, CallEventKind.Established, "alice's call to baresip over the TCP next hop");
        WaitBaresip("CALL_ESTABLISHED", 1, "baresip to see alice's call up");
        Assert.That(c1.Hangup(), Is.True);
        WaitEvent(c1, CallEventKind.Ended, "the answer to alice's BYE");

        _baresip!.Command("dial", "sip:alice@example.test", Poll);
        _kamailio!.WaitFor(() => _incoming.Count == 1, s_step, "baresip's INVITE over Kamailio's TCP connection to us" + Logs, Poll);
        WaitEvent(_incoming[0], CallEventKind.Established, "baresip's call to alice answered");
        _baresip.Command("hangup", "", Poll);
        WaitEvent(_incoming[0], CallEventKind.Ended, "baresip's BYE");
    }

    [Test]
    public void MessagesGoBothWays()
    {
        Start(baresipTrace: true);
        int id = _alice!.SendMessage("sip:bob@example.test", _proxy, "text/plain", "hello bob, from behind the edge"u8);
        Assert.That(id, Is.GreaterThan(0));
        _kamailio!.WaitFor(() => _messageEvents.Exists(e => e.MessageId == id && e.Kind == MessageEventKind.Delivered), s_step, "alice's MESSAGE delivered" + Logs, Poll);
        _kamailio.WaitFor(() => _baresip!.Output.Contains("hello bob, from behind the edge", StringComparison.Ordinal), s_step, "baresip's trace of alice's MESSAGE" + Logs, Poll);

        _baresip!.Command("contact_next", "", Poll);
        _baresip.Command("message", "hello alice, from baresip", Poll);
        _kamailio.WaitFor(() => _messages.Count == 1, s_step, "baresip's MESSAGE through Kamailio and our proxy" + Logs, Poll);
        Assert.That(_messages[0].Text, Is.EqualTo("hello alice, from baresip"));
        Assert.That(_messages[0].FromUri, Is.EqualTo("sip:bob@example.test"));
    }
}
