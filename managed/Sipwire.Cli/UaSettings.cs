// What `sipwire ua` was asked to do, parsed from its flags and an optional key = value config file.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Sipwire.Sip;

namespace Sipwire.Cli;

/// <summary>
/// The settings of one <c>sipwire ua</c> run. Flags and config keys are the same names
/// (<c>--exit-after 5</c> = <c>exit-after = 5</c>); the config file is read first and flags given on
/// the command line override it (a <c>--listen</c> flag replaces the file's listen lines).
/// </summary>
internal sealed class UaSettings
{
    // RFC 3261 §25.1 token characters.
    private static readonly SearchValues<char> s_token = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    public const string Usage =
        "usage: sipwire ua [--config FILE] [--listen udp|tcp|tls:HOST:PORT]... [--aor SIP-URI]\n" +
        "                  [--user NAME --password SECRET] [--outbound-proxy SIP-URI] [--register]\n" +
        "                  [--auto-answer[=SECONDS]] [--call SIP-URI [--duration SECONDS]]\n" +
        "                  [--message SIP-URI TEXT] [--subscribe SIP-URI [--event presence]] [--exit-after SECONDS]\n" +
        "                  [--tls-cert FILE --tls-key FILE] [--tls-ca FILE | --tls-insecure]\n" +
        "  --tls-cert FILE   PEM certificate chain (leaf first) of our tls: listener, also offered as client certificate\n" +
        "  --tls-key FILE    PEM private key of --tls-cert (RSA or EC, unencrypted)\n" +
        "  --tls-ca FILE     PEM trust anchors that the registrar/proxy certificate must chain to (RFC 5922; default: system store)\n" +
        "  --tls-insecure    accept any server certificate: for labs only, never in a product (anyone can impersonate the server)\n" +
        UaMediaSettings.Usage +
        "Prints one line per event. Exit: 0 all asked succeeded, 1 something failed, 2 bad usage.";

    public List<UaListen> Listens { get; } = [];

    public string? Aor { get; private set; }

    public string? User { get; private set; }

    public string? Password { get; private set; }

    public string? OutboundProxy { get; private set; }

    public bool Register { get; private set; }

    /// <summary>Seconds to ring before answering; null = do not answer (incoming calls get 480).</summary>
    public double? AutoAnswer { get; private set; }

    public string? CallUri { get; private set; }

    /// <summary>Seconds an answered call is held before we hang up; null = until the peer hangs up.</summary>
    public double? Duration { get; private set; }

    public string? MessageUri { get; private set; }

    public string? MessageText { get; private set; }

    public string? SubscribeUri { get; private set; }

    public string Event { get; private set; } = "presence";

    public double? ExitAfter { get; private set; }

    /// <summary>--tls-cert, --tls-key, --tls-ca, --tls-insecure.</summary>
    public TlsArguments Tls { get; } = new();

    /// <summary>True when a tls: listener was asked for explicitly (it then needs --tls-cert).</summary>
    public bool HasTlsListen => Listens.Exists(l => l.Protocol == Sipwire.Transport.TransportProtocol.Tls);

    /// <summary>--play, --record, --codecs, --rtp-port.</summary>
    public UaMediaSettings Media { get; } = new();

    /// <summary>True when the run has work that ends by itself (a call, a message, a subscription).</summary>
    public bool HasOneShotWork => CallUri is not null || MessageUri is not null || SubscribeUri is not null;

    /// <summary>Parses the command line (and the config file it names); false with a one-line reason on bad usage.</summary>
    public static bool TryParse(ReadOnlySpan<string> args, out UaSettings settings, out string error)
    {
        settings = new UaSettings();
        error = "";
        var flags = new List<(string Key, string? Value, string? Extra)>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{a}'";
                return false;
            }
            string key = a[2..];
            string? value = null;
            int eq = key.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = key[(eq + 1)..];
                key = key[..eq];
            }
            switch (KindOf(key))
            {
                case ArgKind.Unknown:
                    error = $"unknown option '--{key}'";
                    return false;
                case ArgKind.Switch:
                    if (value is not null && key != "auto-answer" && key != "register")
                    {
                        error = $"--{key} takes no value";
                        return false;
                    }
                    flags.Add((key, value, null));
                    break;
                case ArgKind.Value:
                    if (value is null)
                    {
                        if (i + 1 >= args.Length)
                        {
                            error = $"--{key} needs a value";
                            return false;
                        }
                        value = args[++i];
                    }
                    flags.Add((key, value, null));
                    break;
                case ArgKind.Pair:
                    // --message URI TEXT
                    if (value is null)
                    {
                        if (i + 1 >= args.Length)
                        {
                            error = $"--{key} needs a URI and a text";
                            return false;
                        }
                        value = args[++i];
                    }
                    if (i + 1 >= args.Length)
                    {
                        error = $"--{key} needs a text after the URI";
                        return false;
                    }
                    flags.Add((key, value, args[++i]));
                    break;
            }
        }
        // The config file first, then the flags over it.
        foreach ((string key, string? value, _) in flags)
        {
            if (key != "config") continue;
            if (!settings.ReadConfig(value!, out error)) return false;
        }
        bool listenFromFlags = false;
        foreach ((string key, string? value, string? extra) in flags)
        {
            if (key == "config") continue;
            if (key == "listen" && !listenFromFlags)
            {
                settings.Listens.Clear();
                listenFromFlags = true;
            }
            if (!settings.Apply(key, value, extra, $"--{key}", out error)) return false;
        }
        return settings.Validate(out error);
    }

    private enum ArgKind
    {
        Unknown,
        Switch,
        Value,
        Pair,
    }

    private static ArgKind KindOf(string key) => key switch
    {
        "register" or "auto-answer" or "tls-insecure" => ArgKind.Switch,
        "config" or "listen" or "aor" or "user" or "password" or "outbound-proxy" or "call" or "duration" or "subscribe" or "event" or "exit-after" => ArgKind.Value,
        "tls-cert" or "tls-key" or "tls-ca" => ArgKind.Value,
        _ when UaMediaSettings.IsKey(key) => ArgKind.Value,
        "message" => ArgKind.Pair,
        _ => ArgKind.Unknown,
    };

    private bool ReadConfig(string path, out string error)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"--config '{path}': {e.Message}";
            return false;
        }
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            string where = $"{path}:{n + 1}";
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            string key = (eq < 0 ? line : line[..eq]).Trim();
            string? value = eq < 0 ? null : line[(eq + 1)..].Trim();
            ArgKind kind = KindOf(key);
            if (kind == ArgKind.Unknown || key == "config")
            {
                error = $"{where}: unknown key '{key}'";
                return false;
            }
            string? extra = null;
            if (kind == ArgKind.Pair)
            {
                // message = URI TEXT (the text is the rest of the line)
                int sp = value?.IndexOfAny([' ', '\t']) ?? -1;
                if (sp < 0)
                {
                    error = $"{where}: {key} needs a URI and a text";
                    return false;
                }
                extra = value![(sp + 1)..].Trim();
                value = value[..sp];
            }
            else if (kind == ArgKind.Value && string.IsNullOrEmpty(value))
            {
                error = $"{where}: {key} needs a value";
                return false;
            }
            if (kind == ArgKind.Switch && value is not null)
            {
                if (value is "true" or "yes" or "on") value = null;
                else if (value is "false" or "no" or "off") continue;
            }
            if (!Apply(key, value, extra, where, out error)) return false;
        }
        error = "";
        return true;
    }

    private bool Apply(string key, string? value, string? extra, string where, out string error)
    {
        error = "";
        switch (key)
        {
            case "listen":
                if (!UaListen.TryParse(value!, out UaListen l, out error)) return false;
                Listens.Add(l);
                return true;
            case "aor": return Uri(value!, where, out error, v => Aor = v);
            case "user":
                User = value;
                return true;
            case "password":
                Password = value;
                return true;
            case "outbound-proxy": return Uri(value!, where, out error, v => OutboundProxy = v);
            case "register":
                if (value is not null && value is not ("true" or "yes" or "on"))
                {
                    error = $"{where}: takes no value";
                    return false;
                }
                Register = true;
                return true;
            case "auto-answer":
                if (value is null || value.Length == 0)
                {
                    AutoAnswer = 0;
                    return true;
                }
                return Seconds(value, where, out error, v => AutoAnswer = v);
            case "call": return Uri(value!, where, out error, v => CallUri = v);
            case "duration": return Seconds(value!, where, out error, v => Duration = v);
            case "message":
                MessageText = extra;
                return Uri(value!, where, out error, v => MessageUri = v);
            case "subscribe": return Uri(value!, where, out error, v => SubscribeUri = v);
            case "event":
                // RFC 6665 §8.4: an event package name is a token.
                if (value!.Length == 0 || value.AsSpan().IndexOfAnyExcept(s_token) >= 0)
                {
                    error = $"{where}: '{value}' is not an event package name";
                    return false;
                }
                Event = value;
                return true;
            case "exit-after": return Seconds(value!, where, out error, v => ExitAfter = v);
            case "tls-cert":
                Tls.CertificateFile = value;
                return true;
            case "tls-key":
                Tls.KeyFile = value;
                return true;
            case "tls-ca":
                Tls.CaFile = value;
                return true;
            case "tls-insecure":
                if (value is not null && value is not ("true" or "yes" or "on"))
                {
                    error = $"{where}: takes no value";
                    return false;
                }
                Tls.Insecure = true;
                return true;
            case var media when UaMediaSettings.IsKey(media): return Media.Apply(key, value!, where, out error);
            default:
                error = $"{where}: unknown option";
                return false;
        }
    }

    private static bool Uri(string value, string where, out string error, Action<string> set)
    {
        // RFC 3261 §19.1: only sip: and sips: URIs address a user agent here.
        if (!SipUri.TryParse(value, out SipUri? u) || u is null || u.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips) || u.Host.Length == 0
            || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            error = $"{where}: '{value}' is not a sip: or sips: URI";
            return false;
        }
        error = "";
        set(value);
        return true;
    }

    private static bool Seconds(string value, string where, out string error, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !double.IsFinite(s) || s < 0 || s > 86400 * 365)
        {
            error = $"{where}: '{value}' is not a number of seconds";
            return false;
        }
        error = "";
        set(s);
        return true;
    }

    private bool Validate(out string error)
    {
        error = "";
        if (Register && Aor is null) error = "--register needs --aor";
        else if ((User is null) != (Password is null)) error = "--user and --password go together";
        else if (Duration is not null && CallUri is null) error = "--duration needs --call";
        else if (MessageUri is not null && Aor is null) error = "--message needs --aor (the From of the MESSAGE)";
        else if (SubscribeUri is not null && Aor is null) error = "--subscribe needs --aor (the subscriber)";
        else if (Tls.Check(HasTlsListen) is string tlsError) error = tlsError;
        else if (!HasOneShotWork && !Register && AutoAnswer is null && ExitAfter is null) error = "nothing to do: give --register, --call, --message, --subscribe, --auto-answer or --exit-after";
        return error.Length == 0;
    }
}
