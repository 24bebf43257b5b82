// Stateless proxy and registrar throughput on loopback UDP: `sipwire proxy` vs Kamailio, each pinned to one core, same load generator.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Issue 6 target: requests per second per core of a stateless proxy and of a registrar, Kamailio as the
/// baseline in the same run. Both servers run as separate processes under <c>taskset -c 1</c> (one core,
/// every thread and forked process of the server included); the load generator and the UAS sink share the
/// other core. Configurations are equivalent: stateless forward to the Request-URI (no Record-Route), and
/// REGISTER saved into an in-memory location table without authentication (Kamailio usrloc db_mode=0,
/// sipwire's in-memory store). sipwire answers REGISTER through a server transaction, which lives Timer J = 32 s
/// after its response (§17.2.2), so its table is sized for 32 s of the load (--max-transactions); Kamailio's
/// registrar answers statelessly (sl). Each invocation completes <see cref="Requests"/> requests with
/// <see cref="Window"/> outstanding; requests/s = Requests / mean time, printed at cleanup. One invocation takes
/// seconds, so run it as a monitoring job: <c>--inProcess --strategy Monitoring --invocationCount 1 --unrollFactor 1
/// --iterationCount 5 --warmupCount 1</c>.
/// </summary>
public class ProxyThroughputBenchmarks : IDisposable
{
    public const int Requests = 20000;
    public const int Window = 64;
    private const string Domain = "bench.test";

    private readonly ProxyLoadGenerator _generator = new();
    private readonly StringBuilder _log = new();
    private string _dir = "";
    private Process? _kamailio;
    private Process? _sipwire;
    private IPEndPoint _kamailioAt = null!;
    private IPEndPoint _sipwireAt = null!;
    private Socket? _sink;
    private Thread? _sinkThread;
    private volatile bool _stop;

    /// <summary>What the servers are asked to do.</summary>
    [Params("stateless-forward", "register")]
    public string Load { get; set; } = "stateless-forward";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("sipwire-proxybench-").FullName;
        // The servers are separate processes: end them even when the benchmark process dies of an exception.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Dispose();
        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sinkThread = new Thread(RunSink) { IsBackground = true, Name = "uas-sink" };
        _sinkThread.Start();

        int kPort = FreeUdpPort();
        string cfg = Path.Combine(_dir, "kamailio.cfg");
        File.WriteAllText(cfg,
            "#!KAMAILIO\n" +
            "debug=0\nlog_stderror=yes\nchildren=1\ndisable_tcp=yes\nauto_aliases=no\n" +
            $"listen=udp:127.0.0.1:{kPort}\nalias=\"{Domain}\"\n" +
            "mpath=\"/usr/lib/x86_64-linux-gnu/kamailio/modules/\"\n" +
            "loadmodule \"sl.so\"\nloadmodule \"usrloc.so\"\nloadmodule \"registrar.so\"\n" +
            "modparam(\"usrloc\", \"db_mode\", 0)\n" +
            "request_route {\n" +
            "  if (method==\"REGISTER\") {\n    save(\"location\");\n    exit;\n  }\n" +
            "  forward();\n  exit;\n}\n");
        _kamailio = Start("taskset", $"-c 1 /usr/sbin/kamailio -f {cfg} -DD -E -w {_dir} -P {Path.Combine(_dir, "k.pid")} -m 64 -M 8");
        _kamailioAt = new IPEndPoint(IPAddress.Loopback, kPort);

        int sPort = FreeUdpPort();
        string cli = typeof(Sipwire.Cli.ServerCommand).Assembly.Location;
        _sipwire = Start("taskset", $"-c 1 dotnet {cli} proxy --listen udp:127.0.0.1:{sPort} --domain {Domain} --stateless --no-record-route --max-transactions 524288 --quiet");
        _sipwireAt = new IPEndPoint(IPAddress.Loopback, sPort);

        WaitUntilAnswering(_kamailioAt, "kamailio", _kamailio);
        WaitUntilAnswering(_sipwireAt, "sipwire", _sipwire);
    }

    [Benchmark(Baseline = true)]
    public int Kamailio() => Run(_kamailioAt, "kamailio");

    [Benchmark]
    public int Sipwire() => Run(_sipwireAt, "sipwire");

    private int Run(IPEndPoint at, string label)
    {
        int sinkPort = ((IPEndPoint)_sink!.LocalEndPoint!).Port;
        return Load == "register"
            ? _generator.Run(at, ProxyLoadGenerator.Register(Domain), Requests, Window, label + " register")
            : _generator.Run(at, ProxyLoadGenerator.Options(sinkPort), Requests, Window, label + " stateless-forward");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Stop(_sipwire);
        Stop(_kamailio);
        _sipwire = null;
        _kamailio = null;
        _stop = true;
        _sink?.Dispose();
        _sinkThread?.Join(2000);
        Console.WriteLine(_generator.Summary());
        Console.WriteLine(_log.ToString());
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Stops both servers if cleanup did not run.</summary>
    public void Dispose()
    {
        Stop(_sipwire);
        Stop(_kamailio);
        _stop = true;
        _sink?.Dispose();
        GC.SuppressFinalize(this);
    }

    private Process Start(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file} {args}");
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    private static void Stop(Process? p)
    {
        if (p is null) return;
        if (!p.HasExited)
        {
            // Kamailio forks its worker and timer processes: end the whole tree of the pid we started.
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }
        p.Dispose();
    }

    private void WaitUntilAnswering(IPEndPoint at, string label, Process p)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.ReceiveTimeout = 250;
        byte[] probe = Encoding.ASCII.GetBytes(
            $"OPTIONS sip:probe@127.0.0.1:{((IPEndPoint)_sink!.LocalEndPoint!).Port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{((IPEndPoint)s.LocalEndPoint!).Port};branch=z9hG4bKprobe\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:g@127.0.0.1>;tag=p\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: probe@bench\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var buffer = new byte[4096];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (p.HasExited) throw new InvalidOperationException($"{label} exited with {p.ExitCode}: {_log}");
            s.SendTo(probe, at);
            try
            {
                if (s.Receive(buffer) > 0) return;
            }
            catch (SocketException)
            {
                // Not up yet.
            }
        }
        throw new InvalidOperationException($"{label} did not answer within 20 s: {_log}");
    }

    // The UAS behind the proxies: answers every request 200 by replacing its request line (all Vias kept, §8.2.6.2).
    private void RunSink()
    {
        var buffer = new byte[8192];
        var output = new byte[8192];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        ReadOnlySpan<byte> status = "SIP/2.0 200 OK"u8;
        while (!_stop)
        {
            int n;
            try
            {
                n = _sink!.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            int eol = buffer.AsSpan(0, n).IndexOf("\r\n"u8);
            if (eol < 0 || buffer.AsSpan(0, n).StartsWith("SIP/2.0"u8)) continue;
            status.CopyTo(output);
            buffer.AsSpan(eol, n - eol).CopyTo(output.AsSpan(status.Length));
            try
            {
                _sink.SendTo(output.AsSpan(0, status.Length + n - eol), SocketFlags.None, from);
            }
            catch (SocketException)
            {
                return;
            }
        }
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
