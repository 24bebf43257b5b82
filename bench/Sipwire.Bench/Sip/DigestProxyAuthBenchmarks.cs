// Cost of proxy authorization (RFC 3261 §22.3) per request in the stateless proxy: plain forward (baseline) vs authenticated vs challenged.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Proxy;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Bench.Sip;

/// <summary>
/// One stateless <see cref="SipProxy"/> per case, in process, sending into a counting sink. Each operation parses a
/// MESSAGE from alice@bench.test and hands it to the proxy: <c>Plain</c> has no authentication configured (baseline),
/// <c>Authenticated</c> carries valid Proxy-Authorization (a fresh nonce per iteration, nc 1..Batch, SHA-256 or MD5) and is
/// verified, consumed and forwarded, <c>Challenged</c> has none and gets a 407 with a new nonce. Every iteration
/// prepares fresh credentials in [IterationSetup] (so one invocation per iteration, Batch operations each):
/// <c>--filter '*DigestProxyAuth*' --inProcess --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class DigestProxyAuthBenchmarks
{
    public const int Batch = 10000;
    private const string Domain = "bench.test";
    private const string Uri = "sip:bob@bench.test";
    private static readonly PeerAddress s_alice = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.1:5060");

    private readonly SipMessage _message = new();
    private readonly byte[][] _authenticated = new byte[Batch][];
    private byte[] _plain = [];
    private Node _open = null!;
    private Node _secured = null!;

    [Params(DigestAlgorithm.Md5, DigestAlgorithm.Sha256)]
    public DigestAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _open = new Node(null);
        _secured = new Node(Algorithm);
        _plain = Message(1, null);
    }

    [IterationSetup]
    public void Credentials()
    {
        DigestChallenge challenge = _secured.Digest!.CreateChallenge(0);
        var client = new DigestClient();
        for (int i = 0; i < Batch; i++)
        {
            // One nonce, rising nc (RFC 7616 §3.4): each is accepted once.
            _authenticated[i] = Message(i + 2, client.Authorize(challenge, "alice", "wonderland", "MESSAGE", Uri, "hi"u8));
        }
        _secured.Sink.Reset();
        _open.Sink.Reset();
    }

    [IterationCleanup]
    public void Check()
    {
        // A benchmark that measured the wrong path would be worse than none.
        if (_secured.Sink.Challenges > 0 && _secured.Sink.Forwarded > 0)
            throw new InvalidOperationException($"mixed outcomes: {_secured.Sink.Forwarded} forwarded, {_secured.Sink.Challenges} challenged");
        if (_open.Sink.Forwarded is not (0 or Batch)) throw new InvalidOperationException($"plain forwarded {_open.Sink.Forwarded} of {Batch}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int Plain()
    {
        for (int i = 0; i < Batch; i++) Receive(_open, _plain);
        return _open.Sink.Forwarded;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Authenticated()
    {
        for (int i = 0; i < Batch; i++) Receive(_secured, _authenticated[i]);
        return _secured.Sink.Forwarded;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Challenged()
    {
        for (int i = 0; i < Batch; i++) Receive(_secured, _plain);
        return _secured.Sink.Challenges;
    }

    private void Receive(Node node, byte[] data)
    {
        SipParser.Parse(data.AsMemory(), SipFraming.Datagram, _message);
        node.Proxy.Receive(_message, s_alice);
    }

    private static byte[] Message(int cseq, string? credentials) => Encoding.ASCII.GetBytes(
        $"MESSAGE {Uri} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbench{cseq};rport\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:alice@{Domain}>;tag=a1\r\nTo: <{Uri}>\r\nCall-ID: bench-{cseq}@10.0.0.1\r\nCSeq: {cseq} MESSAGE\r\n" +
        (credentials is null ? "" : $"Proxy-Authorization: {credentials}\r\n") +
        "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");

    /// <summary>Counts what the proxy sends: forwarded MESSAGEs and 407s.</summary>
    private sealed class CountingSink : ITransportSender
    {
        public int Forwarded { get; private set; }

        public int Challenges { get; private set; }

        public void Reset() => Forwarded = Challenges = 0;

        public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
        {
            if (message.StartsWith("MESSAGE "u8)) Forwarded++;
            else if (message.StartsWith("SIP/2.0 407 "u8)) Challenges++;
            return true;
        }
    }

    /// <summary>A stateless proxy of bench.test with bob bound, with or without authentication.</summary>
    private sealed class Node : ITransactionUser
    {
        public Node(DigestAlgorithm? algorithm)
        {
            var clock = new VirtualClock(1_000_000);
            var location = new InMemoryLocationService();
            byte[] callId = "bind"u8.ToArray();
            var binding = new LocationBinding("sip:bob@10.0.0.2:5060"u8.ToArray(), [], callId, 1, -1, 3_600_000_000, [], [], -1, []);
            location.Update("sip:bob@" + Domain, [binding], false, callId, 1, 0, null);
            Digest = algorithm is null ? null : new DigestServer(Domain, algorithm.Value, TimeSpan.FromMinutes(5));
            Layer = new TransactionLayer(new EndpointOptions(), Sink, this, clock);
            Proxy = new SipProxy(new ProxyOptions
            {
                Domains = [Domain],
                LocalHost = "10.0.0.9",
                Stateless = true,
                RecordRoute = false,
                NowMs = () => 0,
                Authentication = Digest is null ? null : new ProxyAuthentication(Digest, u => u == "alice" ? "wonderland" : null),
            }, Layer, location);
        }

        public CountingSink Sink { get; } = new();

        public DigestServer? Digest { get; }

        public TransactionLayer Layer { get; }

        public SipProxy Proxy { get; }

        public void OnRequest(Transaction transaction, SipMessage request) => Proxy.OnRequest(transaction, request);

        public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => Proxy.OnAck(transaction, ack, source);

        public void OnCancel(Transaction invite, SipMessage cancel) => Proxy.OnCancel(invite, cancel);

        public void OnResponse(Transaction transaction, SipMessage response) => Proxy.OnResponse(transaction, response);

        public void OnStrayResponse(SipMessage response, in PeerAddress source) => Proxy.OnStrayResponse(response, source);

        public void OnError(Transaction transaction, TransactionError failure) => Proxy.OnError(transaction, failure);

        public void OnTerminated(Transaction transaction) => Proxy.OnTerminated(transaction);
    }
}
