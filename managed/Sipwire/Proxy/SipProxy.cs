// The proxy core of RFC 3261 §16 on top of the sans-IO transaction layer: stateless or transaction-stateful with forking.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>
/// A SIP proxy (RFC 3261 §16). It is the transaction user of a <see cref="TransactionLayer"/>; the transport hands
/// every received message to <see cref="Receive"/> (stateless mode forwards without transactions, §16.11; stateful
/// mode passes it to the layer). REGISTER for its domains goes to the <see cref="SipRegistrar"/> when one is given.
/// No sockets and no clock of its own: the host drives <see cref="ProcessTimers"/> at <see cref="NextDeadline"/>.
/// Not thread-safe: one endpoint thread drives it.
/// </summary>
public sealed partial class SipProxy : ITransactionUser
{
    private readonly ProxyOptions _options;
    private readonly TransactionLayer _layer;
    private readonly ILocationService _location;
    private readonly SipRegistrar? _registrar;
    private readonly byte[] _sentBy;
    private readonly byte[] _recordRoute;
    private readonly byte[] _recordRouteSips;
    // Per transport (index = TransportProtocol): our sent-by, and the Record-Route values by inbound x outbound x sips.
    private readonly byte[][] _sentByOf = new byte[3][];
    private readonly byte[][] _recordRoutes = new byte[18][];
    private readonly byte[] _buffer = new byte[65536];
    private readonly byte[] _viaBuffer = new byte[512];
    private readonly SipMessage _work = new();
    private readonly List<LocationBinding> _bindings = [];
    private readonly List<(string Host, int Port)> _aliases = [];
    private readonly PriorityQueue<ProxyContext, long> _timers = new();
    private ulong _counter;
    private readonly ulong _instance;
    private readonly string[] _supportedProxyRequire;
    private readonly string? _nextHopRoute;
    private readonly FlowToken _flowTokens;

    /// <summary>Creates a proxy.</summary>
    /// <param name="options">Domains, own address, mode and forking.</param>
    /// <param name="layer">The transaction layer whose user this proxy is (the host sets it up with this proxy as user).</param>
    /// <param name="location">Where the registrar keeps bindings (§16.5 target determination).</param>
    /// <param name="registrar">Answers REGISTER for the proxy's domains, or null (REGISTER to the domain then gets 405).</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SipProxy(ProxyOptions options, TransactionLayer layer, ILocationService location, SipRegistrar? registrar = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(location);
        options.Validate();
        _options = options;
        _layer = layer;
        _location = location;
        _registrar = registrar;
        _supportedProxyRequire = [.. options.SupportedProxyRequire];
        string host = options.LocalHost.Contains(':', StringComparison.Ordinal) && !options.LocalHost.StartsWith('[') ? "[" + options.LocalHost + "]" : options.LocalHost;
        _sentBy = Encoding.ASCII.GetBytes(host + ":" + options.LocalPort.ToString(CultureInfo.InvariantCulture));
        string hostPort = host + ":" + options.LocalPort.ToString(CultureInfo.InvariantCulture);
        // §19.1.1: without a transport parameter the next hop would reach us over UDP; say the listener's transport.
        string transport = options.LocalTransport switch
        {
            TransportProtocol.Tcp => ";transport=tcp",
            TransportProtocol.Tls => ";transport=tls",
            _ => "",
        };
        _recordRoute = Encoding.ASCII.GetBytes("<sip:" + hostPort + transport + ";lr>");
        // §16.6 step 4: a SIPS Request-URI needs a SIPS Record-Route (§26.2.2: TLS on every hop); only a TLS listener can offer it.
        _recordRouteSips = options.LocalTransport == TransportProtocol.Tls ? Encoding.ASCII.GetBytes("<sips:" + hostPort + ";lr>") : _recordRoute;
        BuildTransportRoutes(host, options);
        _aliases.Add((Bare(options.LocalHost), options.LocalPort));
        foreach (string a in options.Aliases)
        {
            int colon = a.LastIndexOf(':');
            if (colon > 0 && a[colon - 1] != ':' && int.TryParse(a.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
                _aliases.Add((Bare(a[..colon]), p));
            else
                _aliases.Add((Bare(a), options.LocalPort));
        }
        Span<byte> seed = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(seed);
        _instance = BitConverter.ToUInt64(seed);
        _flowTokens = new FlowToken(options.FlowTokenKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        if (options.NextHop is not null)
        {
            // §16.12: the next hop is a loose router; the pushed Route carries ;lr so that the Request-URI stays.
            string hop = options.NextHop.Trim();
            if (hop.StartsWith('<') && hop.EndsWith('>')) hop = hop[1..^1];
            bool loose = SipUri.TryParse(hop, out SipUri? parsed) && parsed!.HasParameter("lr");
            _nextHopRoute = "<" + hop + (loose ? "" : ";lr") + ">";
        }
    }

    /// <summary>
    /// Our Record-Route value(s) for <paramref name="request"/>, received over <paramref name="inbound"/> and leaving over
    /// <paramref name="outbound"/>: sips: when its Request-URI is a SIPS URI (§16.6 step 4); two values when the
    /// transports differ and we listen on both (RFC 5658 §4: the first names the outbound side, the second the inbound one).
    /// </summary>
    private byte[] RecordRouteFor(SipMessage request, TransportProtocol inbound, TransportProtocol outbound)
    {
        ReadOnlySpan<byte> uri = request.RequestUri;
        bool sips = uri.Length > 5 && System.Text.Ascii.EqualsIgnoreCase(uri[..5], "sips:"u8);
        return _recordRoutes[(sips ? 9 : 0) + 3 * (int)inbound + (int)outbound];
    }

    private void BuildTransportRoutes(string host, ProxyOptions options)
    {
        var single = new byte[3][];
        var singleSips = new byte[3][];
        for (int p = 0; p < 3; p++)
        {
            var protocol = (TransportProtocol)p;
            int port = protocol == options.LocalTransport ? options.LocalPort
                : options.TransportPorts is { } ports && ports.TryGetValue(protocol, out int other) ? other : -1;
            if (port <= 0)
            {
                // No listener of that transport: Via and Record-Route name the main one, as before.
                _sentByOf[p] = _sentBy;
                continue;
            }
            string hostPort = host + ":" + port.ToString(CultureInfo.InvariantCulture);
            _sentByOf[p] = Encoding.ASCII.GetBytes(hostPort);
            _aliases.Add((Bare(options.LocalHost), port));
            string transport = protocol switch
            {
                TransportProtocol.Tcp => ";transport=tcp",
                TransportProtocol.Tls => ";transport=tls",
                _ => "",
            };
            single[p] = Encoding.ASCII.GetBytes("<sip:" + hostPort + transport + ";lr>");
            singleSips[p] = protocol == TransportProtocol.Tls ? Encoding.ASCII.GetBytes("<sips:" + hostPort + ";lr>") : single[p];
        }
        for (int i = 0; i < 3; i++)
        {
            for (int o = 0; o < 3; o++)
            {
                _recordRoutes[3 * i + o] = Pair(single, i, o, _recordRoute);
                _recordRoutes[9 + 3 * i + o] = Pair(singleSips, i, o, _recordRouteSips);
            }
        }

        static byte[] Pair(byte[][] values, int inbound, int outbound, byte[] fallback)
        {
            byte[]? outSide = values[outbound];
            byte[]? inSide = values[inbound];
            if (outSide is null || inSide is null) return outSide ?? inSide ?? fallback;
            if (inbound == outbound) return outSide;
            // RFC 5658 §4: the callee's route set starts with the value it can reach (our outbound listener); the
            // caller's (reversed, §12.1.2) with the one on its side.
            return [.. outSide, .. ", "u8, .. inSide];
        }
    }

    /// <summary>Raised once per transaction (per request when stateless) with what was done; for the server log.</summary>
    public event Action<ProxyLogEntry>? Logged;

    /// <summary>Requests forwarded statelessly so far.</summary>
    public long StatelessForwarded { get; private set; }

    /// <summary>Responses forwarded statelessly so far (§16.11, and strays in stateful mode).</summary>
    public long StatelessResponses { get; private set; }

    /// <summary>Messages dropped because they could not be forwarded (no Via of ours, unresolvable next hop, too large).</summary>
    public long Dropped { get; private set; }

    /// <summary>The options in use.</summary>
    public ProxyOptions Options => _options;

    /// <summary>
    /// Entry point for every message the transport receives. Stateless mode forwards requests and responses
    /// itself (§16.11) except REGISTER for its registrar; stateful mode hands everything to the transaction layer.
    /// </summary>
    public void Receive(SipMessage message, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_options.Stateless)
        {
            _layer.Receive(message, source);
            return;
        }
        if (!message.IsRequest)
        {
            ForwardResponseStateless(message);
            return;
        }
        if (message.Method == SipMethod.Register && _registrar is not null && IsOurDomainUri(message.RequestUri))
        {
            _layer.Receive(message, source);
            return;
        }
        ForwardStateless(message, source);
    }

    /// <summary>Earliest proxy timer (sequential forking, Timer C) in clock microseconds; <see cref="long.MaxValue"/> when none.</summary>
    public long NextDeadline
    {
        get
        {
            while (_timers.TryPeek(out ProxyContext? ctx, out long at))
            {
                if (!ctx.FinalSent && ctx.Deadline == at) return at;
                _timers.Dequeue();
            }
            return long.MaxValue;
        }
    }

    /// <summary>Fires the proxy timers that are due.</summary>
    public void ProcessTimers()
    {
        long now = _layer.Clock.NowMicros;
        int budget = 1024;
        while (budget-- > 0 && _timers.TryPeek(out ProxyContext? ctx, out long at) && at <= now)
        {
            _timers.Dequeue();
            if (ctx.FinalSent && !ctx.IsInvite) continue;
            if (ctx.Deadline != at) continue;
            FireTimers(ctx, now);
            Schedule(ctx);
        }
    }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethod.Register && IsOurDomainUri(request.RequestUri) && (_registrar is not null || _nextHopRoute is null))
        {
            RegisterLocally(transaction, request);
            return;
        }
        if (_options.Stateless)
        {
            // Only REGISTER reaches the layer in stateless mode; anything else is a host wiring error.
            RespondOn(transaction, request, 500, "Server Internal Error - Stateless Proxy Got A Transaction", null);
            return;
        }
        StartStateful(transaction, request);
    }

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(ack);
        // §16.7 / §13.2.2.4: the ACK for a 2xx is its own request and is proxied without a transaction.
        ForwardStateless(ack, source);
    }

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.UserData is ProxyContext ctx) CancelContext(ctx);
        else _layer.Respond(invite, 487, "Request Terminated"u8, "sw-cancel"u8);
    }

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        if (transaction.UserData is ProxyBranch branch) BranchResponse(branch, response);
    }

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(response);
        // §16.7 step 1: a response matching no client transaction is forwarded as a stateless proxy would.
        ForwardResponseStateless(response);
    }

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.UserData is not ProxyBranch branch || !branch.IsPending) return;
        // §16.7 step 1 / §16.8: a timeout counts as a 408 from the branch; §16.9: a transport error as a 503.
        branch.FinalStatus = failure == TransactionError.TransportError ? 503 : 408;
        BranchFinished(branch.Context, branch, null);
    }

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        switch (transaction.UserData)
        {
            case ProxyBranch b:
                b.Transaction = null;
                if (b.IsPending)
                {
                    b.FinalStatus = 408;
                    BranchFinished(b.Context, b, null);
                }
                break;
            case ProxyContext c:
                c.Server = null;
                break;
        }
        transaction.UserData = null;
    }

    private void RegisterLocally(Transaction transaction, SipMessage request)
    {
        if (_registrar is null)
        {
            RespondOn(transaction, request, 405, "Method Not Allowed - No Registrar Here", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS");
            return;
        }
        RegistrarResponse r = _registrar.Process(request, transaction.Source, NowMs(), _options.UtcNow?.Invoke() ?? DateTime.UtcNow);
        int n = r.Write(request, transaction.Source, _buffer);
        if (n > 0) _layer.Respond(transaction, _buffer.AsSpan(0, n));
        Log(request, transaction.Source, r.StatusCode, r.Reason, 0);
    }

    private long NowMs() => _options.NowMs?.Invoke() ?? _layer.Clock.NowMicros / 1000;

    private void Log(SipMessage request, in PeerAddress source, int status, string reason, int branches)
    {
        Logged?.Invoke(new ProxyLogEntry(SipMessage.ToText(request.MethodName), SipMessage.ToText(request.RequestUri),
            SipMessage.ToText(request.CallId), source, status, reason, branches));
    }

    private void Schedule(ProxyContext ctx)
    {
        long d = ctx.Deadline;
        if (d != long.MaxValue) _timers.Enqueue(ctx, d);
    }

    // ---- addresses ----

    private static string Bare(string host)
    {
        string h = host.Trim();
        if (h.Length > 2 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        return h;
    }

    private bool IsLocal(ReadOnlySpan<char> host, int port)
    {
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']') host = host[1..^1];
        foreach ((string h, int p) in _aliases)
        {
            if (host.Equals(h, StringComparison.OrdinalIgnoreCase) && (port <= 0 ? 5060 : port) == p) return true;
        }
        return false;
    }

    private bool IsLocalSentBy(SipVia via)
    {
        Span<char> host = stackalloc char[256];
        ReadOnlySpan<byte> h = via.Host;
        if (h.Length > host.Length) return false;
        int n = Encoding.ASCII.GetChars(h, host);
        return IsLocal(host[..n], via.Port);
    }

    private bool IsLocalUri(SipUri uri) => IsLocal(uri.Host, uri.Port);

    private bool IsOurDomain(string host)
    {
        string h = Bare(host);
        foreach (string d in _options.Domains)
        {
            if (string.Equals(Bare(d), h, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private bool IsOurDomainUri(ReadOnlySpan<byte> uriText) => SipUri.TryParse(uriText, out SipUri? u) && IsOurDomain(u!.Host);

    /// <summary>§16.6 step 7 / RFC 3263: where a URI goes. IP literals directly, names through <see cref="ProxyOptions.Resolve"/>.</summary>
    private PeerAddress? ResolveUri(SipUri uri)
    {
        TransportProtocol protocol = uri.Scheme == SipUriScheme.Sips ? TransportProtocol.Tls : TransportProtocol.Udp;
        string? transport = uri.GetParameter("transport");
        if (transport is not null)
        {
            if (transport.Equals("tcp", StringComparison.OrdinalIgnoreCase)) protocol = uri.Scheme == SipUriScheme.Sips ? TransportProtocol.Tls : TransportProtocol.Tcp;
            else if (transport.Equals("tls", StringComparison.OrdinalIgnoreCase)) protocol = TransportProtocol.Tls;
        }
        // RFC 3261 §19.1.2: maddr overrides the host for the destination.
        string host = Bare(uri.GetParameter("maddr") ?? uri.Host);
        int port = uri.Port > 0 ? uri.Port : protocol == TransportProtocol.Tls ? 5061 : 5060;
        if (IPAddress.TryParse(host, out IPAddress? ip)) return PeerAddress.FromEndPoint(protocol, new IPEndPoint(ip, port));
        return _options.Resolve?.Invoke(uri);
    }
}
