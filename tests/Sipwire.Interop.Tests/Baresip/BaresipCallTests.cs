// Calls between our UA and baresip through Kamailio: both directions, hold and resume, hang-up from either side.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using NUnit.Framework;
using Sipwire.Interop.Tests.Peers;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Baresip;

[TestFixture]
[NonParallelizable]
public sealed class BaresipCallTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(10);
    private KamailioProcess? _kamailio;
    private BaresipProcess? _baresip;
    private Endpoint? _endpoint;
    private UserAgentCore? _alice;
    private readonly List<(SipCall Call, CallEvent Event)> _events = [];
    private readonly List<SipCall> _incoming = [];

    [SetUp]
    public void SetUp()
    {
        _events.Clear();
        _incoming.Clear();
        _kamailio = new KamailioProcess();
        _endpoint = new Endpoint(new EndpointOptions());
        PeerAddress local = _endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        string hostPort = $"127.0.0.1:{local.Port}";
        _alice = _endpoint.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            LocalSentBy = hostPort,
            MediaAddress = IPAddress.Loopback,
            RtpPortBase = 46000,
        });
        _alice.IncomingCall += c =>
        {
            _incoming.Add(c);
            c.Changed += e => _events.Add((c, e));
        };
        Registration r = _alice.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            Destination = Kamailio,
            LocalSentBy = hostPort,
            Expires = 600,
            Credentials = [new SipCredentials("alice", "wonderland")],
        });
        r.Start();
        _kamailio.WaitFor(() => r.State == RegistrationState.Registered, s_step, "alice's registration", Poll);
    }

    [TearDown]
    public void TearDown()
    {
        _endpoint?.Dispose();
        _baresip?.Dispose();
        _kamailio?.Dispose();
    }

    private PeerAddress Kamailio => PeerAddress.Parse(TransportProtocol.Udp, $"127.0.0.1:{_kamailio!.Port}");

    private void Poll() => _endpoint!.Poll(TimeSpan.FromMilliseconds(20));

    private void StartBaresip(bool autoAnswer)
    {
        _baresip = new BaresipProcess(_kamailio!.Port, autoAnswer);
        _baresip.Connect(s_step);
        _kamailio.WaitFor(() => _kamailio.Output.Contains("SAVE user=bob", StringComparison.Ordinal), s_step, "bob's (baresip's) registration", Poll);
    }

    private void WaitCall(SipCall call, CallEventKind kind, int count, string what) =>
        _kamailio!.WaitFor(() => _events.FindAll(e => e.Call == call && e.Event.Kind == kind).Count >= count, s_step, what + "\n" + string.Join('\n', _baresip!.Messages) + "\n--- baresip\n" + _baresip.Output, Poll);

    private void WaitBaresip(string type, int count, string what) =>
        _kamailio!.WaitFor(() => _baresip!.CountEvents(type) >= count, s_step, what + "\n" + string.Join('\n', _baresip!.Messages) + "\n--- baresip\n" + _baresip.Output, Poll);

    [Test]
    public void WeCallBaresipHoldResumeAndBaresipHangsUp()
    {
        StartBaresip(autoAnswer: true);
        SipCall call = _alice!.Invite("sip:bob@example.test", Kamailio);
        call.Changed += e => _events.Add((call, e));
        WaitCall(call, CallEventKind.Established, 1, "the call to baresip to be answered");
        Assert.That(call.Audio, Is.Not.Null);
        WaitBaresip("CALL_ESTABLISHED", 1, "baresip to see the call up");

        // RFC 3264 §8.4: hold = re-INVITE with sendonly; baresip answers recvonly.
        Assert.That(call.Hold(), Is.True);
        WaitCall(call, CallEventKind.MediaUpdated, 1, "the hold re-INVITE");
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, false)), "holding: we only send");
        Assert.That(call.Resume(), Is.True);
        WaitCall(call, CallEventKind.MediaUpdated, 2, "the resume re-INVITE");
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, true)));

        _baresip!.Command("hangup", "", Poll);
        WaitCall(call, CallEventKind.Ended, 1, "baresip's BYE");
        CallEvent ended = _events.FindLast(e => e.Call == call).Event;
        Assert.Multiple(() =>
        {
            Assert.That(ended.ByLocal, Is.False);
            Assert.That(ended.StatusCode, Is.Zero);
            Assert.That(_events.FindAll(e => e.Event.Kind == CallEventKind.UpdateFailed), Is.Empty);
        });
    }

    [Test]
    public void BaresipCallsUsHoldsResumesAndWeHangUp()
    {
        StartBaresip(autoAnswer: false);
        _baresip!.Command("dial", "sip:alice@example.test", Poll);
        _kamailio!.WaitFor(() => _incoming.Count == 1, s_step, "baresip's INVITE through Kamailio" + "\n" + string.Join('\n', _baresip.Messages), Poll);
        SipCall call = _incoming[0];
        Assert.That(call.Answer(), Is.True);
        WaitCall(call, CallEventKind.Established, 1, "the ACK for our 200");
        WaitBaresip("CALL_ESTABLISHED", 1, "baresip to see the call up");

        _baresip.Command("hold", "", Poll);
        WaitCall(call, CallEventKind.MediaUpdated, 1, "baresip's hold re-INVITE");
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((false, true)), "held by the peer: we only receive");
        _baresip.Command("resume", "", Poll);
        WaitCall(call, CallEventKind.MediaUpdated, 2, "baresip's resume re-INVITE");
        Assert.That((call.Audio!.Send, call.Audio.Receive), Is.EqualTo((true, true)));

        Assert.That(call.Hangup(), Is.True);
        WaitBaresip("CALL_CLOSED", 1, "baresip to see our BYE");
        Assert.That(call.State, Is.EqualTo(CallState.Terminated));
    }

    [Test]
    public void BaresipHangsUpBeforeWeAnswer()
    {
        StartBaresip(autoAnswer: false);
        _baresip!.Command("dial", "sip:alice@example.test", Poll);
        _kamailio!.WaitFor(() => _incoming.Count == 1, s_step, "baresip's INVITE", Poll);
        SipCall call = _incoming[0];
        _baresip.Command("hangup", "", Poll);
        WaitCall(call, CallEventKind.Ended, 1, "the CANCEL");
        Assert.That(_events.FindLast(e => e.Call == call).Event.StatusCode, Is.EqualTo(487));
    }
}
