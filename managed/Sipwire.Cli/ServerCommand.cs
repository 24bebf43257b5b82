// `sipwire registrar|proxy|redirect`: runs a server role on real sockets until SIGINT/SIGTERM, one log line per transaction.
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
using Sipwire.Proxy;
using Sipwire.Redirect;
using Sipwire.Redis;
using Sipwire.Registrar;
using Sipwire.Transport;
using StackExchange.Redis;

namespace Sipwire.Cli;

/// <summary>
/// The server roles of issue 6: a registrar (RFC 3261 §10.3), a proxy (§16; also the registrar of its domain unless
/// --no-registrar) and a redirect server (§8.3). Exit codes: 0 after a clean shutdown, 1 when the server cannot
/// start (port in use, store unreachable), 2 on bad usage.
/// </summary>
public static class ServerCommand
{
    /// <summary>Runs <paramref name="role"/> until <paramref name="stop"/> is cancelled or the process gets SIGINT/SIGTERM.</summary>
    /// <param name="role">"registrar", "proxy" or "redirect".</param>
    /// <param name="args">The arguments after the role.</param>
    /// <param name="stdout">Start banner and one line per transaction.</param>
    /// <param name="stderr">Usage and fatal errors.</param>
    /// <param name="stop">Stops the server (tests; the CLI uses the signals).</param>
    /// <param name="started">Called with the bound addresses once the server listens (port 0 gets a real port).</param>
    public static int Run(string role, ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr,
        Action<IReadOnlyList<PeerAddress>>? started = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (role is not ("registrar" or "proxy" or "redirect" or "b2bua"))
        {
            stderr.WriteLine($"sipwire: unknown server role '{role}'");
            stderr.WriteLine(ServerArguments.Usage);
            return 2;
        }
        if (!ServerArguments.TryParse(role, args, out ServerArguments a, out string error))
        {
            stderr.WriteLine($"sipwire {role}: {error}");
            stderr.WriteLine(ServerArguments.Usage);
            return 2;
        }
        Dictionary<string, string>? users = null;
        if (a.UsersFile is not null)
        {
            users = ServerUsers.Load(a.UsersFile, out error);
            if (users is null)
            {
                stderr.WriteLine($"sipwire {role}: {error}");
                return 2;
            }
        }

        ConnectionMultiplexer? redis = null;
        ILocationService location;
        bool shared = a.Location != "memory";
        if (shared)
        {
            if (!ServerArguments.TryParseRedis(a.Location, out string host, out int port))
            {
                stderr.WriteLine($"sipwire {role}: --location '{a.Location}' is not redis://HOST:PORT");
                return 2;
            }
            try
            {
                redis = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { host, port } }, AbortOnConnectFail = true, ConnectTimeout = 3000 });
            }
            catch (RedisConnectionException ex)
            {
                stderr.WriteLine($"sipwire {role}: cannot reach the location store {a.Location}: {ex.Message}");
                return 1;
            }
            location = new RedisLocationService(redis);
        }
        else
        {
            location = new InMemoryLocationService();
        }

        try
        {
            return Serve(role, a, users, location, shared, stdout, stderr, started, stop);
        }
        finally
        {
            redis?.Dispose();
        }
    }

    private static int Serve(string role, ServerArguments a, Dictionary<string, string>? users, ILocationService location, bool shared,
        TextWriter stdout, TextWriter stderr, Action<IReadOnlyList<PeerAddress>>? started, CancellationToken stop)
    {
        using var endpoint = new Endpoint(new EndpointOptions { MaxTransactions = a.MaxTransactions });
        var bound = new List<PeerAddress>();
        int listened = ServerListeners.Open(endpoint, a, role, stderr, bound);
        if (listened != 0) return listened;

        // A store shared by several nodes needs one clock for all of them: Unix time (ILocationService remarks).
        Func<long> nowMs = shared ? () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : () => endpoint.Clock.NowMicros / 1000;
        TextWriter log = a.Quiet ? TextWriter.Null : stdout;
        void Log(string line) => log.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line);
        ServerListeners.LogHandshakeFailures(endpoint, Log);

        string realm = a.Domains[0];
        // One credential store and one nonce table for the registrar (401) and the proxy (407), RFC 3261 §22.
        DigestServer? digest = users is null ? null : new DigestServer(realm, DigestAlgorithm.Md5, TimeSpan.FromMinutes(5));
        Func<string, string?>? passwordOf = users is null ? null : u => users.TryGetValue(u, out string? pw) ? pw : null;
        SipRegistrar? registrar = null;
        if (role is "registrar" or "b2bua" || (role == "proxy" && !a.NoRegistrar))
        {
            registrar = new SipRegistrar(
                new RegistrarOptions { Domains = a.Domains, RequireAuthentication = users is not null },
                location, digest, passwordOf);
        }

        SipProxy? proxy = null;
        switch (role)
        {
            case "registrar":
                endpoint.User = new ServerRegistrarUser(endpoint.Transactions, registrar!, nowMs, Log);
                break;
            case "redirect":
                endpoint.User = new ServerRedirectUser(endpoint.Transactions, new SipRedirectServer(a.Domains, location), nowMs, Log);
                break;
            case "b2bua":
                if (ServerB2bua.Create(endpoint, bound, a, location, registrar, digest, passwordOf, nowMs, Log, out string b2buaError) is null)
                {
                    stderr.WriteLine($"sipwire {role}: {b2buaError}");
                    return 2;
                }
                break;
            default:
                PeerAddress first = ServerListeners.Primary(a, bound);
                IPAddress localIp = first.ToEndPoint().Address;
                if (localIp.Equals(IPAddress.Any) || localIp.Equals(IPAddress.IPv6Any))
                {
                    stderr.WriteLine($"sipwire {role}: the first --listen must be a concrete address (it goes into Via and Record-Route), not {first}");
                    return 2;
                }
                proxy = new SipProxy(new ProxyOptions
                {
                    Domains = a.Domains,
                    LocalHost = localIp.ToString(),
                    LocalPort = first.Port,
                    LocalTransport = first.Protocol,
                    TransportPorts = ServerListeners.TransportPorts(bound, first),
                    Aliases = bound.ConvertAll(b => b.ToEndPoint().ToString()),
                    Stateless = a.Stateless,
                    RecordRoute = !a.NoRecordRoute,
                    Forking = a.Forking,
                    NextHop = a.NextHop,
                    PathMode = a.PathMode,
                    NowMs = nowMs,
                    Authentication = digest is null ? null : new ProxyAuthentication(digest, passwordOf!)
                    {
                        Trusted = a.Trusted.Count == 0 ? null : s => a.Trusted.Contains(s.ToEndPoint().Address),
                    },
                }, endpoint.Transactions, location, registrar);
                if (!a.Quiet) proxy.Logged += e => Log(e.ToString());
                endpoint.User = proxy;
                endpoint.Transport.MessageReceived = (m, source) => proxy.Receive(m, source);
                break;
        }

        // Every role: the protection filter (Sipwire.Protection) in front of its receive path.
        if (ServerB2bua.Protect(endpoint, a) is not null && a.RateLimit > 0) stdout.WriteLine($"sipwire {role}: rate limit {a.RateLimit.ToString(CultureInfo.InvariantCulture)}/s per source (503 Retry-After beyond it)");
        stdout.WriteLine($"sipwire {role}: listening on {string.Join(", ", bound)} for {string.Join(", ", a.Domains)}" +
            (role == "proxy" ? (a.Stateless ? ", stateless" : $", stateful ({a.Forking.ToString().ToLowerInvariant()} forking)") + (a.NextHop is null ? "" : $", next hop {a.NextHop}") : "") +
            $", location {a.Location}");
        if (proxy is not null)
            stdout.WriteLine(users is null ? $"sipwire {role}: proxy authentication is OFF (no --users FILE): requests from users of {string.Join(", ", a.Domains)} are forwarded unauthenticated"
                : $"sipwire {role}: proxy authentication ON: requests from users of {string.Join(", ", a.Domains)} need Proxy-Authorization (407), the From user must be the authenticated one (403), no relaying between foreign domains (403)" +
                    (a.Trusted.Count == 0 ? "" : $"; trusted: {string.Join(", ", a.Trusted)}"));
        if (registrar is not null && users is null)
            stdout.WriteLine($"sipwire {role}: authentication is OFF (no --users FILE): anyone can register any address-of-record of {string.Join(", ", a.Domains)}");
        else if (registrar is not null)
            stdout.WriteLine($"sipwire {role}: digest authentication ON, realm \"{realm}\", {users!.Count} users");
        if (ServerListeners.Banner(a, endpoint.Transport.TlsProvider) is string tlsBanner) stdout.WriteLine($"sipwire {role}: {tlsBanner}");
        stdout.Flush();
        started?.Invoke(bound);

        ServerLoop.Run(endpoint, () => proxy?.NextDeadline ?? long.MaxValue, () => proxy?.ProcessTimers(),
            () => location.PurgeExpired(nowMs()), stop);
        stdout.WriteLine($"sipwire {role}: stopped" + (proxy is null ? "" : $" ({proxy.StatelessForwarded} requests forwarded statelessly, {proxy.Dropped} dropped)"));
        stdout.Flush();
        return 0;
    }
}
