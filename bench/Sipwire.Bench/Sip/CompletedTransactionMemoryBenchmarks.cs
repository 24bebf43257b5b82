// Memory per Completed non-INVITE server transaction (RFC 3261 §17.2.2, Timer J): whole pooled transactions vs key + response only.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Bench.Sip;

/// <summary>
/// A registrar's transaction layer receives <see cref="Transactions"/> REGISTERs over UDP, each answered at once
/// with a typical 200 (Contact with expires, Date, Supported: 456 bytes), and all of them wait in Completed for
/// Timer J (32 s: at 10,000 REGISTER/s that is 320,000 of them). [OperationsPerInvoke] makes "Allocated" read as
/// bytes allocated per completed transaction. Baseline: the layer as it was (<c>CompactCompleted = false</c>, each
/// keeps its pooled Transaction with request, response, key and tag buffers until Timer J); the other run keeps
/// key + response bytes in the compact table. The retained size (GC.GetTotalMemory delta with the layer alive,
/// the table arrays sized for the load included) is printed by the global setup for both, per transaction.
/// </summary>
[MemoryDiagnoser]
public class CompletedTransactionMemoryBenchmarks
{
    private const int Transactions = 50_000;
    private byte[][] _requests = [];
    private static readonly PeerAddress s_source = PeerAddress.FromIPv4(TransportProtocol.Udp, 0xC0000201u, 5062);

    [GlobalSetup]
    public void Setup()
    {
        _requests = new byte[Transactions][];
        for (int i = 0; i < Transactions; i++)
        {
            string n = i.ToString("D6", CultureInfo.InvariantCulture);
            // A REGISTER as a phone sends it (RFC 3665 §2.1 shape): 391 bytes.
            _requests[i] = Encoding.ASCII.GetBytes(
                $"REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK{n}a7f3c2;rport\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:user{n}@example.test>;tag=f{n}\r\nTo: <sip:user{n}@example.test>\r\nCall-ID: {n}-4d1f8a@192.0.2.1\r\n" +
                $"CSeq: 2 REGISTER\r\nContact: <sip:user{n}@192.0.2.1:5062;transport=udp>\r\nExpires: 3600\r\nUser-Agent: ata/1.0\r\nContent-Length: 0\r\n\r\n");
        }
        Console.WriteLine($"// RETAINED bytes/completed transaction: Full={Retained(false):F1} Compact={Retained(true):F1}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Transactions)]
    public object FullTransactionsUntilTimerJ() => Fill(compact: false);

    [Benchmark(OperationsPerInvoke = Transactions)]
    public object CompactCompletedUntilTimerJ() => Fill(compact: true);

    private TransactionLayer Fill(bool compact)
    {
        var user = new AnsweringUser();
        var layer = new TransactionLayer(new EndpointOptions { MaxTransactions = Transactions + 64 }, user, user, new VirtualClock(1_000_000))
        {
            CompactCompleted = compact,
        };
        user.Layer = layer;
        var message = new SipMessage();
        for (int i = 0; i < _requests.Length; i++)
        {
            if (!SipParser.Parse(_requests[i], SipFraming.Datagram, message).IsDone) throw new InvalidOperationException("bad request text");
            layer.Receive(message, s_source);
            // The endpoint's poll runs the timers after each batch of received datagrams (here 64): that ends the full
            // transactions handed over to the compact table, so the pool holds about one batch of them.
            if ((i & 63) == 63) layer.ProcessTimers();
        }
        layer.ProcessTimers();
        if (layer.Count != Transactions) throw new InvalidOperationException($"{layer.Count} transactions alive, {Transactions} expected");
        return layer;
    }

    private double Retained(bool compact)
    {
        long before = GC.GetTotalMemory(true);
        TransactionLayer layer = Fill(compact);
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(layer);
        return (after - before) / (double)Transactions;
    }

    /// <summary>Answers every REGISTER with a 200 as a registrar would and discards what is sent.</summary>
    private sealed class AnsweringUser : ITransactionUser, ITransportSender
    {
        private readonly byte[] _buffer = new byte[2048];

        public TransactionLayer Layer { get; set; } = null!;

        public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination) => true;

        public void OnRequest(Transaction transaction, SipMessage request)
        {
            var w = new SipMessageWriter(_buffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, "8c1f5e0a2b9d4e37"u8);
            w.Append("Contact: <"u8);
            w.Append(request.Contact.Uri);
            w.Append(">;expires=3600\r\nDate: Fri, 02 Jan 2026 03:04:05 GMT\r\nSupported: path, gruu\r\n"u8);
            w.End();
            Layer.Respond(transaction, w.Written);
        }

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
