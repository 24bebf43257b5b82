// Starts a private redis-server on 127.0.0.1 and a free port for the test run, and stops it by its pid.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NUnit.Framework;
using StackExchange.Redis;

namespace Sipwire.Redis.Tests;

[SetUpFixture]
public sealed class RedisServer
{
    private static Process? s_process;
    private static int s_port;

    /// <summary>A new connection to the test server (each "node" of a test gets its own).</summary>
    public static ConnectionMultiplexer Connect() =>
        ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { IPAddress.Loopback, s_port } }, AbortOnConnectFail = true, ConnectTimeout = 5000 });

    [OneTimeSetUp]
    public void Start()
    {
        string? exe = Find();
        if (exe is null)
        {
            Assert.Fail("redis-server not found on PATH; install the Debian package: apt-get install -y redis-server");
        }
        s_port = FreePort();
        var psi = new ProcessStartInfo(exe!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No persistence: nothing is written to disk, nothing survives the run.
        foreach (string a in new[] { "--bind", "127.0.0.1", "--port", s_port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
        {
            psi.ArgumentList.Add(a);
        }
        s_process = Process.Start(psi)!;
        s_process.OutputDataReceived += (_, _) => { };
        s_process.ErrorDataReceived += (_, _) => { };
        s_process.BeginOutputReadLine();
        s_process.BeginErrorReadLine();
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using ConnectionMultiplexer c = Connect();
                c.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !s_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (s_process is null) return;
        if (!s_process.HasExited)
        {
            s_process.Kill();
            s_process.WaitForExit(5000);
        }
        s_process.Dispose();
        s_process = null;
    }

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string p = Path.Combine(dir, "redis-server");
            if (File.Exists(p)) return p;
        }
        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
    }

    /// <summary>A loopback port nothing listens on (at the time of the call).</summary>
    public static int UnusedPort() => FreePort();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
