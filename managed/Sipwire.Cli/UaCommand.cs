// `sipwire ua`: runs a user agent from flags or a config file (register, answer, call, message, subscribe).
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sipwire.Cli;

/// <summary>
/// Entry of <c>sipwire ua</c>. Exit code 0 when everything asked succeeded, 1 when something
/// failed (each failure printed as an event line with its status and reason), 2 on bad usage.
/// SIGINT and SIGTERM end calls, unregister and exit.
/// </summary>
internal static class UaCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        using var cts = new CancellationTokenSource();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, cts));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, cts));
        return Run(args, stdout, stderr, cts.Token);
    }

    /// <summary>The testable core: <paramref name="stop"/> plays the part of SIGINT/SIGTERM.</summary>
    internal static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        if (!UaSettings.TryParse(args, out UaSettings settings, out string error))
        {
            stderr.WriteLine($"sipwire ua: {error}");
            stderr.WriteLine(UaSettings.Usage);
            return 2;
        }
        using var endpoint = new Endpoint(new EndpointOptions { UserAgent = "sipwire-ua" });
        var session = new UaSession(settings, stdout, endpoint);
        if (!session.TrySetUp(stderr, out int exitCode))
        {
            if (exitCode == 2) stderr.WriteLine(UaSettings.Usage);
            return exitCode;
        }
        return session.Run(stop);
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource cts)
    {
        // Keep the process alive: the run loop unregisters and returns its exit code.
        context.Cancel = true;
        cts.Cancel();
    }
}
