// OPTIONS load over loopback UDP from our own generator: Sipwire's UAS (one polling thread) vs Kamailio (stateless, one worker).
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Each invocation runs <see cref="Transactions"/> OPTIONS transactions with <see cref="Window"/>
/// outstanding at a time, so the mean time gives transactions per second of one server core;
/// the p99 latency of every run is printed at cleanup. Baseline: Kamailio from Debian answering
/// statelessly with sl_send_reply (children=1, one worker process), started and stopped by pid here.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class TransactionLoadBenchmarks : IDisposable
{
    public const int Transactions = 20000;
    public const int Window = 32;

    private readonly LoadGenerator _generator = new();
    private Process? _kamailio;
    private string _dir = "";
    private IPEndPoint _kamailioAt = null!;
    private Endpoint? _sipwire;
    private Thread? _sipwireThread;
    private volatile bool _stop;
    private IPEndPoint _sipwireAt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sipwire-kamailio-").FullName;
        int port = FreeUdpPort();
        string cfg = Path.Combine(_dir, "kamailio.cfg");
        File.WriteAllText(cfg,
            "#!KAMAILIO\n" +
            "debug=0\nlog_stderror=yes\nchildren=1\ndisable_tcp=yes\nauto_aliases=no\n" +
            $"listen=udp:127.0.0.1:{port}\n" +
            "mpath=\"/usr/lib/x86_64-linux-gnu/kamailio/modules/\"\n" +
            "loadmodule \"sl.so\"\n" +
            "request_route {\n  sl_send_reply(\"200\", \"OK\");\n  exit;\n}\n");
        var psi = new ProcessStartInfo("kamailio", $"-f {cfg} -DD -E -w {_dir} -P {Path.Combine(_dir, "k.pid")} -m 64 -M 8")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _kamailio = Process.Start(psi) ?? throw new InvalidOperationException("cannot start kamailio (apt-get install kamailio)");
        _kamailio.ErrorDataReceived += (_, _) => { };
        _kamailio.BeginErrorReadLine();
        _kamailio.BeginOutputReadLine();
        _kamailioAt = new IPEndPoint(IPAddress.Loopback, port);
        Thread.Sleep(1500);
        if (_kamailio.HasExited) throw new InvalidOperationException($"kamailio exited with {_kamailio.ExitCode}");

        // Stateful UDP keeps each non-INVITE server transaction for Timer J = 64*T1 (§17.2.2): at
        // ~100k tx/s that is millions of entries with T1 = 500 ms. T1 = 10 ms keeps Timer J at
        // 640 ms so the bounded table holds the load; every answer is still sent by a transaction.
        _sipwire = new Endpoint(new EndpointOptions { MaxTransactions = 131072, T1 = TimeSpan.FromMilliseconds(10), T2 = TimeSpan.FromMilliseconds(40) });
        Transport.PeerAddress bound = _sipwire.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        _sipwireAt = new IPEndPoint(IPAddress.Loopback, bound.Port);
        _sipwireThread = new Thread(() =>
        {
            while (!_stop) _sipwire.Poll(TimeSpan.FromMilliseconds(50));
        }) { IsBackground = true, Name = "sipwire-uas" };
        _sipwireThread.Start();
    }

    [Benchmark(Baseline = true)]
    public int KamailioStateless() => _generator.Run(_kamailioAt, Transactions, Window, "kamailio");

    [Benchmark]
    public int SipwireTransactionUas() => _generator.Run(_sipwireAt, Transactions, Window, "sipwire");

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _sipwireThread?.Join();
        _sipwire?.Dispose();
        if (_kamailio is { HasExited: false })
        {
            // Kamailio forks its attendant, worker and timer processes: end the whole tree of our pid.
            _kamailio.Kill(entireProcessTree: true);
            _kamailio.WaitForExit(5000);
        }
        _kamailio?.Dispose();
        Console.WriteLine(_generator.Summary());
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Releases the endpoint and stops Kamailio if cleanup did not run.</summary>
    public void Dispose()
    {
        _stop = true;
        _sipwire?.Dispose();
        if (_kamailio is { HasExited: false }) _kamailio.Kill(entireProcessTree: true);
        _kamailio?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}

/// <summary>Sends OPTIONS with a window of outstanding transactions and records each round-trip time.</summary>
internal sealed class LoadGenerator
{
    private readonly StringBuilder _summary = new();

    public int Run(IPEndPoint target, int count, int window, string label)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int localPort = ((IPEndPoint)s.LocalEndPoint!).Port;
        long[] sentAt = new long[count];
        long[] latency = new long[count];
        byte[] send = new byte[1024];
        int length = BuildTemplate(send, target, localPort);
        SocketAddress to = target.Serialize();
        byte[] recv = new byte[4096];
        int next = 0, done = 0, lost = 0, not200 = 0;
        long start = Stopwatch.GetTimestamp();
        while (next < Math.Min(window, count)) Send(s, to, send, length, next, sentAt, ref next);
        s.ReceiveTimeout = 200;
        while (done + lost < count)
        {
            int n;
            try
            {
                n = s.Receive(recv);
            }
            catch (SocketException)
            {
                // 200 ms without any answer: count the window as lost and refill it.
                int outstanding = next - done - lost;
                lost += outstanding;
                for (int i = 0; i < outstanding && next < count; i++) Send(s, to, send, length, next, sentAt, ref next);
                continue;
            }
            int index = IndexOf(recv.AsSpan(0, n));
            if (index < 0 || latency[index] != 0) continue;
            latency[index] = Stopwatch.GetTimestamp() - sentAt[index];
            done++;
            if (!recv.AsSpan(0, n).StartsWith("SIP/2.0 200 "u8)) not200++;
            if (next < count) Send(s, to, send, length, next, sentAt, ref next);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long[] ok = Array.FindAll(latency, l => l > 0);
        Array.Sort(ok);
        double p99 = ok.Length == 0 ? double.NaN : ok[(int)(ok.Length * 0.99)] * 1000.0 / Stopwatch.Frequency;
        double p50 = ok.Length == 0 ? double.NaN : ok[ok.Length / 2] * 1000.0 / Stopwatch.Frequency;
        _summary.AppendLine(FormattableString.Invariant(
            $"{label}: {done / seconds:F0} tx/s, p50 {p50:F3} ms, p99 {p99:F3} ms, lost {lost}, non-200 {not200} of {count}"));
        return done;
    }

    public string Summary() => _summary.ToString();

    // The request text is built once per run; each send patches the 8-digit index (branch and
    // Call-ID) in place, so the generator itself allocates nothing per transaction.
    private static int BuildTemplate(byte[] buffer, IPEndPoint target, int localPort)
    {
        string text =
            $"OPTIONS sip:bench@127.0.0.1:{target.Port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK-g00000000;rport\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:gen@127.0.0.1>;tag=g1\r\nTo: <sip:bench@127.0.0.1>\r\n" +
            "Call-ID: g00000000@bench\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        return Encoding.ASCII.GetBytes(text, buffer);
    }

    private static void Send(Socket s, SocketAddress target, byte[] buffer, int length, int index, long[] sentAt, ref int next)
    {
        Span<byte> message = buffer.AsSpan(0, length);
        PatchIndex(message, "branch=z9hG4bK-g"u8, index);
        PatchIndex(message, "Call-ID: g"u8, index);
        sentAt[index] = Stopwatch.GetTimestamp();
        s.SendTo(message, SocketFlags.None, target);
        next = index + 1;
    }

    private static void PatchIndex(Span<byte> message, ReadOnlySpan<byte> marker, int index)
    {
        int at = message.IndexOf(marker) + marker.Length;
        for (int d = 7; d >= 0; d--)
        {
            message[at + d] = (byte)('0' + index % 10);
            index /= 10;
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> response)
    {
        int at = response.IndexOf("branch=z9hG4bK-g"u8);
        if (at < 0 || at + 16 + 8 > response.Length) return -1;
        return int.TryParse(response.Slice(at + 16, 8), out int i) ? i : -1;
    }
}
