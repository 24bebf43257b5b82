// RFC 3263 §4.3 failover in virtual time: Timer F, 503 and transport errors move a request to the next target.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sipwire.Dns;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;
using static Sipwire.Tests.Transactions.TestMessages;

namespace Sipwire.Tests.Dns;

[TestFixture]
public sealed class TargetFailoverTests
{
    private const long Ms = 1000;

    private SimNetwork _net = null!;
    private RecordingUser _inner = null!;
    private SimNode _client = null!;
    private BlackHole _silent = null!;
    private SimNode _answering = null!;
    private SimNode _busy = null!;
    private string _method = "OPTIONS";

    [SetUp]
    public void SetUp()
    {
        _net = new SimNetwork(3);
        _inner = new RecordingUser();
        _client = new SimNode(_net, "10.0.0.1:5060", user: new FailoverTransactionUser(_inner));
        _silent = new BlackHole(_net, "10.0.1.1:5060");
        _answering = new SimNode(_net, "10.0.2.1:5060");
        _answering.Recorder.OnRequestHook = (t, request) =>
        {
            if (request.Method == SipMethod.Invite) _answering.Layer.Respond(t, 180, "Ringing"u8, "s2"u8);
            _answering.Layer.Respond(t, 200, "OK"u8, "s2"u8);
        };
        _busy = new SimNode(_net, "10.0.3.1:5060");
        _busy.Recorder.OnRequestHook = (t, request) => _busy.Layer.Respond(t, ServiceUnavailable(request));
    }

    /// <summary>503 with Retry-After (RFC 3261 §21.5.4, §20.33), echoing the request's Via, From, To, Call-ID and CSeq (§8.2.6.2).</summary>
    private static byte[] ServiceUnavailable(SipMessage request) => Encoding.ASCII.GetBytes(
        "SIP/2.0 503 Service Unavailable\r\n" +
        $"Via: {SipMessage.ToText(request.TopVia.Value)}\r\n" +
        $"From: {SipMessage.ToText(request.From.Value)}\r\n" +
        $"To: {SipMessage.ToText(request.To.Value)};tag=busy\r\n" +
        $"Call-ID: {SipMessage.ToText(request.CallId)}\r\n" +
        $"CSeq: {request.CSeqNumber} {SipMessage.ToText(request.CSeqMethodName)}\r\n" +
        "Retry-After: 120 (overloaded);duration=60\r\n" +
        "Content-Length: 0\r\n\r\n");

    private int Write(in PeerAddress target, ReadOnlySpan<byte> branch, Span<byte> destination)
    {
        byte[] r = Request(_method, Encoding.ASCII.GetString(branch), callId: "failover-1@test", cseq: 7);
        if (r.Length > destination.Length) return -1;
        r.CopyTo(destination);
        return r.Length;
    }

    private TargetFailover Start(string method, params PeerAddress[] targets)
    {
        _method = method;
        var f = new TargetFailover(_client.Layer, targets, Write);
        Assert.That(f.Start(), Is.True);
        return f;
    }

    private static string Branch(SimPacket p) => Regex.Match(p.Text, "branch=([^;\r]+)").Groups[1].Value;

    private SimPacket[] SentTo(PeerAddress to) => _net.Sent.Where(p => p.To == to && p.From == _client.Address).ToArray();

    [Test]
    public void SilentFirstTarget_TimerF_ThenTheSecondAnswers200()
    {
        long t0 = _net.Clock.NowMicros;
        TargetFailover f = Start("OPTIONS", _silent.Address, _answering.Address);
        _net.RunFor(TimeSpan.FromSeconds(40));

        SimPacket[] first = SentTo(_silent.Address);
        SimPacket[] second = SentTo(_answering.Address);
        // §17.1.2.2: the first target gets the request and its Timer E retransmissions until Timer F (64*T1).
        Assert.That(first, Has.Length.EqualTo(11));
        Assert.That(first.Select(Branch).Distinct().Count(), Is.EqualTo(1));
        Assert.That(second, Has.Length.EqualTo(1));
        Assert.That(second[0].SentAt - t0, Is.EqualTo(64 * 500 * Ms), "the retry leaves when Timer F fires");
        // RFC 3263 §4.3: identical request, new branch (a new transaction).
        Assert.That(Branch(second[0]), Is.Not.EqualTo(Branch(first[0])));
        Assert.That(Branch(second[0]), Does.StartWith("z9hG4bK"));
        Assert.That(second[0].Text.Replace(Branch(second[0]), "B", StringComparison.Ordinal),
            Is.EqualTo(first[0].Text.Replace(Branch(first[0]), "B", StringComparison.Ordinal)));

        Assert.That(_inner.Responses, Is.EqualTo(new[] { 200 }));
        Assert.That(_inner.Errors, Is.Empty, "the Timer F of the first target is not reported");
        Assert.That(f.IsFinished, Is.True);
        Assert.That(f.FinalStatusCode, Is.EqualTo(200));
        Assert.That(f.FinalError, Is.EqualTo(TransactionError.None));
        Assert.That(f.TargetIndex, Is.EqualTo(1));
        Assert.That(f.Attempts, Is.EqualTo(2));
        Assert.That(f.Current, Is.Null, "Timer K ended the last attempt");
        Assert.That(_client.Layer.Count, Is.Zero);
    }

    [Test]
    public void Invite503FromTheFirstTarget_TheSecondRingsAndAnswers()
    {
        TargetFailover f = Start("INVITE", _busy.Address, _answering.Address);
        _net.RunFor(TimeSpan.FromSeconds(1));

        // The INVITE client transaction ACKs the 503 itself (§17.1.1.3), then the request moves on.
        string[] toBusy = SentTo(_busy.Address).Select(p => p.StartLine).ToArray();
        Assert.That(toBusy, Is.EqualTo(new[] { "INVITE sip:bob@10.0.0.2 SIP/2.0", "ACK sip:bob@10.0.0.2 SIP/2.0" }));
        SimPacket[] toAnswering = SentTo(_answering.Address);
        Assert.That(toAnswering.Select(p => p.StartLine), Is.EqualTo(new[] { "INVITE sip:bob@10.0.0.2 SIP/2.0" }));
        Assert.That(Branch(toAnswering[0]), Is.Not.EqualTo(Branch(SentTo(_busy.Address)[0])));

        Assert.That(_inner.Responses, Is.EqualTo(new[] { 180, 200 }), "the 503 is consumed by the failover");
        Assert.That(f.FinalStatusCode, Is.EqualTo(200));
        Assert.That(f.LastRetryAfterSeconds, Is.EqualTo(120));
        Assert.That(f.Current?.State, Is.EqualTo(TransactionState.Accepted));
        Assert.That(TargetFailover.Of(f.Current!), Is.SameAs(f));
    }

    [Test]
    public void AllFail_TheLastTargetsTimeoutIsReported()
    {
        TargetFailover f = Start("OPTIONS", _busy.Address, _silent.Address);
        _net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(SentTo(_busy.Address), Has.Length.EqualTo(1));
        Assert.That(SentTo(_silent.Address), Has.Length.EqualTo(11));
        Assert.That(_inner.Responses, Is.Empty);
        Assert.That(_inner.Errors.Select(e => e.Error), Is.EqualTo(new[] { TransactionError.Timeout }));
        Assert.That(f.IsFinished, Is.True);
        Assert.That(f.FinalError, Is.EqualTo(TransactionError.Timeout));
        Assert.That(f.FinalStatusCode, Is.Zero);
        Assert.That(f.LastRetryAfterSeconds, Is.EqualTo(120), "the first target's 503 is remembered");
    }

    [Test]
    public void AllFail_TheLastTargets503IsReported()
    {
        TargetFailover f = Start("OPTIONS", _silent.Address, _silent.Address, _busy.Address);
        _net.RunFor(TimeSpan.FromSeconds(70));
        Assert.That(SentTo(_silent.Address), Has.Length.EqualTo(22), "both silent entries are tried");
        Assert.That(SentTo(_busy.Address), Has.Length.EqualTo(1));
        Assert.That(_inner.Responses, Is.EqualTo(new[] { 503 }));
        Assert.That(_inner.Errors, Is.Empty);
        Assert.That(f.FinalStatusCode, Is.EqualTo(503));
        Assert.That(f.Attempts, Is.EqualTo(3));
    }

    [Test]
    public void TransportError_MovesOnAtOnce()
    {
        _client.FailSends = true;
        TargetFailover f = Start("OPTIONS", _silent.Address, _answering.Address);
        _client.FailSends = false;
        long t0 = _net.Clock.NowMicros;
        _net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(SentTo(_silent.Address), Is.Empty);
        SimPacket[] second = SentTo(_answering.Address);
        Assert.That(second, Has.Length.EqualTo(1));
        Assert.That(second[0].SentAt, Is.EqualTo(t0), "§17.1.4: the transport error ends the attempt without waiting for Timer F");
        Assert.That(_inner.Responses, Is.EqualTo(new[] { 200 }));
        Assert.That(_inner.Errors, Is.Empty);
        Assert.That(f.TargetIndex, Is.EqualTo(1));
    }

    [Test]
    public void Cancel_StopsTheFailover()
    {
        TargetFailover f = Start("INVITE", _silent.Address, _answering.Address);
        Assert.That(f.Cancel(), Is.True, "§9.1: the CANCEL waits for a provisional response");
        _net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(SentTo(_answering.Address), Is.Empty);
        Assert.That(_inner.Errors.Select(e => e.Error), Is.EqualTo(new[] { TransactionError.Timeout }));
        Assert.That(f.FinalError, Is.EqualTo(TransactionError.Timeout));
    }

    [Test]
    public void TableFull_The503IsTheOutcome()
    {
        _client = new SimNode(_net, "10.0.0.9:5060", new EndpointOptions { MaxTransactions = 1 }, new FailoverTransactionUser(_inner));
        _method = "OPTIONS";
        var f = new TargetFailover(_client.Layer, [_busy.Address, _answering.Address], Write);
        Assert.That(f.Start(), Is.True);
        _net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(_inner.Responses, Is.EqualTo(new[] { 503 }), "the 503's transaction still holds the only slot");
        Assert.That(f.FinalStatusCode, Is.EqualTo(503));
        Assert.That(f.Attempts, Is.EqualTo(2));
        Assert.That(_net.Sent.Count(p => p.To == _answering.Address), Is.Zero);
    }

    [Test]
    public void NoTargets_FailsAtOnceWithoutUpcalls()
    {
        var f = new TargetFailover(_client.Layer, [], Write);
        Assert.That(f.Start(), Is.False);
        Assert.That(f.IsFinished, Is.True);
        Assert.That(f.FinalError, Is.EqualTo(TransactionError.TransportError));
        Assert.That(_inner.Events, Is.Empty);
        Assert.Throws<InvalidOperationException>(() => f.Start());
    }

    [Test]
    public void BadRequestFromTheWriter_IsRefusedOnStart()
    {
        var f = new TargetFailover(_client.Layer, [_answering.Address], (in PeerAddress _, ReadOnlySpan<byte> _, Span<byte> d) =>
        {
            "NOT SIP\r\n\r\n"u8.CopyTo(d);
            return 11;
        });
        Assert.Throws<ArgumentException>(() => f.Start());
        var empty = new TargetFailover(_client.Layer, [_answering.Address], (in PeerAddress _, ReadOnlySpan<byte> _, Span<byte> _) => 0);
        Assert.Throws<ArgumentException>(() => empty.Start());
    }

    [Test]
    public void LargeRequest_GetsALargerBuffer()
    {
        _method = "OPTIONS";
        int offered = 0;
        var f = new TargetFailover(_client.Layer, [_answering.Address], (in PeerAddress t, ReadOnlySpan<byte> b, Span<byte> d) =>
        {
            offered = d.Length;
            byte[] r = Request("OPTIONS", Encoding.ASCII.GetString(b), extra: "X-Pad: " + new string('p', 5000) + "\r\n");
            if (r.Length > d.Length) return -1;
            r.CopyTo(d);
            return r.Length;
        });
        Assert.That(f.Start(), Is.True);
        Assert.That(offered, Is.GreaterThanOrEqualTo(5000));
        _net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(f.FinalStatusCode, Is.EqualTo(200));
    }

    [Test]
    public void OtherTransactionsPassThroughUntouched()
    {
        Transaction? plain = _client.Layer.SendRequest(Request("OPTIONS", "z9hG4bK-plain"), _busy.Address);
        Assert.That(plain, Is.Not.Null);
        _net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(_inner.Responses, Is.EqualTo(new[] { 503 }), "a 503 outside a failover reaches the user");
    }
}
