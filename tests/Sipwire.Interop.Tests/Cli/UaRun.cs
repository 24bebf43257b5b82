// Runs `sipwire ua` in-process on a worker thread while the test thread polls the peers it talks to.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;

namespace Sipwire.Interop.Tests.Cli;

internal sealed class UaRun
{
    private UaRun(int exitCode, string stdout, string stderr, TimeSpan elapsed)
    {
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
        Elapsed = elapsed;
    }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Runs the command to its end (at most <paramref name="limit"/>), polling <paramref name="peers"/> meanwhile;
    /// <paramref name="whileRunning"/> sees the stop source (the stand-in for SIGINT) and the output so far.
    /// </summary>
    public static UaRun Start(string[] args, TimeSpan limit, Action<CancellationTokenSource, string>? whileRunning = null, params Endpoint[] peers)
    {
        var stdoutText = new StringWriter();
        var stderrText = new StringWriter();
        // The synchronized wrappers lock themselves per call; reading takes the same lock.
        TextWriter stdout = TextWriter.Synchronized(stdoutText);
        TextWriter stderr = TextWriter.Synchronized(stderrText);
        string Read(TextWriter w, StringWriter text)
        {
            lock (w) return text.ToString();
        }
        using var cts = new CancellationTokenSource();
        var sw = Stopwatch.StartNew();
        Task<int> run = Task.Factory.StartNew(() => UaCommand.Run(args, stdout, stderr, cts.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!run.IsCompleted && sw.Elapsed < limit)
        {
            if (peers.Length == 0) run.Wait(TimeSpan.FromMilliseconds(20));
            foreach (Endpoint p in peers) p.Poll(TimeSpan.FromMilliseconds(5));
            whileRunning?.Invoke(cts, Read(stdout, stdoutText));
        }
        if (!run.IsCompleted)
        {
            // The command hung: stop it as SIGINT would, then report.
            cts.Cancel();
            run.Wait(TimeSpan.FromSeconds(10));
            Assert.Fail($"sipwire ua did not end within {limit.TotalSeconds} s\n{Read(stdout, stdoutText)}\n{Read(stderr, stderrText)}");
        }
        return new UaRun(run.Result, Read(stdout, stdoutText), Read(stderr, stderrText), sw.Elapsed);
    }

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
