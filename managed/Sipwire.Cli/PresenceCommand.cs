// `sipwire presence`: presence agent, ua-profile provisioning server and registrar of a domain on real sockets until SIGINT/SIGTERM.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Presence;
using Sipwire.Registrar;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Cli;

/// <summary>
/// The presence role of issue 6: PUBLISH/SUBSCRIBE presence (RFC 3856, RFC 3903), SUBSCRIBE ua-profile
/// (RFC 6080) and REGISTER (RFC 3261 §10.3) for one domain, one log line per transaction. Exit codes: 0 after
/// a clean shutdown, 1 when it cannot listen, 2 on bad usage.
/// </summary>
public static class PresenceCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: sipwire presence --listen udp|tcp|tls:IP:PORT [--listen ...]... --domain DOMAIN [--users FILE]\n" +
        "         [--profiles FILE] [--watchers FILE] [--reject-unknown-watchers] [--max-transactions N] [--quiet]\n" +
        "         [--rate-limit N/s] [--tls-only] [--tls-cert FILE --tls-key FILE] [--tls-ca FILE]\n" +
        TlsArguments.Usage +
        "  --profiles FILE  lines 'device|user|local-network URL [resource=SIP-URI] [vendor=V] [model=M] [type=MEDIA/TYPE]'\n" +
        "  --watchers FILE  lines 'PRESENTITY WATCHER...' (user names of DOMAIN or SIP URIs) allowed to watch";

    /// <summary>Runs the role until <paramref name="stop"/> is cancelled or the process gets SIGINT/SIGTERM.</summary>
    /// <param name="args">The arguments after "presence".</param>
    /// <param name="stdout">Start banner and one line per transaction.</param>
    /// <param name="stderr">Usage and fatal errors.</param>
    /// <param name="started">Called with the bound addresses and the server once it listens (port 0 gets a real port).</param>
    /// <param name="stop">Stops the server (tests; the CLI uses the signals).</param>
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr,
        Action<IReadOnlyList<PeerAddress>, PresenceServer>? started = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        // Our own flags first; the rest are the common server flags (registrar role rules).
        string? profilesFile = null, watchersFile = null;
        bool rejectUnknown = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--profiles" or "--watchers":
                    if (i + 1 >= args.Length)
                    {
                        stderr.WriteLine($"sipwire presence: {args[i]} needs a file");
                        stderr.WriteLine(Usage);
                        return 2;
                    }
                    if (args[i] == "--profiles") profilesFile = args[++i];
                    else watchersFile = args[++i];
                    break;
                case "--reject-unknown-watchers":
                    rejectUnknown = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        if (!ServerArguments.TryParse("registrar", rest.ToArray(), out ServerArguments a, out string error))
        {
            stderr.WriteLine($"sipwire presence: {error}");
            stderr.WriteLine(Usage);
            return 2;
        }
        if (a.Location != "memory")
        {
            stderr.WriteLine("sipwire presence: only --location memory is supported (publications and subscriptions live in this process)");
            return 2;
        }
        Dictionary<string, string>? users = null;
        if (a.UsersFile is not null && (users = ServerUsers.Load(a.UsersFile, out error)) is null)
        {
            stderr.WriteLine($"sipwire presence: {error}");
            return 2;
        }
        List<UaProfile>? profiles = [];
        if (profilesFile is not null && (profiles = PresenceProfiles.LoadProfiles(profilesFile, out error)) is null)
        {
            stderr.WriteLine($"sipwire presence: {error}");
            return 2;
        }
        List<(string Presentity, string Watcher)>? watchers = [];
        if (watchersFile is not null && (watchers = PresenceProfiles.LoadWatchers(watchersFile, a.Domains[0], out error)) is null)
        {
            stderr.WriteLine($"sipwire presence: {error}");
            return 2;
        }

        using var endpoint = new Endpoint(new EndpointOptions { MaxTransactions = a.MaxTransactions });
        var bound = new List<PeerAddress>();
        int listened = ServerListeners.Open(endpoint, a, "presence", stderr, bound);
        if (listened != 0) return listened;
        PeerAddress primary = ServerListeners.Primary(a, bound);
        IPEndPoint first = primary.ToEndPoint();
        if (first.Address.Equals(IPAddress.Any) || first.Address.Equals(IPAddress.IPv6Any))
        {
            stderr.WriteLine($"sipwire presence: the first --listen must be a concrete address (it goes into Contact and Via of NOTIFY), not {primary}");
            return 2;
        }

        TextWriter log = a.Quiet ? TextWriter.Null : stdout;
        void Log(string line) => log.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line);
        ServerListeners.LogHandshakeFailures(endpoint, Log);
        string realm = a.Domains[0];
        DigestServer? digest = users is null ? null : new DigestServer(realm, DigestAlgorithm.Md5, TimeSpan.FromMinutes(5));
        Func<string, string?>? passwordOf = users is null ? null : u => users.TryGetValue(u, out string? pw) ? pw : null;
        var location = new InMemoryLocationService();
        var registrar = new SipRegistrar(new RegistrarOptions { Domains = a.Domains, RequireAuthentication = users is not null }, location, digest, passwordOf);
        string hostPort = first.ToString();
        string transport = ServerListeners.TransportParameter(primary.Protocol);
        var server = new PresenceServer(endpoint.Transactions, new PresenceServerOptions
        {
            UserAgent = new UserAgentOptions
            {
                LocalUri = $"sip:presence@{realm}",
                ContactUri = $"sip:presence@{hostPort}{transport}",
                LocalSentBy = hostPort,
                MediaAddress = first.Address,
            },
            Domains = a.Domains,
            Digest = digest,
            PasswordOf = passwordOf,
            UnknownWatchers = rejectUnknown ? UnknownWatcherPolicy.Reject : UnknownWatcherPolicy.Pending,
        }, registrar);
        foreach (UaProfile p in profiles) server.Provisioning.UpdateProfile(p);
        foreach ((string presentity, string watcher) in watchers) server.Agent.AllowWatcher(presentity, watcher);
        if (!a.Quiet) server.Logged += Log;
        endpoint.User = server;
        // --rate-limit and --tls-only (Sipwire.Protection) in front of the receive path, as for every role.
        if (ServerB2bua.Protect(endpoint, a) is not null && a.RateLimit > 0)
            stdout.WriteLine($"sipwire presence: rate limit {a.RateLimit.ToString(CultureInfo.InvariantCulture)}/s per source (503 Retry-After beyond it)");

        stdout.WriteLine($"sipwire presence: listening on {string.Join(", ", bound)} for {string.Join(", ", a.Domains)}: presence agent, " +
            $"{profiles.Count} ua-profile entries, {watchers.Count} watcher authorizations, unknown watchers {(rejectUnknown ? "rejected (403)" : "pending")}, registrar");
        stdout.WriteLine(users is null
            ? $"sipwire presence: authentication is OFF (no --users FILE): anyone can publish, watch and register as anyone of {string.Join(", ", a.Domains)}"
            : $"sipwire presence: digest authentication ON, realm \"{realm}\", {users.Count} users");
        if (ServerListeners.Banner(a, endpoint.Transport.TlsProvider) is string tlsBanner) stdout.WriteLine($"sipwire presence: {tlsBanner}");
        stdout.Flush();
        started?.Invoke(bound, server);

        ServerLoop.Run(endpoint, () => server.NextDeadline, server.ProcessTimers,
            () => location.PurgeExpired(endpoint.Clock.NowMicros / 1000), stop);
        stdout.WriteLine($"sipwire presence: stopped ({server.Agent.Compositor.Count} publications, {server.Core.NotifierSubscriptions.Count} subscriptions dropped)");
        stdout.Flush();
        return 0;
    }
}
