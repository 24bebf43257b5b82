// INVITE and non-INVITE client transactions: every state, transition and timer of RFC 3261 §17.1 / RFC 6026 §7.2.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;
using static Sipwire.Tests.Transactions.TestMessages;

namespace Sipwire.Tests.Transactions;

[TestFixture]
public sealed class ClientTransactionTests
{
    private const long Ms = 1000;

    private static long[] L(params long[] values) => values;

    private static T[] A<T>(params T[] values) => values;
    private SimNetwork _net = null!;
    private SimNode _client = null!;
    private BlackHole _server = null!;
    private long _t0;

    [SetUp]
    public void SetUp()
    {
        _net = new SimNetwork(1) { DefaultLink = LinkConditions.Perfect with { Delay = TimeSpan.Zero } };
        _client = new SimNode(_net, "10.0.0.1:5060");
        _server = new BlackHole(_net, "10.0.0.2:5060");
        _t0 = _net.Clock.NowMicros;
    }

    private Transaction Start(string method, string branch = "z9hG4bK-c1")
    {
        Transaction? t = _client.Layer.SendRequest(Request(method, branch), _server.Address);
        Assert.That(t, Is.Not.Null);
        return t!;
    }

    private void Answer(byte[] response) => _net.Send(_server.Address, _client.Address, response);

    private long[] ArrivalsMs() => _server.Received.Select(r => (r.At - _t0) / Ms).ToArray();

    [Test]
    public void NonInviteTryingTimerEDoublesToT2ThenTimerFTimesOut()
    {
        Transaction t = Start("OPTIONS");
        Assert.That(t.State, Is.EqualTo(TransactionState.Trying));
        _net.RunFor(TimeSpan.FromSeconds(40));
        // §17.1.2.2: E at T1, 2T1, 4T1, then every T2 (4 s); F at 64*T1 = 32 s.
        Assert.That(ArrivalsMs(), Is.EqualTo(L(0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500)));
        Assert.That(_client.Recorder.Errors.Single().Error, Is.EqualTo(TransactionError.Timeout));
        Assert.That(_client.Recorder.Events.Last(), Is.EqualTo("terminated NonInviteClient"));
        Assert.That(_client.Layer.Count, Is.Zero);
    }

    [Test]
    public void NonInviteProceedingRetransmitsEveryT2FinalCompletesTimerK()
    {
        Transaction t = Start("REGISTER");
        _net.RunFor(TimeSpan.FromMilliseconds(600)); // sent at 0 and 500
        Answer(Response(100, "Trying", "REGISTER", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t.State, Is.EqualTo(TransactionState.Proceeding));
        _net.RunUntil(_t0 + 10_000 * Ms);
        // After 500 the next E was armed at 1500 (interval 1 s); from then on every T2.
        Assert.That(ArrivalsMs(), Is.EqualTo(L(0, 500, 1500, 5500, 9500)));
        Answer(Response(200, "OK", "REGISTER", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
        Answer(Response(200, "OK", "REGISTER", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(_client.Recorder.Responses, Is.EqualTo(A(100, 200)), "the retransmitted 200 is absorbed");
        long completedAt = _net.Clock.NowMicros;
        _net.RunFor(TimeSpan.FromSeconds(6));
        Assert.That(_client.Recorder.Terminated, Has.Count.EqualTo(1));
        Assert.That(_server.Received, Has.Count.EqualTo(5), "no retransmission in Completed");
        Assert.That(_client.Layer.Count, Is.Zero);
        _ = completedAt;
    }

    [Test]
    public void NonInviteCompletedTimerKIsT4()
    {
        Start("OPTIONS");
        Answer(Response(200, "OK", "OPTIONS", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(4999));
        Assert.That(_client.Layer.Count, Is.EqualTo(1));
        _net.RunFor(TimeSpan.FromMilliseconds(2));
        Assert.That(_client.Layer.Count, Is.Zero);
    }

    [Test]
    public void ReliableNoRetransmissionsCompletedEndsAtOnce()
    {
        Transaction? t = _client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-r1"), _server.Address.WithProtocol(TransportProtocol.Tcp));
        _net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(_server.Received, Has.Count.EqualTo(1));
        Answer(Response(200, "OK", "OPTIONS", "z9hG4bK-r1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t!.State, Is.EqualTo(TransactionState.Terminated));
    }

    [Test]
    public void InviteCallingTimerADoublesTimerBTimesOut()
    {
        Transaction t = Start("INVITE");
        Assert.That(t.State, Is.EqualTo(TransactionState.Calling));
        _net.RunFor(TimeSpan.FromSeconds(40));
        // §17.1.1.2: A doubles without a cap; B at 64*T1.
        Assert.That(ArrivalsMs(), Is.EqualTo(L(0, 500, 1500, 3500, 7500, 15500, 31500)));
        Assert.That(_client.Recorder.Errors.Single().Error, Is.EqualTo(TransactionError.Timeout));
        Assert.That(_client.Recorder.Errors.Single().Tx.Kind, Is.EqualTo(TransactionKind.InviteClient));
    }

    [Test]
    public void InviteTimerBFiresAt64T1WithCustomT1()
    {
        _client = new SimNode(_net, "10.0.0.3:5060", new EndpointOptions { T1 = TimeSpan.FromMilliseconds(100), T2 = TimeSpan.FromMilliseconds(400) });
        _client.Layer.SendRequest(Request("INVITE", "z9hG4bK-b"), _server.Address);
        _net.RunFor(TimeSpan.FromMilliseconds(6399));
        Assert.That(_client.Recorder.Errors, Is.Empty);
        _net.RunFor(TimeSpan.FromMilliseconds(2));
        Assert.That(_client.Recorder.Errors.Single().Error, Is.EqualTo(TransactionError.Timeout));
    }

    [Test]
    public void InviteProceedingStopsTimersABNonSuccessFinalSendsAckTimerD()
    {
        Transaction t = Start("INVITE");
        Answer(Response(180, "Ringing", "INVITE", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t.State, Is.EqualTo(TransactionState.Proceeding));
        _net.RunFor(TimeSpan.FromSeconds(60));
        Assert.That(_server.Received, Has.Count.EqualTo(1), "no retransmission in Proceeding");
        Assert.That(_client.Recorder.Errors, Is.Empty, "Timer B does not run in Proceeding");

        Answer(Response(486, "Busy Here", "INVITE", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
        SimPacket ack = _server.Received[^1].Packet;
        Assert.That(ack.StartLine, Is.EqualTo("ACK sip:bob@10.0.0.2 SIP/2.0"));
        Assert.That(ack.Text, Does.Contain("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-c1\r\n"));
        Assert.That(ack.Text, Does.Contain("To: <sip:bob@test>;tag=b1\r\n"));
        Assert.That(ack.Text, Does.Contain("CSeq: 1 ACK\r\n"));

        Answer(Response(486, "Busy Here", "INVITE", "z9hG4bK-c1"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(_server.Received, Has.Count.EqualTo(3), "a retransmitted 486 is ACKed again");
        Assert.That(_client.Recorder.Responses, Is.EqualTo(A(180, 486)), "and absorbed");

        _net.RunFor(TimeSpan.FromSeconds(31.9));
        Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
        _net.RunFor(TimeSpan.FromSeconds(0.2));
        Assert.That(_client.Layer.Count, Is.Zero, "Timer D = 32 s");
    }

    [Test]
    public void InviteSuccessAcceptedPassesEvery2xxTimerM()
    {
        Transaction t = Start("INVITE");
        Answer(Response(200, "OK", "INVITE", "z9hG4bK-c1", toTag: "x"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t.State, Is.EqualTo(TransactionState.Accepted));
        Answer(Response(200, "OK", "INVITE", "z9hG4bK-c1", toTag: "x"));
        Answer(Response(200, "OK", "INVITE", "z9hG4bK-c1", toTag: "y"));
        Answer(Response(486, "Busy", "INVITE", "z9hG4bK-c1", toTag: "z"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        // RFC 6026 §7.2: 2xx retransmissions and forks go up; the TU ACKs them. Nothing else does.
        Assert.That(_client.Recorder.Responses, Is.EqualTo(A(200, 200, 200)));
        Assert.That(_server.Received, Has.Count.EqualTo(1), "the transaction sends no ACK for 2xx");
        _net.RunFor(TimeSpan.FromMilliseconds(31_990));
        Assert.That(t.State, Is.EqualTo(TransactionState.Accepted));
        _net.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.That(_client.Layer.Count, Is.Zero, "Timer M = 64*T1");
    }

    [Test]
    public void ReliableInviteNonSuccessTerminatesAtOnce()
    {
        Transaction? t = _client.Layer.SendRequest(Request("INVITE", "z9hG4bK-r2"), _server.Address.WithProtocol(TransportProtocol.Tcp));
        Answer(Response(603, "Decline", "INVITE", "z9hG4bK-r2"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(t!.State, Is.EqualTo(TransactionState.Terminated), "Timer D is zero over reliable transports");
        Assert.That(_server.Received[^1].Packet.StartLine, Does.StartWith("ACK "));
    }

    [Test]
    public void TransportErrorEndsTransaction()
    {
        _client.FailSends = true;
        _client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-e"), _server.Address);
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(_client.Recorder.Errors.Single().Error, Is.EqualTo(TransactionError.TransportError));
        Assert.That(_client.Layer.Count, Is.Zero);
    }

    [Test]
    public void ResponseMatchingUsesBranchAndCSeqMethod()
    {
        Start("INVITE", "z9hG4bK-m");
        Answer(Response(200, "OK", "CANCEL", "z9hG4bK-m"));       // same branch, other method: no match (§17.1.3)
        Answer(Response(180, "Ringing", "INVITE", "z9hG4bK-other"));
        Answer(Response(180, "Ringing", "INVITE", "z9hG4bK-m"));
        _net.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.That(_client.Recorder.Strays, Is.EqualTo(2));
        Assert.That(_client.Recorder.Responses, Is.EqualTo(A(180)));
    }

    [Test]
    public void SendRequestRejectsAckAndCookielessBranchAndDuplicates()
    {
        Assert.Throws<ArgumentException>(() => _client.Layer.SendRequest(Request("ACK", "z9hG4bK-a"), _server.Address));
        Assert.Throws<ArgumentException>(() => _client.Layer.SendRequest(Request("OPTIONS", "1234"), _server.Address));
        Assert.Throws<ArgumentException>(() => _client.Layer.SendRequest("garbage"u8, _server.Address));
        Start("OPTIONS", "z9hG4bK-d");
        Assert.Throws<ArgumentException>(() => _client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-d"), _server.Address));
    }

    [Test]
    public void FullTableRefusesNewClientTransactions()
    {
        _client = new SimNode(_net, "10.0.0.4:5060", new EndpointOptions { MaxTransactions = 2 });
        Assert.That(_client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-1"), _server.Address), Is.Not.Null);
        Assert.That(_client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-2"), _server.Address), Is.Not.Null);
        Assert.That(_client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-3"), _server.Address), Is.Null);
    }
}
