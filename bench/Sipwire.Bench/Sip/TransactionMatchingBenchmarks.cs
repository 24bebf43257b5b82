// Transaction matching and state update cost and allocation, as a ratio to parsing the same message (same run).
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Bench.Sip;

/// <summary>
/// A retransmitted request arriving at a server transaction in Completed: parse (baseline), then
/// parse + §17.2.3 match + absorb and re-send the stored response. Target: 0 B allocated.
/// Also a response matched to a client transaction (§17.1.3) in Proceeding.
/// </summary>
[MemoryDiagnoser]
public class TransactionMatchingBenchmarks
{
    private readonly SipMessage _message = new();
    private readonly SipMessage _response = new();
    private byte[] _request = [];
    private byte[] _provisional = [];
    private TransactionLayer _server = null!;
    private TransactionLayer _client = null!;
    private PeerAddress _peer;

    [Params(0, 200)]
    public int OtherTransactions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var clock = new VirtualClock();
        var options = new EndpointOptions { MaxTransactions = 1024 };
        _server = new TransactionLayer(options, new NullSender(), new Answering(), clock);
        _client = new TransactionLayer(options, new NullSender(), new Answering(), clock);
        _peer = PeerAddress.Parse(TransportProtocol.Udp, "192.0.2.1:5060");
        for (int i = 0; i < OtherTransactions; i++)
        {
            byte[] other = Request($"z9hG4bK-other{i}");
            SipParser.Parse(other.AsMemory(), SipFraming.Datagram, _message);
            _server.Receive(_message, _peer);
            _client.SendRequest(Request($"z9hG4bK-cl{i}"), _peer);
        }
        _request = Request("z9hG4bK-bench-0001");
        SipParser.Parse(_request.AsMemory(), SipFraming.Datagram, _message);
        _server.Receive(_message, _peer);
        _client.SendRequest(Request("z9hG4bK-bench-0002"), _peer);
        _provisional = Encoding.ASCII.GetBytes(
            "SIP/2.0 183 Progress\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-bench-0002\r\n" +
            "From: <sip:a@test>;tag=1\r\nTo: <sip:b@test>;tag=2\r\nCall-ID: bench@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    }

    private static byte[] Request(string branch) => Encoding.ASCII.GetBytes(
        "OPTIONS sip:b@192.0.2.2 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 192.0.2.1:5060;branch={branch};rport\r\n" +
        "Max-Forwards: 70\r\nFrom: <sip:a@test>;tag=1\r\nTo: <sip:b@test>\r\n" +
        $"Call-ID: {branch}@test\r\nCSeq: 1 OPTIONS\r\nUser-Agent: bench\r\nContent-Length: 0\r\n\r\n");

    [Benchmark(Baseline = true)]
    public bool ParseOnly() => SipParser.Parse(_request.AsMemory(), SipFraming.Datagram, _message).IsDone;

    [Benchmark]
    public bool ParseMatchAbsorbRetransmission()
    {
        SipParser.Parse(_request.AsMemory(), SipFraming.Datagram, _message);
        _server.Receive(_message, _peer);
        return true;
    }

    [Benchmark]
    public bool ParseMatchClientResponse()
    {
        SipParser.Parse(_provisional.AsMemory(), SipFraming.Datagram, _response);
        _client.Receive(_response, _peer);
        return true;
    }

    private sealed class NullSender : ITransportSender
    {
        public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination) => true;
    }

    private sealed class Answering : ITransactionUser
    {
        public void OnRequest(Transaction transaction, SipMessage request) => transaction.UserData = null;

        public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
        {
        }

        public void OnCancel(Transaction invite, SipMessage cancel)
        {
        }

        public void OnResponse(Transaction transaction, SipMessage response)
        {
        }

        public void OnStrayResponse(SipMessage response, in PeerAddress source)
        {
        }

        public void OnError(Transaction transaction, TransactionError failure)
        {
        }

        public void OnTerminated(Transaction transaction)
        {
        }
    }
}
