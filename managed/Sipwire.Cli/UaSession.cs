// One `sipwire ua` run: an Endpoint hosting a UserAgentCore, driven by Poll, printing one line per event.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Sipwire.Events;
using Sipwire.Session;
using Sipwire.Sip;
using Sipwire.Tls;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Cli;

/// <summary>
/// Runs what <see cref="UaSettings"/> asks for and decides the exit code: 0 only when every task
/// succeeded (registration confirmed and removed again, the call answered and ended by a BYE,
/// the message accepted), else 1. Every outcome, failures included, is one printed event line.
/// </summary>
internal sealed class UaSession
{
    // Bounds the wait for the unregister and for calls to end once stopping: one Timer F with
    // the default T1 would be 32 s (RFC 3261 §17.1.2.2), too long for a tool asked to exit.
    private const double StopGraceSeconds = 5;

    private readonly UaSettings _settings;
    private readonly TextWriter _out;
    private readonly Endpoint _endpoint;
    private readonly UaScheduler _scheduler;
    private readonly List<SipCall> _calls = [];
    // Address -> host name of every URI host we resolved, for the TLS certificate match (read from TLS handshake tasks).
    private readonly Dictionary<string, string> _resolvedNames = new(StringComparer.Ordinal);
    private UserAgentCore _core = null!;
    private Registration? _registration;
    private PeerAddress _callDestination;
    private PeerAddress _messageDestination;
    private PeerAddress _subscribeDestination;
    private IReadOnlyList<SipCredentials> _credentials = [];
    private int _messageId = -1;
    private bool _messageDone;
    private Subscription? _subscription;
    private bool _subscriptionNotified;
    private bool _registered;
    private bool _unregistered;
    private bool _workStarted;
    private bool _stopping;
    private bool _graceOver;
    private bool _failed;
    private SipCall? _outgoing;
    private bool _outgoingEstablished;
    private bool _outgoingDone;
    private UaMedia? _media;

    public UaSession(UaSettings settings, TextWriter stdout, Endpoint endpoint)
    {
        _settings = settings;
        _out = stdout;
        _endpoint = endpoint;
        _scheduler = new UaScheduler(endpoint.Clock);
    }

    /// <summary>Opens the sockets and builds the UA; false (already printed) when the set-up is impossible.</summary>
    public bool TrySetUp(TextWriter stderr, out int exitCode)
    {
        exitCode = 2;
        UaSettings s = _settings;
        if (!UaMedia.TryCreate(s.Media, Log, out _media, out string mediaError))
        {
            stderr.WriteLine($"sipwire ua: {mediaError}");
            return false;
        }
        // The first hop of everything we send: the outbound proxy (RFC 3261 §8.1.2), else the registrar
        // (the AoR's domain, §10.2) or the request's own target.
        string? primary = s.OutboundProxy ?? (s.Register ? DomainUri(s.Aor!) : s.CallUri ?? s.MessageUri ?? s.SubscribeUri);
        PeerAddress first = default;
        if (primary is not null && !TryResolve(primary, out first, out string why))
        {
            stderr.WriteLine($"sipwire ua: {why}");
            exitCode = 1;
            return false;
        }
        if (s.CallUri is not null)
        {
            if (s.OutboundProxy is not null) _callDestination = first;
            else if (!TryResolve(s.CallUri, out _callDestination, out string whyCall))
            {
                stderr.WriteLine($"sipwire ua: {whyCall}");
                exitCode = 1;
                return false;
            }
        }
        if (!TryDestination(s.MessageUri, first, out _messageDestination, stderr, out exitCode)
            || !TryDestination(s.SubscribeUri, first, out _subscribeDestination, stderr, out exitCode))
        {
            return false;
        }
        if (s.Listens.Count == 0)
        {
            // No --listen: one socket of the first hop's transport and family on any address, any port.
            TransportProtocol p = primary is null ? TransportProtocol.Udp : first.Protocol;
            IPAddress any = primary is not null && first.IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
            s.Listens.Add(new UaListen(p, any, 0));
        }
        if (s.Listens.Exists(l => l.Protocol == TransportProtocol.Tls) || first.Protocol == TransportProtocol.Tls || s.Tls.Any)
        {
            // RFC 5922 §7.2: the certificate must name the host of the URI (a name we resolved), not its address.
            Dictionary<string, string> names = _resolvedNames;
            if (!s.Tls.TryCreateProvider(out SslStreamTlsProvider? provider, out string tlsError, ip => names.TryGetValue(ip, out string? n) ? n : ip))
            {
                stderr.WriteLine($"sipwire ua: {tlsError}");
                exitCode = 2;
                return false;
            }
            _endpoint.Transport.TlsProvider = provider;
            // A refused handshake is printed with its reason; the request it carried fails at once with 503 (§17.1.4).
            _endpoint.Transport.TlsHandshakeFailed += (remote, client, reason) =>
                Log("tls", $"{(client ? "connection to" : "connection from")} {remote.WithConnection(0)} refused: {reason}");
        }
        var opened = new List<(UaListen Spec, PeerAddress Local)>();
        foreach (UaListen l in s.Listens)
        {
            try
            {
                var ep = new IPEndPoint(l.Address, l.Port);
                PeerAddress local = l.Protocol switch
                {
                    TransportProtocol.Udp => _endpoint.Transport.AddUdp(ep),
                    TransportProtocol.Tcp => _endpoint.Transport.AddTcp(ep),
                    _ => _endpoint.Transport.AddTls(ep),
                };
                opened.Add((l, local));
            }
            catch (SocketException e)
            {
                stderr.WriteLine($"sipwire ua: cannot listen on {l}: {e.Message}");
                exitCode = 1;
                return false;
            }
        }
        // The socket our Contact and Via name: same transport and family as the first hop.
        int pick = primary is null ? 0 : opened.FindIndex(o => o.Spec.Protocol == first.Protocol && (o.Spec.Address.AddressFamily == AddressFamily.InterNetworkV6) == first.IsIPv6);
        if (pick < 0)
        {
            stderr.WriteLine($"sipwire ua: no --listen of transport {first.Protocol.ToString().ToLowerInvariant()} and {(first.IsIPv6 ? "IPv6" : "IPv4")} to reach {primary}");
            exitCode = 2;
            return false;
        }
        (UaListen spec, PeerAddress bound) = opened[pick];
        IPAddress host = ContactAddress(spec.Address, primary is null ? null : first.ToEndPoint());
        string hostText = host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
        string sentBy = $"{hostText}:{bound.Port}";
        string user = s.Aor is not null && SipUri.TryParse(s.Aor, out SipUri? aorUri) && aorUri!.User is { Length: > 0 } u ? u : "sipwire";
        string transportParam = spec.Protocol switch
        {
            TransportProtocol.Tcp => ";transport=tcp",
            TransportProtocol.Tls => ";transport=tls",
            _ => "",
        };
        string contact = $"sip:{user}@{sentBy}{transportParam}";
        _core = _endpoint.CreateUserAgent(new UserAgentOptions
        {
            LocalUri = s.Aor ?? $"sip:{user}@{sentBy}",
            ContactUri = contact,
            LocalSentBy = sentBy,
            MediaAddress = host,
            Capabilities = s.Media.Codecs is { } codecs ? new SessionCapabilities { Codecs = codecs } : new SessionCapabilities(),
            RtpPortBase = s.Media.RtpPort ?? 40000,
            // RFC 3261 §8.1.2 / §22.2: calls carry a preloaded Route to the outbound proxy and answer 401/407.
            OutboundProxy = s.OutboundProxy,
            Credentials = s.User is null ? [] : [new SipCredentials(s.User, s.Password!)],
        });
        _endpoint.AddTimers(_scheduler);
        _core.IncomingCall += OnIncomingCall;
        _core.MessageReceived += m => Log("message", $"from {m.FromUri} {m.ContentType}: {m.Text}");
        _core.MessageCompleted += OnMessageCompleted;
        // Credentials answer a challenge of any realm (RFC 3261 §22.2); null realm = any.
        IReadOnlyList<SipCredentials> credentials = s.User is null ? [] : [new SipCredentials(s.User, s.Password!)];
        _credentials = credentials;
        if (s.Register)
        {
            _registration = _core.AddRegistration(new RegistrationOptions
            {
                AddressOfRecord = s.Aor!,
                ContactUri = contact,
                Destination = first,
                LocalSentBy = sentBy,
                Credentials = credentials,
            });
            _registration.Changed += OnRegistration;
        }
        foreach ((UaListen l, PeerAddress local) in opened) Log("ua", $"listening {l.Protocol.ToString().ToLowerInvariant()}:{FormatEndPoint(l.Address, local.Port)}");
        Log("ua", $"contact {contact}");
        if (_endpoint.Transport.TlsProvider is not null)
        {
            if (s.Tls.Insecure) Log("tls", "WARNING: --tls-insecure: server certificates are not validated (lab use only)");
            else Log("tls", $"server certificates validated against {(s.Tls.CaFile is null ? "the system store" : s.Tls.CaFile)}");
            if (s.Tls.CertificateFile is null && opened.Exists(o => o.Spec.Protocol == TransportProtocol.Tls))
                Log("tls", "no --tls-cert: the tls listener cannot accept connections, so requests to our Contact will fail");
        }
        exitCode = 0;
        return true;
    }

    /// <summary>Polls until everything asked is done or <paramref name="stop"/> fires; returns the exit code.</summary>
    public int Run(CancellationToken stop)
    {
        using CancellationTokenRegistration onStop = stop.Register(() =>
        {
            try
            {
                _endpoint.Post(() => BeginStop("signal"));
            }
            catch (ObjectDisposedException)
            {
                // The run already ended.
            }
        });
        if (_settings.ExitAfter is double exitAfter) _scheduler.After(exitAfter, () => BeginStop($"--exit-after {exitAfter.ToString(CultureInfo.InvariantCulture)} s"));
        if (_registration is not null) _registration.Start();
        else StartWork();
        while (!Finished()) _endpoint.Poll(TimeSpan.FromSeconds(1));
        _media?.Dispose();
        bool ok = !_failed;
        if (_settings.Register && !(_registered && _unregistered)) ok = false;
        if (_settings.CallUri is not null && !(_outgoingEstablished && _outgoingDone && !_failed)) ok = false;
        if (_settings.MessageUri is not null && !_messageDone) ok = false;
        if (_settings.SubscribeUri is not null && !_subscriptionNotified) ok = false;
        Log("ua", ok ? "exit 0 (everything asked succeeded)" : "exit 1 (something asked did not succeed)");
        return ok ? 0 : 1;
    }

    private bool Finished()
    {
        if (!_stopping) return false;
        if (_graceOver) return true;
        if (_registration is { State: RegistrationState.Unregistering }) return false;
        // RFC 6665 §4.1.2.3: the unsubscribe ends with the final NOTIFY (or its timeout).
        if (_subscription is { IsUnsubscribing: true } sub && sub.State != SubscriptionState.Terminated) return false;
        foreach (SipCall c in _calls)
        {
            if (c.State != CallState.Terminated) return false;
        }
        return true;
    }

    private void StartWork()
    {
        if (_workStarted || _stopping) return;
        _workStarted = true;
        UaSettings s = _settings;
        if (s.CallUri is not null)
        {
            SipCall call = _core.Invite(s.CallUri, _callDestination);
            _outgoing = call;
            Track(call, "out");
            Log("call", $"out {s.CallUri} INVITE sent");
            // Invite reports a send failure as an already Ended call.
            if (call.State == CallState.Terminated) OnOutgoingEnded(call.EndStatus, "INVITE could not be sent");
        }
        if (s.MessageUri is not null)
        {
            // RFC 3428 §4: a MESSAGE outside any dialog, text/plain UTF-8.
            _messageId = _core.SendMessage(s.MessageUri, _messageDestination, "text/plain;charset=UTF-8", System.Text.Encoding.UTF8.GetBytes(s.MessageText!), _credentials);
            Log("message", $"to {s.MessageUri} MESSAGE sent (id {_messageId})");
        }
        if (s.SubscribeUri is not null)
        {
            _subscription = _core.Subscribe(new SubscriptionOptions
            {
                TargetUri = s.SubscribeUri,
                Destination = _subscribeDestination,
                Event = s.Event,
                Accept = s.Event == "presence" ? ["application/pidf+xml"] : [],
                Credentials = _credentials,
            });
            _subscription.Changed += OnSubscription;
            Log("subscribe", $"to {s.SubscribeUri} event {s.Event} SUBSCRIBE sent");
        }
        CheckDone();
    }

    private void OnRegistration(RegistrationEvent e)
    {
        Log("register", e.ToString());
        switch (e.Kind)
        {
            case RegistrationEventKind.Registered:
                if (!_registered)
                {
                    _registered = true;
                    StartWork();
                }
                break;
            case RegistrationEventKind.Failed when _stopping:
                // The unregister was not confirmed.
                _failed = true;
                break;
            case RegistrationEventKind.Failed when !_registered:
                // The first registration failed (wrong password, unreachable, refused): nothing asked
                // after it can work, so say so and stop instead of retrying for ever.
                _failed = true;
                BeginStop("registration failed");
                break;
            case RegistrationEventKind.Unregistered:
                _unregistered = true;
                break;
        }
    }

    private void OnMessageCompleted(MessageEvent e)
    {
        if (e.MessageId != _messageId) return;
        Log("message", $"{e.Kind} {e.StatusCode} {e.Reason}");
        _messageDone = true;
        if (e.Kind != MessageEventKind.Delivered) _failed = true;
        CheckDone();
    }

    private void OnSubscription(SubscriptionEvent e)
    {
        string body = e.Body.IsEmpty ? "" : $" {e.ContentType} {e.BodyText.ReplaceLineEndings(" ")}";
        Log("subscribe", $"{e.Kind} {e.State} {e.StatusCode} {e.Reason} expires={e.ExpiresSeconds}{body}");
        if (e.Kind == SubscriptionEventKind.Notified) _subscriptionNotified = true;
        // RFC 6665 §4.1.3: a termination before any NOTIFY (rejected, 489, timeout) means the
        // subscription never worked; one after NOTIFYs while we are not stopping is also reported.
        if (e.Kind == SubscriptionEventKind.Terminated && !_stopping)
        {
            _failed = true;
            BeginStop("subscription terminated");
        }
    }

    private void OnIncomingCall(SipCall call)
    {
        Track(call, "in");
        Log("call", $"in {call.RemoteParty} {call.CallId} Incoming");
        if (_stopping || _settings.AutoAnswer is not double delay)
        {
            // RFC 3261 §21.4.18: nobody is here to answer.
            call.Reject(480, "Temporarily Unavailable");
            return;
        }
        _scheduler.After(delay, () =>
        {
            if (call.State == CallState.Incoming && !call.Answer()) Fail("call", $"in {call.CallId} could not be answered");
        });
    }

    private void Track(SipCall call, string direction)
    {
        _calls.Add(call);
        _media?.Attach(call);
        bool established = false;
        call.Changed += e =>
        {
            Log("call", $"{direction} {call.CallId} {e}");
            if (e.Kind == CallEventKind.Established)
            {
                established = true;
                if (call == _outgoing)
                {
                    _outgoingEstablished = true;
                    if (_settings.Duration is double d) _scheduler.After(d, () => call.Hangup());
                }
            }
            else if (e.Kind == CallEventKind.Ended)
            {
                if (call == _outgoing) OnOutgoingEnded(e.StatusCode, e.Reason);
                // An answered incoming call must also end by a BYE; 408 (no ACK) or 488 is a failure.
                else if (established && e.StatusCode != 0) _failed = true;
            }
        };
    }

    private void OnOutgoingEnded(int status, string reason)
    {
        if (_outgoingDone) return;
        _outgoingDone = true;
        // Clean = it was answered and then ended by a BYE from either side (status 0); a final
        // error response (486, 408, ...) or a broken answer (488) is a failure.
        if (!_outgoingEstablished || status != 0)
        {
            _failed = true;
            Log("call", $"failed: {(status == 0 ? "" : status.ToString(CultureInfo.InvariantCulture) + " ")}{reason}");
        }
        CheckDone();
    }

    private void Fail(string category, string text)
    {
        _failed = true;
        Log(category, "failed: " + text);
    }

    private void CheckDone()
    {
        if (!_settings.HasOneShotWork || _stopping) return;
        if (_settings.CallUri is not null && !_outgoingDone) return;
        if (_settings.MessageUri is not null && !_messageDone) return;
        // A subscription keeps running (NOTIFYs printed) until --exit-after or a signal.
        if (_settings.SubscribeUri is not null) return;
        BeginStop("done");
    }

    private void BeginStop(string why)
    {
        if (_stopping) return;
        _stopping = true;
        Log("ua", $"stopping ({why})");
        foreach (SipCall c in _calls)
        {
            if (c.State != CallState.Terminated) c.Hangup();
        }
        // RFC 6665 §4.1.2.3: Expires: 0 ends the subscription.
        if (_subscription is { IsUnsubscribing: false } sub && sub.State != SubscriptionState.Terminated) sub.Unsubscribe();
        // §10.2.2: remove our binding on the way out.
        if (_registration is { State: RegistrationState.Registered or RegistrationState.Registering or RegistrationState.RetryWait }) _registration.Stop();
        _scheduler.After(StopGraceSeconds, () =>
        {
            if (Finished()) return;
            if (_registration is { State: RegistrationState.Unregistering }) Log("register", "failed: unregister not confirmed in time");
            foreach (SipCall c in _calls)
            {
                // §9.1: an INVITE without a provisional response cannot be cancelled yet; give up on it.
                if (c.State != CallState.Terminated) Log("call", $"{c.CallId} failed: still {c.State} when stopping (no final response)");
            }
            _failed = true;
            _graceOver = true;
        });
    }

    private void Log(string category, string text)
    {
        _out.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {category} {text}");
        _out.Flush();
    }

    /// <summary>The first hop for a request to <paramref name="uri"/>: the outbound proxy when set, else the URI's own host.</summary>
    private bool TryDestination(string? uri, PeerAddress proxy, out PeerAddress destination, TextWriter stderr, out int exitCode)
    {
        exitCode = 1;
        destination = default;
        if (uri is null) return true;
        if (_settings.OutboundProxy is not null)
        {
            destination = proxy;
            return true;
        }
        if (TryResolve(uri, out destination, out string why)) return true;
        stderr.WriteLine($"sipwire ua: {why}");
        return false;
    }

    private static string DomainUri(string aor)
    {
        // RFC 3261 §10.2: the registrar's Request-URI is the AoR without its user part.
        if (!SipUri.TryParse(aor, out SipUri? u) || u is null) return aor;
        string host = u.Host.Contains(':', StringComparison.Ordinal) && !u.Host.StartsWith('[') ? $"[{u.Host}]" : u.Host;
        string port = u.Port > 0 ? $":{u.Port}" : "";
        string transport = u.GetParameter("transport") is { } t ? $";transport={t}" : "";
        return $"{u.SchemeText}:{host}{port}{transport}";
    }

    private static string FormatEndPoint(IPAddress a, int port) => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}";

    /// <summary>
    /// The address a peer reaches us at: the listen address, or for a wildcard listen the source
    /// address the routing table picks toward the first hop (a connected UDP socket sends nothing).
    /// </summary>
    private static IPAddress ContactAddress(IPAddress listen, IPEndPoint? toward)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any)) return listen;
        bool v6 = listen.Equals(IPAddress.IPv6Any);
        try
        {
            using var probe = new Socket(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            // 192.0.2.1 / 2001:db8::1 (RFC 5737, RFC 3849 documentation ranges): only picks the default route.
            probe.Connect(toward ?? new IPEndPoint(IPAddress.Parse(v6 ? "2001:db8::1" : "192.0.2.1"), 5060));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
    }

    /// <summary>Where a sip/sips URI is sent: numeric hosts directly, names by the system's A/AAAA lookup (no NAPTR/SRV here).</summary>
    private bool TryResolve(string uri, out PeerAddress destination, out string why)
    {
        why = "";
        if (SipUriTarget.TryResolveLiteral(uri, out destination)) return true;
        if (!SipUri.TryParse(uri, out SipUri? u) || u is null || u.Host.Length == 0)
        {
            why = $"'{uri}' has no usable host";
            return false;
        }
        try
        {
            foreach (IPAddress a in System.Net.Dns.GetHostAddresses(u.Host))
            {
                string literal = a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString();
                var rebuilt = new SipUri(u.Scheme == SipUriScheme.Sips, null, literal, u.Port) { Parameters = u.Parameters };
                if (SipUriTarget.TryResolveLiteral(rebuilt.ToString(), out destination))
                {
                    _resolvedNames[a.ToString()] = u.Host;
                    return true;
                }
            }
        }
        catch (SocketException e)
        {
            why = $"cannot resolve '{u.Host}': {e.Message}";
            return false;
        }
        why = $"'{uri}': no address found for '{u.Host}'";
        return false;
    }
}
