// INVITE and non-INVITE server transactions: every state, transition and timer of RFC 3261 §17.2 / RFC 6026 §7.1.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.Sip;
using Sipwire.Transactions;
using static Sipwire.Tests.Transactions.TestMessages;

namespace Sipwire.Tests.Transactions;

[TestFixture]
public sealed class ServerTransactionTests
{
    private const long Ms = 1000;

    private static long[] L(params long[] values) => values;

    private static T[] A<T>(params T[] values) => values;
    private SimNetwork _net = null!;
    private BlackHole _client = null!;
    private SimNode _server = null!;
    private long _t0;

    [SetUp]
    public void SetUp()
    {
        _net = new SimNetwork(2) { DefaultLink = LinkConditions.Perfect with { Delay = TimeSpan.Zero } };
        _client = new BlackHole(_net, "10.0.0.1:5060");
        _server = new SimNode(_net, "10.0.0.2:5060");
        _t0 = _net.Clock.NowMicros;
    }

    private void Send(byte[] request)
    {
        _net.Send(_client.Address, _server.Address, request);
        _net.RunFor(TimeSpan.FromMilliseconds(1));
    }

    private string[] StartLines() => _client.Received.Select(r => r.Packet.StartLine).ToArray();

    [Test]
    public void InviteProceedingSends100After200msAbsorbsRetransmission()
    {
        Send(Request("INVITE", "z9hG4bK-s1"));
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.State, Is.EqualTo(TransactionState.Proceeding));
        _net.RunUntil(_t0 + 199 * Ms);
        Assert.That(_client.Received, Is.Empty);
        _net.RunUntil(_t0 + 202 * Ms);
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 100 Trying")), "§17.2.1: 100 Trying when the TU is silent for 200 ms");
        string trying = _client.Received[0].Packet.Text;
        Assert.That(trying, Does.Contain("To: <sip:bob@test>\r\n"), "100 without a To tag");
        Assert.That(trying, Does.Contain("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-s1\r\n"));
        Send(Request("INVITE", "z9hG4bK-s1"));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(1), "the retransmitted INVITE is absorbed");
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 100 Trying", "SIP/2.0 100 Trying")), "and answered with the last provisional");
    }

    [Test]
    public void InviteAnsweredQuicklyGetsNoAutomatic100()
    {
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 180, "Ringing"u8, "t1"u8);
        Send(Request("INVITE", "z9hG4bK-s2"));
        _net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 180 Ringing")));
        Assert.That(_client.Received[0].Packet.Text, Does.Contain(";tag=t1\r\n"));
    }

    [Test]
    public void InviteCompletedTimerGDoublesToT2AckConfirmsTimerI()
    {
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 486, "Busy Here"u8, "t1"u8);
        Send(Request("INVITE", "z9hG4bK-s3"));
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
        _net.RunUntil(_t0 + 12_000 * Ms);
        long[] at = _client.Received.Select(r => (r.At - _t0) / Ms).ToArray();
        // §17.2.1: G at T1, 2T1, 4T1, then T2.
        Assert.That(at, Is.EqualTo(L(0, 500, 1500, 3500, 7500, 11500)));
        Send(Request("INVITE", "z9hG4bK-s3"));
        Assert.That(_client.Received, Has.Count.EqualTo(7), "a retransmitted INVITE gets the final response again");
        Send(Request("ACK", "z9hG4bK-s3", toTag: "t1"));
        Assert.That(t.State, Is.EqualTo(TransactionState.Confirmed));
        Assert.That(_server.Recorder.Acks, Is.Zero, "the ACK for a non-2xx stays in the transaction");
        Send(Request("ACK", "z9hG4bK-s3", toTag: "t1"));
        _net.RunFor(TimeSpan.FromMilliseconds(4990));
        Assert.That(_client.Received, Has.Count.EqualTo(7), "Confirmed: no retransmissions, ACKs absorbed");
        Assert.That(t.State, Is.EqualTo(TransactionState.Confirmed));
        _net.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.That(_server.Layer.Count, Is.Zero, "Timer I = T4");
    }

    [Test]
    public void InviteCompletedTimerHWithoutAck()
    {
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 404, "Not Found"u8, "t1"u8);
        Send(Request("INVITE", "z9hG4bK-s4"));
        _net.RunUntil(_t0 + 31_999 * Ms);
        Assert.That(_server.Recorder.Errors, Is.Empty);
        _net.RunUntil(_t0 + 32_002 * Ms);
        Assert.That(_server.Recorder.Errors.Single().Error, Is.EqualTo(TransactionError.AckTimeout));
        Assert.That(_server.Layer.Count, Is.Zero);
    }

    [Test]
    public void InviteAcceptedAbsorbsInvitePasses2xxAndAckTimerL()
    {
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 200, "OK"u8, "t1"u8);
        Send(Request("INVITE", "z9hG4bK-s5"));
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.State, Is.EqualTo(TransactionState.Accepted));
        Send(Request("INVITE", "z9hG4bK-s5"));
        Assert.That(_client.Received, Has.Count.EqualTo(1), "RFC 6026 §7.1: INVITE retransmissions are absorbed in Accepted");
        Assert.That(_server.Layer.Respond(t, 200, "OK"u8, "t1"u8), Is.True, "the TU's 2xx retransmission passes");
        Assert.That(_server.Layer.Respond(t, 486, "Busy"u8, "t1"u8), Is.False);
        Send(Request("ACK", "z9hG4bK-s5", toTag: "t1"));
        Assert.That(_server.Recorder.Events, Does.Contain("ack accepted"));
        _net.RunUntil(_t0 + 31_999 * Ms);
        Assert.That(t.State, Is.EqualTo(TransactionState.Accepted));
        _net.RunUntil(_t0 + 32_002 * Ms);
        Assert.That(_server.Layer.Count, Is.Zero, "Timer L = 64*T1");
        Assert.That(_client.Received, Has.Count.EqualTo(2), "no retransmission by the transaction itself");
    }

    [Test]
    public void NonInviteTryingAbsorbsProceedingAndCompletedResendTimerJ()
    {
        Send(Request("OPTIONS", "z9hG4bK-s6"));
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.State, Is.EqualTo(TransactionState.Trying));
        Send(Request("OPTIONS", "z9hG4bK-s6"));
        Assert.That(_client.Received, Is.Empty, "Trying absorbs retransmissions silently");
        _server.Layer.Respond(t, 183, "Progress"u8, "t1"u8);
        Assert.That(t.State, Is.EqualTo(TransactionState.Proceeding));
        Send(Request("OPTIONS", "z9hG4bK-s6"));
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 183 Progress", "SIP/2.0 183 Progress")));
        _server.Layer.Respond(t, 200, "OK"u8, "t1"u8);
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
        Send(Request("OPTIONS", "z9hG4bK-s6"));
        Assert.That(StartLines()[^1], Is.EqualTo("SIP/2.0 200 OK"));
        Assert.That(_client.Received, Has.Count.EqualTo(4));
        Assert.That(_server.Layer.Respond(t, 200, "OK"u8, "t1"u8), Is.False, "a second final response is refused");
        long completed = _net.Clock.NowMicros;
        _net.RunUntil(completed + 31_990 * Ms);
        Assert.That(_server.Layer.Count, Is.EqualTo(1));
        _net.RunUntil(completed + 32_001 * Ms);
        Assert.That(_server.Layer.Count, Is.Zero, "Timer J = 64*T1");
    }

    [Test]
    public void FullTableAnswers503Statelessly()
    {
        _server = new SimNode(_net, "10.0.0.3:5060", new EndpointOptions { MaxTransactions = 2 });
        foreach (string b in new[] { "z9hG4bK-1", "z9hG4bK-2", "z9hG4bK-3" })
        {
            _net.Send(_client.Address, _server.Address, Request("OPTIONS", b));
        }
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(2));
        Assert.That(_server.Layer.Count, Is.EqualTo(2));
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 503 Service Unavailable - Transaction Table Full")));
        Assert.That(_client.Received[0].Packet.Text, Does.Contain("\r\nRetry-After: 1\r\n"), "§21.5.4: when to retry; no timer runs, so the shortest value");
    }

    [Test]
    public void MatchingSentByAndBranchAndMethod()
    {
        Send(Request("OPTIONS", "z9hG4bK-m"));
        Send(Request("OPTIONS", "z9hG4bK-m", sentBy: "10.0.0.9:5060"));   // other sent-by: new transaction
        Send(Request("INFO", "z9hG4bK-m"));                              // other method: new transaction
        Send(Request("OPTIONS", "z9hG4bK-M"));                           // branch is case-sensitive
        Send(Request("OPTIONS", "z9hG4bK-m", sentBy: "10.0.0.1:5060"));   // retransmission
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public void Rfc4475BadBranchMatchedWithRfc2543Rules()
    {
        byte[] vector = SipVectors.Read("rfc4475/badbranch.dat");
        Send(vector);
        Send(vector);
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.IsRfc2543, Is.True, "a branch that is only the magic cookie is not unique");
        _server.Layer.Respond(t, 200, "OK"u8, "s"u8);
        Send(vector);
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(1));
        Assert.That(StartLines(), Is.EqualTo(A("SIP/2.0 200 OK", "SIP/2.0 200 OK")));
        // Another request differing only in the CSeq number is another transaction.
        Send(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(vector).Replace("CSeq: 8", "CSeq: 9", StringComparison.Ordinal)));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Rfc4475Inv2543RetransmissionAndAckMatchedByRfc2543Rules()
    {
        byte[] vector = SipVectors.Read("rfc4475/inv2543.dat");
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 488, "Not Acceptable Here"u8, "srv"u8);
        Send(vector);
        Send(vector);
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(t.IsRfc2543, Is.True);
        Assert.That(_client.Received, Has.Count.EqualTo(2));
        // The 488 went to the source IP with the sent-by default port 5060 (§18.2.2).
        Assert.That(_client.Received[0].Packet.To, Is.EqualTo(_client.Address));
        string ack = Encoding.ASCII.GetString(vector);
        ack = ack[..ack.IndexOf("\r\n\r\n", StringComparison.Ordinal)]
            .Replace("INVITE sip:UserB@example.com", "ACK sip:UserB@example.com", StringComparison.Ordinal)
            .Replace("CSeq: 56 INVITE", "CSeq: 56 ACK", StringComparison.Ordinal)
            .Replace("Content-Type: application/sdp\r\n", "", StringComparison.Ordinal);
        string wrongTag = ack.Replace("user=phone\r\nCall-ID", "user=phone;tag=other\r\nCall-ID", StringComparison.Ordinal);
        Send(Encoding.ASCII.GetBytes(wrongTag.Replace("To: sip:+16505552222@ss1.example.net;user=phone", "To: sip:+16505552222@ss1.example.net;user=phone;tag=other", StringComparison.Ordinal) + "\r\n\r\n"));
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed), "an ACK with another To tag does not match (§17.2.3)");
        Send(Encoding.ASCII.GetBytes(ack.Replace("To: sip:+16505552222@ss1.example.net;user=phone", "To: sip:+16505552222@ss1.example.net;user=phone;tag=srv", StringComparison.Ordinal) + "\r\n\r\n"));
        Assert.That(t.State, Is.EqualTo(TransactionState.Confirmed));
    }

    [Test]
    public void ResponseCarriesReceivedAndRport()
    {
        _server.Recorder.OnRequestHook = (tx, _) => _server.Layer.Respond(tx, 200, "OK"u8, "t"u8);
        byte[] req = Request("OPTIONS", "z9hG4bK-rp;rport", sentBy: "phone.local:5070");
        Send(req);
        string resp = _client.Received.Single().Packet.Text;
        Assert.That(resp, Does.Contain("Via: SIP/2.0/UDP phone.local:5070;branch=z9hG4bK-rp;rport=5060;received=10.0.0.1\r\n"));
        // RFC 3581 §4: with rport the response goes to the source port, not the sent-by port.
        Assert.That(_client.Received.Single().Packet.To.Port, Is.EqualTo(5060));
    }
}
