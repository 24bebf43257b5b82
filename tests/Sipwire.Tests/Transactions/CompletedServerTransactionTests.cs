// Completed non-INVITE server transactions over UDP kept as key + response (RFC 3261 §17.2.2), and the table-full 503's Retry-After (§21.5.4, §20.33).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using static Sipwire.Tests.Transactions.TestMessages;

namespace Sipwire.Tests.Transactions;

[TestFixture]
public sealed class CompletedServerTransactionTests
{
    private const long Ms = 1000;
    private SimNetwork _net = null!;
    private BlackHole _client = null!;
    private SimNode _server = null!;

    [SetUp]
    public void SetUp()
    {
        _net = new SimNetwork(7) { DefaultLink = LinkConditions.Perfect with { Delay = TimeSpan.Zero } };
        _client = new BlackHole(_net, "10.0.0.1:5060");
        Server(new EndpointOptions());
    }

    private void Server(EndpointOptions options, bool compact = true)
    {
        _server = new SimNode(_net, $"10.0.1.{++_servers}:5060", options);
        _server.Layer.CompactCompleted = compact;
        _server.Recorder.OnRequestHook = (tx, req) =>
        {
            // Each response names its request's CSeq in the reason, so a resent response can be told from any other.
            string reason = "OK " + req.CSeqNumber;
            _server.Layer.Respond(tx, 200, Encoding.ASCII.GetBytes(reason), "t"u8);
        };
    }

    private int _servers;

    private void Send(byte[] request)
    {
        _net.Send(_client.Address, _server.Address, request);
        _net.RunFor(TimeSpan.FromMilliseconds(1));
    }

    private string Last => _client.Received[^1].Packet.Text;

    [Test]
    public void FinalResponseEndsTheTuViewButRetransmissionsGetTheSameBytesUntilTimerJ([Values] bool compact)
    {
        Server(new EndpointOptions(), compact);
        byte[] options = Request("OPTIONS", "z9hG4bK-c1;rport", cseq: 7);
        long completed = _net.Clock.NowMicros; // no link delay: answered at once
        Send(options);
        Transaction t = _server.Recorder.Requests.Single();
        byte[] first = _client.Received.Single().Packet.Data;
        if (compact)
        {
            // As over TCP (§17.2.2, Timer J = 0): nothing reaches the TU any more, so its view ends here.
            Assert.That(_server.Recorder.Terminated, Is.EqualTo(new[] { t }));
            Assert.That(t.State, Is.EqualTo(TransactionState.Terminated));
            Assert.That(_server.Layer.CompletedCount, Is.EqualTo(1));
        }
        else
        {
            Assert.That(t.State, Is.EqualTo(TransactionState.Completed));
            Assert.That(_server.Layer.CompletedCount, Is.Zero);
        }
        Assert.That(_server.Layer.Count, Is.EqualTo(1), "a Completed transaction counts against the table");

        // A later request reuses the pooled object; the retransmission must still get the first response.
        Send(Request("OPTIONS", "z9hG4bK-c2", cseq: 8));
        Send(options);
        Send(options);
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(2), "retransmissions are absorbed");
        Assert.That(_client.Received[^1].Packet.Data, Is.EqualTo(first), "§17.2.2: the same response, byte for byte");
        Assert.That(_client.Received[^2].Packet.Data, Is.EqualTo(first));
        Assert.That(_client.Received[^1].Packet.To, Is.EqualTo(_client.Address), "to the rport destination (RFC 3581 §4)");

        _net.RunUntil(completed + 31_990 * Ms);
        Assert.That(_server.Layer.Count, Is.EqualTo(2));
        Assert.That(_server.Layer.NextDeadline, Is.EqualTo(completed + 32_000 * Ms), "Timer J is the layer's next deadline");
        _net.RunUntil(completed + 32_000 * Ms + 500); // the second one (sent 1 ms later) is still there
        Assert.That(_server.Layer.Count, Is.EqualTo(1), "Timer J = 64*T1 ended the first one");
        Send(options);
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(3), "after Timer J the same request is a new transaction");
    }

    [Test]
    public void ProvisionalThenFinalStillAbsorbedAndSecondFinalRefused()
    {
        _server.Recorder.OnRequestHook = null;
        Send(Request("REGISTER", "z9hG4bK-p1"));
        Transaction t = _server.Recorder.Requests.Single();
        Assert.That(_server.Layer.Respond(t, 100, "Trying"u8, []), Is.True);
        Assert.That(_server.Layer.Respond(t, 200, "OK"u8, "x"u8), Is.True);
        Assert.That(_server.Layer.Respond(t, 200, "OK"u8, "x"u8), Is.False, "a second final response is refused");
        Send(Request("REGISTER", "z9hG4bK-p1"));
        Assert.That(_client.Received.Select(r => r.Packet.StartLine), Is.EqualTo(new[] { "SIP/2.0 100 Trying", "SIP/2.0 200 OK", "SIP/2.0 200 OK" }));
    }

    [Test]
    public void ThousandsOfEntriesWrapTheRingsAndEachRetransmissionGetsItsOwnResponse()
    {
        // T1 = 10 ms: Timer J = 640 ms. Requests every 1 ms with varying sizes, so the byte ring wraps and grows
        // while its head expires; every 7th request is retransmitted 500 ms later and must get its own response.
        Server(new EndpointOptions { MaxTransactions = 4096, T1 = TimeSpan.FromMilliseconds(10), T2 = TimeSpan.FromMilliseconds(40) });
        const int Total = 3000;
        var sentAt = new long[Total];
        int resent = 0;
        for (int i = 0; i < Total; i++)
        {
            string pad = new('x', (i * 37) % 300);
            Send(Request("OPTIONS", $"z9hG4bK-w{i}", cseq: i + 1, extra: $"Subject: {pad}\r\n"));
            sentAt[i] = _net.Clock.NowMicros;
            int old = i - 500;
            if (old >= 0 && old % 7 == 0)
            {
                Send(Request("OPTIONS", $"z9hG4bK-w{old}", cseq: old + 1, extra: $"Subject: {new string('x', (old * 37) % 300)}\r\n"));
                Assert.That(Last, Does.StartWith($"SIP/2.0 200 OK {old + 1}\r\n"));
                Assert.That(Last, Does.Contain($"branch=z9hG4bK-w{old}\r\n"));
                resent++;
            }
        }
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(Total), "no retransmission became a new transaction");
        Assert.That(resent, Is.GreaterThan(300));
        // 3000 requests plus 357 retransmissions at 1 ms each: ~1.12 ms per request, so ~570 lie in the last 640 ms.
        Assert.That(_server.Layer.CompletedCount, Is.InRange(540, 600), "only the last 640 ms of entries are alive");
        _net.RunFor(TimeSpan.FromMilliseconds(700));
        Assert.That(_server.Layer.Count, Is.Zero);
        Assert.That(_server.Layer.CompletedFootprintBytes, Is.LessThan(16_384), "the rings shrink back once empty");
    }

    [Test]
    public void Rfc2543RequestWithAnotherToTagIsNotARetransmission()
    {
        // §17.2.3: without an RFC 3261 branch, the To tag of the request is part of the match.
        byte[] a = Request("OPTIONS", "old-branch-1", toTag: "one");
        Send(a);
        Send(a);
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(1));
        Assert.That(_server.Layer.CompletedCount, Is.EqualTo(1));
        Send(Request("OPTIONS", "old-branch-1", toTag: "two"));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void FullTableGets503WithRetryAfterUntilTheOldestCompletedEntryEnds()
    {
        Server(new EndpointOptions { MaxTransactions = 3 });
        long t0 = _net.Clock.NowMicros;
        Send(Request("OPTIONS", "z9hG4bK-f1"));
        _net.RunUntil(t0 + 10_000 * Ms);
        Send(Request("OPTIONS", "z9hG4bK-f2"));
        Send(Request("OPTIONS", "z9hG4bK-f3"));
        Assert.That(_server.Layer.Count, Is.EqualTo(3));
        Send(Request("OPTIONS", "z9hG4bK-f4"));
        SipMessage r = Parse(_client.Received[^1].Packet.Data);
        Assert.That(r.StatusCode, Is.EqualTo(503));
        // Timer J of the first ends at t0 + 32 s; it is now t0 + 10.003 s: 21.997 s rounds up to 22.
        Assert.That(Header(r, "Retry-After"), Is.EqualTo("22"));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(3), "nothing kept for the refused request");

        // Retransmissions of the completed ones are still answered with their 200 while the table is full.
        Send(Request("OPTIONS", "z9hG4bK-f2"));
        Assert.That(_client.Received[^1].Packet.StartLine, Is.EqualTo("SIP/2.0 200 OK 1"));

        _net.RunUntil(t0 + 32_000 * Ms + 1 * Ms);
        Send(Request("OPTIONS", "z9hG4bK-f4"));
        Assert.That(_server.Recorder.Requests, Has.Count.EqualTo(4), "the slot freed at Timer J");
    }

    [Test]
    public void FullTableOfUnansweredTransactionsGetsRetryAfterOfAtLeastOneSecond()
    {
        Server(new EndpointOptions { MaxTransactions = 2 });
        _server.Recorder.OnRequestHook = null;
        Send(Request("OPTIONS", "z9hG4bK-n1"));
        Send(Request("INVITE", "z9hG4bK-n2"));
        Send(Request("OPTIONS", "z9hG4bK-n3"));
        SipMessage r = Parse(_client.Received[^1].Packet.Data);
        Assert.That(r.StatusCode, Is.EqualTo(503));
        // The earliest timer is the INVITE's 100 Trying at 200 ms; Retry-After is delta-seconds, so at least 1.
        Assert.That(Header(r, "Retry-After"), Is.EqualTo("1"));
    }

    private static SipMessage Parse(byte[] data)
    {
        var m = new SipMessage();
        Assert.That(SipParser.Parse(data, SipFraming.Datagram, m).IsDone, Is.True);
        return m;
    }

    private static string? Header(SipMessage m, string name) =>
        name == "Retry-After" && m.TryGetHeaderValue(SipHeaderKind.RetryAfter, out ReadOnlySpan<byte> v) ? SipMessage.ToText(v) : null;
}
