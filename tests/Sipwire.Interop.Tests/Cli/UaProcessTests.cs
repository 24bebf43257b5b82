// The real `sipwire ua` process: SIGINT unregisters and exits 0, SIGTERM too; the process is ours, signalled and reaped by pid.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace Sipwire.Interop.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class UaProcessTests
{
    [TestCase("INT")]
    [TestCase("TERM")]
    public void SignalUnregistersAndExitsZero(string signal)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "Sipwire.Cli");
        Assert.That(File.Exists(exe), Is.True, $"{exe} missing: the test project references Sipwire.Cli");
        using var registrar = new LoopbackRegistrar();
        // Through env(1), which resets both signals to their default action and execs the UA (same
        // pid): a process started in the background by a non-interactive shell inherits SIGINT
        // ignored, and the .NET runtime, like any Unix program, keeps an inherited SIG_IGN for
        // SIGINT, so the test would otherwise depend on how its own runner was started.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--default-signal=INT,TERM", exe, "ua", "--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland", "--outbound-proxy", registrar.Uri, "--register" })
        {
            info.ArgumentList.Add(a);
        }
        var stdout = new StringBuilder();
        using Process ua = Process.Start(info)!;
        ua.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        ua.BeginOutputReadLine();
        ua.BeginErrorReadLine();
        try
        {
            var sw = Stopwatch.StartNew();
            while (!registrar.Answers.Exists(a => a.Status == 200) && sw.Elapsed < TimeSpan.FromSeconds(20) && !ua.HasExited) registrar.Endpoint.Poll(TimeSpan.FromMilliseconds(10));
            Assert.That(registrar.Answers.Exists(a => a.Status == 200), Is.True, $"never registered\n{stdout}");
            // Our own child, by its pid.
            using (Process kill = Process.Start("kill", $"-{signal} {ua.Id}")!)
            {
                kill.WaitForExit();
            }
            sw.Restart();
            while (!ua.HasExited && sw.Elapsed < TimeSpan.FromSeconds(15)) registrar.Endpoint.Poll(TimeSpan.FromMilliseconds(10));
            Assert.That(ua.HasExited, Is.True, $"still running after SIG{signal}\n{stdout}");
            ua.WaitForExit();
            Assert.Multiple(() =>
            {
                Assert.That(ua.ExitCode, Is.EqualTo(0), stdout.ToString());
                Assert.That(stdout.ToString(), Does.Contain("ua stopping (signal)"));
                Assert.That(registrar.Answers[^1], Is.EqualTo((200, 0)), "unregistered on the way out");
            });
        }
        finally
        {
            if (!ua.HasExited) ua.Kill();
        }
    }
}
