// The poll loop every server role runs until SIGINT/SIGTERM or its stop token: poll, role timers, location purge.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sipwire.Cli;

internal static class ServerLoop
{
    private const long PurgeIntervalMicros = 60_000_000;

    /// <summary>
    /// Polls <paramref name="endpoint"/> (at least every 0.5 s, sooner for <paramref name="nextDeadline"/>), runs
    /// <paramref name="processTimers"/> after each poll and <paramref name="purge"/> once a minute, until
    /// <paramref name="stop"/> is cancelled or the process gets SIGINT/SIGTERM (clean shutdown: no default
    /// termination, the caller's sockets close and it exits 0).
    /// </summary>
    public static void Run(Endpoint endpoint, Func<long> nextDeadline, Action processTimers, Action purge, CancellationToken stop)
    {
        using var signalled = new CancellationTokenSource();
        using CancellationTokenRegistration wake = stop.Register(() => Wake(endpoint));
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Signal(c, signalled, endpoint));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Signal(c, signalled, endpoint));
        long nextPurge = endpoint.Clock.NowMicros + PurgeIntervalMicros;
        while (!stop.IsCancellationRequested && !signalled.IsCancellationRequested)
        {
            long now = endpoint.Clock.NowMicros;
            long until = Math.Min(nextDeadline(), now + 500_000);
            endpoint.Poll(TimeSpan.FromTicks(Math.Max(0, until - now) * 10));
            processTimers();
            if (endpoint.Clock.NowMicros >= nextPurge)
            {
                nextPurge = endpoint.Clock.NowMicros + PurgeIntervalMicros;
                purge();
            }
        }
    }

    private static void Signal(PosixSignalContext context, CancellationTokenSource signalled, Endpoint endpoint)
    {
        context.Cancel = true;
        signalled.Cancel();
        Wake(endpoint);
    }

    private static void Wake(Endpoint endpoint)
    {
        try
        {
            endpoint.Post(() => { });
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }
}
