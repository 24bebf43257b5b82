// A call from our UA through a Kamailio that challenges INVITE and BYE with 407 (proxy_challenge / pv_proxy_authenticate) to baresip.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using NUnit.Framework;
using Sipwire.Interop.Tests.Peers;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Kamailio;

[TestFixture]
[NonParallelizable]
public sealed class KamailioCallAuthTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(10);
    private KamailioProcess? _kamailio;
    private BaresipProcess? _baresip;
    private Endpoint? _endpoint;
    private readonly List<CallEvent> _events = [];

    [TearDown]
    public void TearDown()
    {
        _endpoint?.Dispose();
        _baresip?.Dispose();
        _kamailio?.Dispose();
    }

    private void Poll() => _endpoint!.Poll(TimeSpan.FromMilliseconds(20));

    private UserAgentCore StartAlice(string password)
    {
        _events.Clear();
        _kamailio = new KamailioProcess(challengeCalls: true);
        _endpoint = new Endpoint(new EndpointOptions());
        PeerAddress local = _endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{local.Port}";
        return _endpoint.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
            RtpPortBase = 46200,
            Credentials = [new SipCredentials("alice", password)],
            OutboundProxy = _kamailio.Uri,
        });
    }

    private void StartBaresip()
    {
        _baresip = new BaresipProcess(_kamailio!.Port, autoAnswer: true);
        _baresip.Connect(s_step);
        _kamailio.WaitFor(() => _kamailio.Output.Contains("SAVE user=bob", StringComparison.Ordinal), s_step, "bob's (baresip's) registration", Poll);
    }

    private PeerAddress Kamailio => PeerAddress.Parse(TransportProtocol.Udp, $"127.0.0.1:{_kamailio!.Port}");

    private void WaitEvent(CallEventKind kind, int count, string what) =>
        _kamailio!.WaitFor(() => _events.FindAll(e => e.Kind == kind).Count >= count, s_step,
            what + "\n" + string.Join('\n', _events) + "\n--- kamailio\n" + _kamailio.Output, Poll);

    // Kamailio's log reaches Output through a pipe read on another thread: a line it wrote before
    // the event we saw may not be there yet, so it is waited for, not asserted on a snapshot.
    private void WaitLog(string line) =>
        _kamailio!.WaitFor(() => _kamailio.Output.Contains(line, StringComparison.Ordinal), s_step, $"Kamailio's log line \"{line}\"", Poll);

    [Test]
    public void InviteChallengedWith407IsAnsweredAndTheCallToBaresipWorks()
    {
        UserAgentCore alice = StartAlice("wonderland");
        StartBaresip();
        SipCall call = alice.Invite("sip:bob@example.test", Kamailio);
        call.Changed += e => _events.Add(e);
        WaitEvent(CallEventKind.Established, 1, "the call through the challenging Kamailio to be answered");
        WaitLog("PROXY-CHALLENGE INVITE");
        WaitLog("PROXY-AUTH-OK INVITE");
        // The re-INVITE and the BYE go through Kamailio's route set with the cached credentials.
        Assert.That(call.Hold(), Is.True);
        WaitEvent(CallEventKind.MediaUpdated, 1, "the hold re-INVITE");
        Assert.That(call.Hangup(), Is.True);
        _kamailio!.WaitFor(() => _baresip!.CountEvents("CALL_CLOSED") >= 1, s_step,
            "baresip to see our BYE\n--- kamailio\n" + _kamailio.Output, Poll);
        WaitLog("PROXY-AUTH-OK BYE");
        Assert.That(_events.FindAll(e => e.Kind == CallEventKind.UpdateFailed), Is.Empty);
    }

    [Test]
    public void WrongPasswordEndsTheCallWith407()
    {
        UserAgentCore alice = StartAlice("looking-glass");
        SipCall call = alice.Invite("sip:bob@example.test", Kamailio);
        call.Changed += e => _events.Add(e);
        WaitEvent(CallEventKind.Ended, 1, "the refused call to end");
        CallEvent ended = _events.FindLast(e => e.Kind == CallEventKind.Ended)!;
        Assert.That(ended.StatusCode, Is.EqualTo(407), ended.ToString() + "\n" + _kamailio!.Output);
        Assert.That(ended.Reason, Does.Contain("refused"));
        _kamailio!.WaitFor(() => Challenges() >= 2, s_step, "Kamailio's log of both challenges", Poll);
        for (int i = 0; i < 25; i++) Poll(); // half a second for a retry that should not come
        Assert.That(Challenges(), Is.EqualTo(2), "one retry, no loop");
    }

    private int Challenges() => _kamailio!.Output.Split("PROXY-CHALLENGE INVITE").Length - 1;
}
