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
