// The presence and provisioning server role: PUBLISH, SUBSCRIBE presence/ua-profile, REGISTER, OPTIONS, with digest.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Auth;
using Sipwire.Events;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Presence;

/// <summary>
/// The transaction user of a presence server: a <see cref="PresenceAgent"/> (RFC 3856, RFC 3903) and a
/// <see cref="ProvisioningServer"/> (RFC 6080) served by one UA core's notifier, optionally the registrar
/// of its domains. It authenticates (digest, RFC 3261 §22) and checks the domain before the core sees a
/// new subscription. Sans-IO: install it as the layer's user and drive <see cref="ProcessTimers"/>.
/// </summary>
public sealed class PresenceServer : ITransactionUser
{
    private static readonly byte[] s_tag = "ps0"u8.ToArray();
    private readonly TransactionLayer _layer;
    private readonly PresenceServerOptions _options;
    private readonly SipRegistrar? _registrar;
    private readonly byte[] _buffer = new byte[16384];

    /// <summary>Creates the server over <paramref name="layer"/>; <paramref name="registrar"/> (optional) answers REGISTER.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PresenceServer(TransactionLayer layer, PresenceServerOptions options, SipRegistrar? registrar = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _layer = layer;
        _options = options;
        _registrar = registrar;
        Core = new UserAgentCore(layer, options.UserAgent);
        Agent = new PresenceAgent(Core, layer, options);
        Provisioning = new ProvisioningServer(Core, options.Domains[0]);
    }

    /// <summary>Raised once per request transaction with a log line ("PUBLISH sip:... from=... -> 200 OK ...").</summary>
    public event Action<string>? Logged;

    /// <summary>The UA core whose notifier sends the NOTIFYs.</summary>
    public UserAgentCore Core { get; }

    /// <summary>The presence agent.</summary>
    public PresenceAgent Agent { get; }

    /// <summary>The ua-profile server.</summary>
    public ProvisioningServer Provisioning { get; }

    /// <summary>Earliest deadline (subscription and publication expiry, NOTIFY retries), clock microseconds.</summary>
    public long NextDeadline => Math.Min(Core.NextDeadline, Agent.NextDeadline);

    /// <summary>Runs what is due.</summary>
    public void ProcessTimers()
    {
        Agent.ProcessTimers(_layer.Clock.NowMicros);
        Core.ProcessTimers();
    }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        (int status, string note) = Dispatch(transaction, request);
        Logged?.Invoke($"{SipMessage.ToText(request.MethodName)} {SipMessage.ToText(request.RequestUri)} call-id={SipMessage.ToText(request.CallId)} from={transaction.Source} -> {status} {note}");
    }

    private (int Status, string Note) Dispatch(Transaction transaction, SipMessage request)
    {
        // In-dialog requests (SUBSCRIBE refresh/unsubscribe) belong to the dialog the core made.
        if (request.To.HasTag)
        {
            Core.OnRequest(transaction, request);
            return (0, "in dialog, to the notifier");
        }
        switch (request.Method)
        {
            case SipMethod.Register when _registrar is not null:
            {
                RegistrarResponse r = _registrar.Process(request, transaction.Source, _layer.Clock.NowMicros / 1000, DateTime.UtcNow);
                int n = r.Write(request, transaction.Source, _buffer);
                if (n > 0) _layer.Respond(transaction, _buffer.AsSpan(0, n));
                return (r.StatusCode, r.Reason + (r.AddressOfRecord is null ? "" : " aor=" + r.AddressOfRecord));
            }
            case SipMethod.Publish:
            {
                if (!Authenticate(transaction, request, "PUBLISH", out string? user)) return (401, "Unauthorized (challenged)");
                return Agent.OnPublish(transaction, request, user);
            }
            case SipMethod.Subscribe:
                return OnSubscribe(transaction, request);
            case SipMethod.Options:
                return Reply(transaction, request, 200, "OK");
            default:
                // RFC 3261 §21.4.6: 405 with the methods we serve.
                return Reply(transaction, request, 405, "Method Not Allowed");
        }
    }

    private (int Status, string Note) OnSubscribe(Transaction transaction, SipMessage request)
    {
        if (!request.TryGetHeaderValue(SipHeaderKind.Event, out ReadOnlySpan<byte> evText)
            || !EventHeaderValue.TryParse(SipMessage.ToText(evText), out EventHeaderValue? ev, out _))
        {
            Core.OnRequest(transaction, request); // the core answers 400 with the reason
            return (400, "Bad Request (Event)");
        }
        if (!SipUri.TryParse(request.RequestUri, out SipUri? target) || !Serves(target!.Host))
            return Reply(transaction, request, 404, "Not Found (not a resource of ours)");
        bool needsAuth = ev!.Package switch
        {
            "presence" => true,
            // RFC 6080 §5.3.1 / §9: a device at start-up has no credentials yet (its device profile is fetched
            // from the URL, which carries its own protection); a user profile holds the user's data.
            "ua-profile" => ev.GetParameter("profile-type") == "user",
            _ => false, // the core answers 489 with Allow-Events
        };
        if (needsAuth && _options.Digest is not null)
        {
            if (!Authenticate(transaction, request, "SUBSCRIBE", out string? user)) return (401, "Unauthorized (challenged)");
            // RFC 3856 §6.6 / §9: the watcher is the authenticated user: its From must be that user of our domain.
            if (!SipUri.TryParse(request.From.Uri, out SipUri? from) || from!.User is null || SipUri.Unescape(from.User) != user || !Serves(from.Host))
                return Reply(transaction, request, 403, $"Forbidden (authenticated as {user}, From is another identity)");
            if (ev.Package == "ua-profile" && (target.User is null || SipUri.Unescape(target.User) != user))
                return Reply(transaction, request, 403, $"Forbidden ({user} may not fetch another user's profile)");
        }
        if (ev.Package == "presence" && target.User is null) return Reply(transaction, request, 404, "Not Found (no presentity)");
        if (ev.Package == "presence" && request.TryGetHeaderValue(SipHeaderKind.Accept, out ReadOnlySpan<byte> accept) && !AcceptsPidf(SipMessage.ToText(accept)))
        {
            // RFC 3856 §6.7: PIDF is the format every watcher must accept; a SUBSCRIBE refusing it gets 406.
            return Reply(transaction, request, 406, "Not Acceptable (presence is application/pidf+xml)");
        }
        if (ev.Package == "ua-profile")
        {
            string? type = ev.GetParameter("profile-type");
            // RFC 6080 §4.1: profile-type is mandatory and one of three values.
            if (type is not ("device" or "user" or "local-network"))
                return Reply(transaction, request, 400, "Bad Request (ua-profile needs profile-type=device, user or local-network)");
            if (Provisioning.Lookup(ev, SipMessage.ToText(request.RequestUri)) is null)
                return Reply(transaction, request, 404, "Not Found (no profile for this device)");
        }
        int before = Core.NotifierSubscriptions.Count;
        Core.OnRequest(transaction, request);
        return Core.NotifierSubscriptions.Count > before
            ? (200, ev.Package + " " + Core.NotifierSubscriptions[^1].State.ToString().ToLowerInvariant())
            : (0, ev.Package + " answered by the notifier (no new subscription)");
    }

    private bool Authenticate(Transaction transaction, SipMessage request, string method, out string? user)
    {
        user = null;
        if (_options.Digest is not { } digest) return true;
        long nowMs = _layer.Clock.NowMicros / 1000;
        string requestUri = SipMessage.ToText(request.RequestUri);
        DigestVerdict? verdict = null;
        for (int h = request.IndexOfHeader(SipHeaderKind.Authorization); h >= 0; h = request.IndexOfHeader(SipHeaderKind.Authorization, h + 1))
        {
            string value = Encoding.UTF8.GetString(request.GetHeaderValue(h));
            if (!value.TrimStart().StartsWith("Digest", StringComparison.OrdinalIgnoreCase)) continue;
            DigestVerdict v = digest.Verify(value, method, requestUri, request.Body, _options.PasswordOf!, nowMs, out string? who);
            // RFC 3261 §22.3: credentials for another realm are not ours to judge.
            if (v == DigestVerdict.WrongRealm) continue;
            verdict = v;
            if (v == DigestVerdict.Ok)
            {
                user = who;
                return true;
            }
            break;
        }
        // RFC 3261 §22.2 / RFC 7616 §3.3: 401 with a fresh challenge; stale only when just the nonce aged.
        DigestChallenge challenge = digest.CreateChallenge(nowMs, stale: verdict == DigestVerdict.StaleNonce);
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, 401, "Unauthorized"u8, s_tag);
        w.Header("WWW-Authenticate"u8, Encoding.UTF8.GetBytes(challenge.ToString()));
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        return false;
    }

    private (int Status, string Note) Reply(Transaction transaction, SipMessage request, int status, string reason)
    {
        var w = new SipMessageWriter(_buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, status, Encoding.UTF8.GetBytes(reason), s_tag);
        if (status is 200 or 405)
        {
            w.Header("Allow"u8, _registrar is null ? "PUBLISH, SUBSCRIBE, NOTIFY, OPTIONS"u8 : "REGISTER, PUBLISH, SUBSCRIBE, NOTIFY, OPTIONS"u8);
            w.Header("Allow-Events"u8, "presence, ua-profile"u8);
        }
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        return (status, reason);
    }

    private static bool AcceptsPidf(string accept)
    {
        // RFC 3261 §20.1: an empty Accept accepts nothing; media ranges with wildcards accept PIDF.
        foreach (string range in accept.Split(','))
        {
            string type = range.Split(';')[0].Trim();
            if (type.Equals(PidfDocument.ContentType, StringComparison.OrdinalIgnoreCase) || type is "*/*" || type.Equals("application/*", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private bool Serves(string host)
    {
        foreach (string d in _options.Domains)
        {
            if (string.Equals(d, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => Core.OnAck(transaction, ack, source);

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel) => Core.OnCancel(invite, cancel);

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response) => Core.OnResponse(transaction, response);

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source) => Core.OnStrayResponse(response, source);

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure) => Core.OnError(transaction, failure);

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction) => Core.OnTerminated(transaction);
}
