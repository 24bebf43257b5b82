// A real SIP peer (Kamailio, baresip) run by a test: started from its own temp folder, killed by its pid.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Sipwire.Interop.Tests.Peers;

internal abstract class PeerProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    protected PeerProcess(string name)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"sipwire-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The peer's private folder (config, runtime files, logs).</summary>
    public string Directory { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process is { HasExited: true };

    /// <summary>Fails the test (never skips it) when <paramref name="path"/> is not installed.</summary>
    protected static void Require(string path, string package)
    {
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: install the Debian package '{package}' (build.ps1 prereqs does)");
    }

    protected void Start(string file, string arguments, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        info.Environment["HOME"] = Directory;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    protected Process Process => _process ?? throw new InvalidOperationException("not started");

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Waits until <paramref name="done"/> holds, failing with the peer's output after <paramref name="timeout"/>.</summary>
    public void WaitFor(Func<bool> done, TimeSpan timeout, string what, Action? poll = null)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            if (HasExited) Assert.Fail($"{GetType().Name} exited ({_process!.ExitCode}) while waiting for {what}\n{Output}");
            if (sw.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}\n{Output}");
            if (poll is null) System.Threading.Thread.Sleep(20);
            else poll();
        }
    }

    /// <summary>
    /// Waits until the peer answers an OPTIONS on its UDP <paramref name="port"/>: a request sent earlier could meet a
    /// closed port, and the ICMP error would fail the first real request before the peer ever saw it.
    /// </summary>
    protected void WaitForSipAnswer(int port, string what)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int local = ((IPEndPoint)probe.LocalEndPoint!).Port;
        byte[] options = Encoding.ASCII.GetBytes(
            $"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bKprobe{local}\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1:{port}>\r\nCall-ID: probe{local}\r\n" +
            "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        byte[] buffer = new byte[4096];
        var target = new IPEndPoint(IPAddress.Loopback, port);
        WaitFor(() =>
        {
            try
            {
                probe.SendTo(options, target);
                return probe.Poll(100_000, SelectMode.SelectRead) && probe.Receive(buffer) > 0;
            }
            catch (SocketException)
            {
                // Port not open yet (ICMP port unreachable): try again.
                System.Threading.Thread.Sleep(50);
                return false;
            }
        }, TimeSpan.FromSeconds(15), what);
    }

    public static int FreeUdpPort()
    {
        // A port free for both UDP and TCP (the peers listen on both).
        for (int i = 0; i < 20; i++)
        {
            using var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            u.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)u.LocalEndPoint!).Port;
            try
            {
                using var t = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                t.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP; try another.
            }
        }
        throw new InvalidOperationException("no free port");
    }

    public virtual void Dispose()
    {
        if (_process is { } p)
        {
            try
            {
                // Only our own child, by its pid.
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            p.Dispose();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }
}
