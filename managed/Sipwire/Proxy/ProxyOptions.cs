// Configuration of the RFC 3261 §16 proxy core.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>Options of a <see cref="SipProxy"/>.</summary>
public sealed class ProxyOptions
{
    /// <summary>Domains this proxy is responsible for (RFC 3261 §16.5): their Request-URIs go through the location service.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>The host (an IP literal or a name resolving to this proxy) written into Via sent-by and Record-Route.</summary>
    public required string LocalHost { get; init; }

    /// <summary>The port written into Via sent-by and Record-Route.</summary>
    public int LocalPort { get; init; } = 5060;

    /// <summary>
    /// The transport of the listener at <see cref="LocalHost"/>:<see cref="LocalPort"/>. Record-Route names it
    /// (transport=tcp/tls, RFC 3261 §19.1.1; a sips: URI for SIPS requests over TLS, §16.6 step 4) so that the
    /// dialog's later requests reach that listener.
    /// </summary>
    public TransportProtocol LocalTransport { get; init; } = TransportProtocol.Udp;

    /// <summary>
    /// The ports of this proxy's other listeners on <see cref="LocalHost"/>, per transport (e.g. UDP 5060 beside TLS
    /// 5061). Via names the listener of the transport a request leaves on, and a request that changes transport gets
    /// two Record-Route values, one per side (RFC 5658 §4), so each UA reaches us over its own transport.
    /// </summary>
    public IReadOnlyDictionary<TransportProtocol, int>? TransportPorts { get; init; }

    /// <summary>Other "host" or "host:port" values that address this proxy (§16.4: recognising its own URIs).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Stateless forwarding (§16.11): no transactions, no forking, one target per request.</summary>
    public bool Stateless { get; init; }

    /// <summary>Insert Record-Route so that the dialog's later requests pass this proxy (§16.6 step 4).</summary>
    public bool RecordRoute { get; init; } = true;

    /// <summary>Parallel or sequential forking of a target set with several contacts.</summary>
    public ForkingMode Forking { get; init; } = ForkingMode.Parallel;

    /// <summary>Sequential forking: how long one q-group may ring before it is cancelled and the next group is tried.</summary>
    public TimeSpan SequentialTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Timer C of an INVITE branch (§16.6 step 11: more than 3 minutes); restarted by every provisional response (§16.7 step 2).</summary>
    public TimeSpan TimerC { get; init; } = TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1);

    /// <summary>Option tags accepted in Proxy-Require (§16.3 step 5); every other tag gets 420.</summary>
    public IReadOnlyList<string> SupportedProxyRequire { get; init; } = [];

    /// <summary>
    /// Where a URI that is not an IP literal goes (RFC 3263 lookups done by the host; sans-IO, so no DNS here).
    /// Null, or a null result, makes such a target unreachable (404).
    /// </summary>
    public Func<SipUri, PeerAddress?>? Resolve { get; init; }

    /// <summary>
    /// The next hop for what this proxy does not resolve itself (RFC 3261 §16.6 step 7 local policy, the §16.12
    /// example): a SIP URI such as "sip:10.0.0.20:5060" or "sip:core.example.test;transport=tcp", taken as a loose
    /// router (";lr" is added when absent). Initial requests for a foreign domain, and every initial request for the
    /// proxy's own domains when it has no registrar (REGISTER included), get <c>Route: &lt;next-hop;lr&gt;</c> on top.
    /// Requests that still carry a Route set, that reach a flow through this proxy's Path, or that are in a dialog
    /// (To tag) follow their Route set or Request-URI as before. Null: no next hop (the Request-URI decides).
    /// </summary>
    public string? NextHop { get; init; }

    /// <summary>
    /// Path (RFC 3327 §5.2) on a REGISTER forwarded to another registrar while <see cref="NextHop"/> is set (the edge
    /// role; without a next hop REGISTER is forwarded unchanged); see <see cref="Proxy.PathMode"/>.
    /// </summary>
    public PathMode PathMode { get; init; } = PathMode.Supported;

    /// <summary>
    /// HMAC key of the flow tokens in this proxy's Path URIs (at least 16 bytes). Give the same key to every node
    /// (and across restarts) that must accept the others' tokens; null: a random key per instance, so registrations
    /// made through a previous run are refused (403) until the UA refreshes them.
    /// </summary>
    public byte[]? FlowTokenKey { get; init; }

    /// <summary>
    /// Proxy authentication of the proxy's own users (RFC 3261 §16.3 step 6, §22.3): out-of-dialog requests whose From
    /// is in <see cref="Domains"/> need this realm's Proxy-Authorization (407 / 403). Null: no challenge.
    /// </summary>
    public ProxyAuthentication? Authentication { get; init; }

    /// <summary>Milliseconds on the location service's clock; defaults to the transaction layer's clock.</summary>
    public Func<long>? NowMs { get; init; }

    /// <summary>Wall-clock time for the registrar's Date header; defaults to <see cref="DateTime.UtcNow"/>.</summary>
    public Func<DateTime>? UtcNow { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Domains is null || Domains.Count == 0) throw new ArgumentException("A proxy needs at least one domain (RFC 3261 §16.5).", nameof(Domains));
        if (string.IsNullOrWhiteSpace(LocalHost)) throw new ArgumentException("LocalHost is required: it goes into Via and Record-Route.", nameof(LocalHost));
        if (LocalPort is <= 0 or > 65535) throw new ArgumentException($"LocalPort {LocalPort} is not a port.", nameof(LocalPort));
        if (SequentialTimeout <= TimeSpan.Zero) throw new ArgumentException("SequentialTimeout must be positive.", nameof(SequentialTimeout));
        if (NextHop is not null && (!SipUri.TryParse(NextHop, out SipUri? hop) || hop!.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips) || string.IsNullOrEmpty(hop.Host)))
            throw new ArgumentException($"NextHop '{NextHop}' is not a SIP URI such as sip:10.0.0.20:5060 (RFC 3261 §19.1).", nameof(NextHop));
        if (FlowTokenKey is { Length: < 16 }) throw new ArgumentException("FlowTokenKey needs at least 16 bytes.", nameof(FlowTokenKey));
        if (!Enum.IsDefined(PathMode)) throw new ArgumentException($"PathMode {PathMode} is not a PathMode.", nameof(PathMode));
        if (TimerC <= TimeSpan.FromMinutes(3)) throw new ArgumentException("Timer C must be greater than 3 minutes (RFC 3261 §16.6 step 11).", nameof(TimerC));
    }
}
