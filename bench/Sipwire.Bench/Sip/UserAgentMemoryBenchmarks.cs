// Managed heap retained by an idle registered UA and by a call in progress, beyond a bare endpoint (issue 5 targets: 16 KiB, 32 KiB).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Three scenarios over real loopback sockets and a virtual clock: the bare endpoint (baseline: one UDP
/// socket, polled), an endpoint hosting a UA whose digest-authenticated registration is confirmed and
/// idle, and the same UA with one established call. Each [GlobalSetup] builds its scenario five times
/// and measures what stays on the managed heap (GC.GetTotalMemory(true) before and after, peers'
/// transactions already expired); the median lands in the "Retained" column and "Beyond baseline"
/// subtracts the bare endpoint measured in the same run. The timed part is building the scenario
/// (time and allocation, ratio to the bare endpoint). Run:
/// <c>dotnet run -c Release --project bench/Sipwire.Bench -- --filter '*UserAgentMemory*' --inProcess --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RetainedConfig))]
public class UserAgentMemoryBenchmarks
{
    private const int Samples = 5;
    private static readonly ConcurrentDictionary<string, long> s_retained = new();
    private int _lastPort;

    [GlobalSetup(Target = nameof(BareEndpoint))]
    public void SetupBare() => Measure(nameof(BareEndpoint), s => s.Bare());

    [GlobalSetup(Target = nameof(IdleRegisteredUa))]
    public void SetupIdle() => Measure(nameof(IdleRegisteredUa), s => s.Register());

    [GlobalSetup(Target = nameof(CallInProgress))]
    public void SetupCall() => Measure(nameof(CallInProgress), s =>
    {
        s.Register();
        s.Call();
    });

    [Benchmark(Baseline = true)]
    public int BareEndpoint()
    {
        using var s = new Scenario();
        s.Bare();
        _lastPort = s.Port;
        return _lastPort;
    }

    [Benchmark]
    public int IdleRegisteredUa()
    {
        using var s = new Scenario();
        s.Register();
        _lastPort = s.Port;
        return _lastPort;
    }

    [Benchmark]
    public int CallInProgress()
    {
        using var s = new Scenario();
        s.Register();
        s.Call();
        _lastPort = s.Port;
        return _lastPort;
    }

    private static void Measure(string name, Action<Scenario> build)
    {
        var samples = new List<long>();
        for (int i = 0; i < Samples; i++)
        {
            // The peers (registrar, callee) exist before the first reading: only our side's growth counts.
            using var s = new Scenario();
            long before = GC.GetTotalMemory(true);
            build(s);
            long after = GC.GetTotalMemory(true);
            GC.KeepAlive(s);
            samples.Add(after - before);
        }
        samples.Sort();
        long median = samples[Samples / 2];
        s_retained[name] = median;
        Console.WriteLine($"// RETAINED {name}: {median} B (samples {string.Join(' ', samples)})");
    }

    /// <summary>Adds the retained-heap columns (read from the global setups of the same in-process run).</summary>
    private sealed class RetainedConfig : ManualConfig
    {
        public RetainedConfig()
        {
            AddColumn(new RetainedColumn(false), new RetainedColumn(true));
        }
    }

    private sealed class RetainedColumn(bool beyondBaseline) : IColumn
    {
        public string Id => beyondBaseline ? "RetainedBeyondBaseline" : "Retained";

        public string ColumnName => beyondBaseline ? "Beyond baseline" : "Retained";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => beyondBaseline ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Size;

        public string Legend => beyondBaseline
            ? "Retained minus the bare endpoint's retained heap, same run (targets: idle UA < 16 KiB, call < 32 KiB beyond the idle UA)"
            : "Managed heap still reachable after the scenario is built, median of 5 (GC.GetTotalMemory(true) delta)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            string name = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (!s_retained.TryGetValue(name, out long bytes)) return "n/a (run with --inProcess)";
            if (beyondBaseline)
            {
                if (!s_retained.TryGetValue(nameof(BareEndpoint), out long bare)) return "n/a";
                bytes -= bare;
            }
            return bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }

    /// <summary>Our endpoint, plus a registrar and a callee on their own endpoints, all on one virtual clock.</summary>
    private sealed class Scenario : IDisposable
    {
        private readonly VirtualClock _clock = new(1_000_000);
        private readonly Endpoint _peer;
        private readonly PeerAddress _peerAddress;
        private Endpoint? _endpoint;
        private UserAgentCore? _core;
        private Registration? _registration;
        private SipCall? _call;

        public Scenario()
        {
            _peer = new Endpoint(new EndpointOptions(), _clock);
            _peerAddress = _peer.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
            _peer.User = new StatelessPeer(_peer);
            // Warm the peer's code paths so their one-time statics do not count as ours.
            _peer.Poll(TimeSpan.Zero);
        }

        public int Port { get; private set; }

        public void Bare()
        {
            _endpoint = new Endpoint(new EndpointOptions(), _clock);
            Port = _endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0)).Port;
            _endpoint.Poll(TimeSpan.Zero);
        }

        public void Register()
        {
            Bare();
            string hostPort = $"127.0.0.1:{Port}";
            _core = _endpoint!.CreateUserAgent(new UserAgentOptions
            {
                LocalUri = "sip:alice@example.test",
                ContactUri = $"sip:alice@{hostPort}",
                LocalSentBy = hostPort,
                MediaAddress = IPAddress.Loopback,
            });
            _registration = _core.AddRegistration(new RegistrationOptions
            {
                AddressOfRecord = "sip:alice@example.test",
                ContactUri = $"sip:alice@{hostPort}",
                Destination = _peerAddress,
                LocalSentBy = hostPort,
                Expires = 3600,
                Credentials = [new SipCredentials("alice", "wonderland")],
            });
            _registration.Start();
            PollUntil(() => _registration.State == RegistrationState.Registered);
            Settle();
        }

        public void Call()
        {
            _call = _core!.Invite($"sip:bob@127.0.0.1:{_peerAddress.Port}", _peerAddress);
            PollUntil(() => _call.State == CallState.Active);
            Settle();
        }

        private void PollUntil(Func<bool> done)
        {
            for (int i = 0; i < 2000 && !done(); i++)
            {
                _endpoint!.Poll(TimeSpan.FromMilliseconds(1));
                _peer.Poll(TimeSpan.Zero);
            }
            if (!done()) throw new InvalidOperationException("the scenario did not complete on loopback");
        }

        /// <summary>Moves past every transaction timer (64*T1 and T4) so only lasting state remains.</summary>
        private void Settle()
        {
            _clock.Advance(TimeSpan.FromSeconds(40));
            for (int i = 0; i < 5; i++)
            {
                _endpoint!.Poll(TimeSpan.Zero);
                _peer.Poll(TimeSpan.Zero);
            }
            if (_endpoint!.Transactions.Count != 0 || _peer.Transactions.Count != 0) throw new InvalidOperationException("transactions still alive after settling");
        }

        public void Dispose()
        {
            GC.KeepAlive(_call);
            _endpoint?.Dispose();
            _peer.Dispose();
        }
    }

    /// <summary>
    /// Registrar and callee without lasting state: REGISTER without credentials gets a fixed digest
    /// challenge, with credentials 200 echoing the Contact (nothing stored); INVITE gets 200 with a
    /// PCMU answer; BYE 200. Only transactions stay, and they expire in Settle.
    /// </summary>
    private sealed class StatelessPeer(Endpoint endpoint) : ITransactionUser
    {
        private const string AnswerSdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        private readonly byte[] _buffer = new byte[4096];
        private readonly byte[] _answer = Encoding.ASCII.GetBytes(AnswerSdp);

        public void OnRequest(Transaction transaction, SipMessage request)
        {
            var w = new SipMessageWriter(_buffer);
            if (request.Method == SipMethod.Register)
            {
                if (!request.TryGetHeaderValue(SipHeaderKind.Authorization, out _))
                {
                    SipResponses.WriteHead(ref w, request, transaction.Source, 401, "Unauthorized"u8, "r1"u8);
                    w.Append("WWW-Authenticate: Digest realm=\"example.test\", nonce=\"bench0123456789\", qop=\"auth\", algorithm=SHA-256\r\n"u8);
                    w.End();
                }
                else
                {
                    SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, "r1"u8);
                    w.Append("Contact: "u8);
                    w.Append(request.Contact.Value);
                    w.Append(";expires=3600\r\n"u8);
                    w.End();
                }
            }
            else if (request.Method == SipMethod.Invite)
            {
                SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, "c1"u8);
                w.Append("Contact: <sip:bob@"u8);
                w.AppendText($"127.0.0.1:{transaction.Source.Port}");
                w.Append(">\r\nContent-Type: application/sdp\r\n"u8);
                w.EndWithBody(_answer);
            }
            else
            {
                SipResponses.WriteHead(ref w, request, transaction.Source, 200, "OK"u8, "c1"u8);
                w.End();
            }
            endpoint.Transactions.Respond(transaction, w.Written);
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
