// Starts a private dnsmasq on 127.0.0.1 and a free port with the test zone, and stops it by its pid.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace Sipwire.DnsClient.Tests;

/// <summary>
/// An authoritative-only dnsmasq (no upstream, no /etc/hosts) serving the records of a test. Names under
/// a <c>local=</c> domain that have no record get NXDOMAIN; names outside get REFUSED.
/// </summary>
internal sealed class Dnsmasq : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private Dnsmasq(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>Starts dnsmasq with <paramref name="configLines"/> (dnsmasq.conf syntax) and waits until it answers.</summary>
    public static Dnsmasq Start(IEnumerable<string> configLines)
    {
        string exe = Find() ?? throw new AssertionException("dnsmasq not found; install the Debian package: apt-get install -y dnsmasq-base");
        string dir = Directory.CreateTempSubdirectory("sipwire-dnsmasq-").FullName;
        string conf = Path.Combine(dir, "dnsmasq.conf");
        File.WriteAllLines(conf, configLines);
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var psi = new ProcessStartInfo(exe)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[]
            {
                "--no-daemon", "--port=" + port.ToString(CultureInfo.InvariantCulture), "--listen-address=127.0.0.1",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=" + Path.Combine(dir, "pid"),
                "--conf-file=" + conf,
            })
            {
                psi.ArgumentList.Add(a);
            }
            var process = Process.Start(psi)!;
            var server = new Dnsmasq(process, dir, port);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (server.WaitReady()) return server;
            string log = server.Log;
            server.Stop();
            // The free port may have been taken between the probe and dnsmasq's bind: try another.
            if (attempt == 3)
            {
                Directory.Delete(dir, recursive: true);
                throw new AssertionException($"dnsmasq did not start: {log}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private bool WaitReady()
    {
        // Any well-formed query answered (even REFUSED) means the server is up.
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 0, 0, 1, 0, 1];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveTimeout = 200;
        var buffer = new byte[512];
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                socket.SendTo(query, EndPoint);
                if (socket.Receive(buffer) >= 12 && buffer[0] == 0x12 && buffer[1] == 0x34) return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string p = Path.Combine(dir, "dnsmasq");
            if (File.Exists(p)) return p;
        }
        return File.Exists("/usr/sbin/dnsmasq") ? "/usr/sbin/dnsmasq" : null;
    }

    /// <summary>A loopback port free for both UDP and TCP (dnsmasq binds both) at the time of the call.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                tcp.Stop();
                return port;
            }
            catch (SocketException)
            {
                // TCP side taken; pick another.
            }
        }
    }
}
