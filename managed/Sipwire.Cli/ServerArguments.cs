// Command-line arguments of the server roles (`sipwire registrar|proxy|redirect`), parsed and checked.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using Sipwire.Proxy;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>The options of one server run; <see cref="TryParse"/> explains what is wrong with bad usage.</summary>
internal sealed class ServerArguments
{
    public const string Usage =
        "usage: sipwire registrar|proxy|redirect|b2bua --listen udp|tcp|tls:IP:PORT [--listen ...]... --domain DOMAIN\n" +
        "         [--users FILE] [--location memory|redis://HOST:PORT] [--stateless] [--no-registrar]\n" +
        "         [--next-hop sip:IP:PORT[;transport=tcp]] [--path supported|always|off] [--trusted IP[,IP]...]\n" +
        "         [--forking parallel|sequential] [--no-record-route] [--max-transactions N] [--quiet]\n" +
        "         [--rate-limit N/s] [--tls-only] [--tls-cert FILE --tls-key FILE] [--tls-ca FILE]\n" +
        TlsArguments.Usage;

    public List<PeerAddress> Listen { get; } = [];

    public List<string> Domains { get; } = [];

    public string? UsersFile { get; private set; }

    public string Location { get; private set; } = "memory";

    public bool Stateless { get; private set; }

    public bool NoRegistrar { get; private set; }

    /// <summary>--next-hop: where the proxy sends what it does not resolve itself (ProxyOptions.NextHop).</summary>
    public string? NextHop { get; private set; }

    /// <summary>--path: Path on REGISTER forwarded to the next hop (RFC 3327 §5.2, ProxyOptions.PathMode).</summary>
    public PathMode PathMode { get; private set; } = PathMode.Supported;

    /// <summary>--trusted: sources whose requests the proxy does not challenge (ProxyAuthentication.Trusted).</summary>
    public List<System.Net.IPAddress> Trusted { get; } = [];

    public bool NoRecordRoute { get; private set; }

    public bool Quiet { get; private set; }

    public ForkingMode Forking { get; private set; } = ForkingMode.Parallel;

    /// <summary>
    /// Size of the transaction table: UDP non-INVITE transactions live 64*T1 = 32 s (§17.2.2 Timer J), so it bounds the
    /// sustained rate. 393,216 holds 10,000 REGISTER/s (320,000 Completed) with room for transactions in progress;
    /// a Completed one keeps only key + response (~800 B), so a full table is ~315 MB, an idle one ~12 MB of arrays.
    /// </summary>
    public int MaxTransactions { get; private set; } = 393216;

    /// <summary>Requests per second per source IP (--rate-limit); 0 = no limit.</summary>
    public double RateLimit { get; private set; }

    /// <summary>Serve only TLS (--tls-only, Sipwire.Protection.ProtectionOptions.TlsOnly).</summary>
    public bool TlsOnly { get; private set; }

    /// <summary>--tls-cert, --tls-key, --tls-ca.</summary>
    public TlsArguments Tls { get; } = new();

    public static bool TryParse(string role, ReadOnlySpan<string> args, out ServerArguments parsed, out string error)
    {
        parsed = new ServerArguments();
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (a)
            {
                case "--listen":
                    if (value is null || !TryParseListen(value, out PeerAddress p, out error))
                    {
                        error = value is null ? "--listen needs udp:IP:PORT, tcp:IP:PORT or tls:IP:PORT" : error;
                        return false;
                    }
                    parsed.Listen.Add(p);
                    i++;
                    break;
                case "--domain":
                    if (string.IsNullOrWhiteSpace(value) || value.StartsWith("--", StringComparison.Ordinal))
                    {
                        error = "--domain needs a domain name";
                        return false;
                    }
                    parsed.Domains.Add(value);
                    i++;
                    break;
                case "--users":
                    if (value is null)
                    {
                        error = "--users needs a file of 'user password' lines";
                        return false;
                    }
                    parsed.UsersFile = value;
                    i++;
                    break;
                case "--location":
                    if (value is null || !(value == "memory" || value.StartsWith("redis://", StringComparison.Ordinal)))
                    {
                        error = "--location is 'memory' or 'redis://HOST:PORT'";
                        return false;
                    }
                    parsed.Location = value;
                    i++;
                    break;
                case "--forking":
                    if (value is not ("parallel" or "sequential"))
                    {
                        error = "--forking is 'parallel' or 'sequential'";
                        return false;
                    }
                    parsed.Forking = value == "parallel" ? ForkingMode.Parallel : ForkingMode.Sequential;
                    i++;
                    break;
                case "--max-transactions":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int max) || max is < 16 or > 4_194_304)
                    {
                        error = "--max-transactions needs a number from 16 to 4194304";
                        return false;
                    }
                    parsed.MaxTransactions = max;
                    i++;
                    break;
                case "--rate-limit":
                    if (!double.TryParse(value?.EndsWith("/s", StringComparison.Ordinal) == true ? value[..^2] : value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double rate)
                        || rate is <= 0 or > 1_000_000)
                    {
                        error = "--rate-limit needs requests per second per source, e.g. 20/s (more than 0, at most 1000000)";
                        return false;
                    }
                    parsed.RateLimit = rate;
                    i++;
                    break;
                case "--tls-cert" or "--tls-key" or "--tls-ca":
                    if (value is null || value.StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"{a} needs a PEM file";
                        return false;
                    }
                    if (a == "--tls-cert") parsed.Tls.CertificateFile = value;
                    else if (a == "--tls-key") parsed.Tls.KeyFile = value;
                    else parsed.Tls.CaFile = value;
                    i++;
                    break;
                case "--next-hop":
                    if (!TryParseNextHop(value, out error)) return false;
                    parsed.NextHop = value;
                    i++;
                    break;
                case "--trusted":
                    foreach (string ip in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!System.Net.IPAddress.TryParse(ip, out System.Net.IPAddress? address))
                        {
                            error = $"--trusted takes IP addresses separated by commas (got '{ip}')";
                            return false;
                        }
                        parsed.Trusted.Add(address);
                    }
                    if (parsed.Trusted.Count == 0)
                    {
                        error = "--trusted takes IP addresses separated by commas";
                        return false;
                    }
                    i++;
                    break;
                case "--path":
                    if (value is not ("supported" or "always" or "off"))
                    {
                        error = "--path is 'supported' (RFC 3327: only for UAs that say Supported: path), 'always' or 'off'";
                        return false;
                    }
                    parsed.PathMode = value == "supported" ? PathMode.Supported : value == "always" ? PathMode.Always : PathMode.Off;
                    i++;
                    break;
                case "--tls-only": parsed.TlsOnly = true; break;
                case "--stateless": parsed.Stateless = true; break;
                case "--no-registrar": parsed.NoRegistrar = true; break;
                case "--no-record-route": parsed.NoRecordRoute = true; break;
                case "--quiet": parsed.Quiet = true; break;
                default:
                    error = $"unknown option '{a}'";
                    return false;
            }
        }
        if (parsed.Listen.Count == 0)
        {
            error = "at least one --listen is required";
            return false;
        }
        if (parsed.Domains.Count == 0)
        {
            error = "--domain is required";
            return false;
        }
        if (role != "proxy" && (parsed.Stateless || parsed.NoRegistrar || parsed.NoRecordRoute || parsed.Forking != ForkingMode.Parallel))
        {
            error = "--stateless, --no-registrar, --no-record-route and --forking apply to the proxy role only";
            return false;
        }
        bool hasTls = parsed.Listen.Exists(l => l.Protocol == TransportProtocol.Tls);
        if (parsed.TlsOnly && !hasTls)
        {
            // Without a TLS listener, TLS-only would refuse every request.
            error = "--tls-only needs a --listen tls:IP:PORT";
            return false;
        }
        if (parsed.Tls.Check(hasTls) is string tlsError)
        {
            error = tlsError;
            return false;
        }
        if (role != "proxy" && (parsed.NextHop is not null || parsed.PathMode != PathMode.Supported))
        {
            error = "--next-hop and --path apply to the proxy role only";
            return false;
        }
        if (parsed.Trusted.Count > 0 && (role != "proxy" || parsed.UsersFile is null))
        {
            error = "--trusted applies to the proxy with --users (sources it does not challenge)";
            return false;
        }
        if (role == "redirect" && parsed.UsersFile is not null)
        {
            error = "--users applies to the registrar and the proxy (a redirect server does not authenticate)";
            return false;
        }
        return true;
    }

    private static bool TryParseNextHop(string? value, out string error)
    {
        error = "";
        // The server roles do no DNS (ProxyOptions.Resolve is not set): the next hop must be an IP literal.
        if (value is null || !Sip.SipUri.TryParse(value, out Sip.SipUri? uri) || uri!.Scheme is not (Sip.SipUriScheme.Sip or Sip.SipUriScheme.Sips)
            || !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            error = $"--next-hop needs a SIP URI with an IP address, e.g. sip:127.0.0.1:5070 or sip:127.0.0.1:5070;transport=tcp (got '{value}')";
            return false;
        }
        return true;
    }

    private static bool TryParseListen(string text, out PeerAddress address, out string error)
    {
        address = default;
        error = "";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        TransportProtocol protocol;
        if (scheme == "udp") protocol = TransportProtocol.Udp;
        else if (scheme == "tcp") protocol = TransportProtocol.Tcp;
        else if (scheme == "tls") protocol = TransportProtocol.Tls;
        else
        {
            error = $"--listen '{text}': expected udp:IP:PORT, tcp:IP:PORT or tls:IP:PORT";
            return false;
        }
        if (!PeerAddress.TryParse(protocol, text.AsSpan(colon + 1), out address))
        {
            error = $"--listen '{text}': '{text[(colon + 1)..]}' is not IP:PORT (IPv6 as [::1]:5060)";
            return false;
        }
        return true;
    }

    /// <summary>"redis://host:port" split into host and port (6379 by default).</summary>
    public static bool TryParseRedis(string location, out string host, out int port)
    {
        string rest = location["redis://".Length..].TrimEnd('/');
        port = 6379;
        host = rest;
        int colon = rest.LastIndexOf(':');
        if (colon > 0 && rest[colon - 1] != ':')
        {
            host = rest[..colon];
            if (!int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535) return false;
        }
        return host.Length > 0;
    }
}
