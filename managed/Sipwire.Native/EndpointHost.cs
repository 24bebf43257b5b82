// SPDX-License-Identifier: MIT
// The endpoint behind sw_endpoint *: transport, transaction layer, UA core, post queue, event queue, poll loop.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Native;

/// <summary>
/// One endpoint as the C ABI sees it (DESIGN.md principle 2): everything runs on the thread that
/// calls <see cref="Poll"/>; other threads only <see cref="Post"/> work or <see cref="Input"/> bytes.
/// Events from the UA core are queued and delivered to the C callback table only inside Poll.
/// </summary>
internal sealed unsafe partial class EndpointHost : ITransactionUser, IDisposable
{
    private static readonly byte[] s_tag = "sw0"u8.ToArray();

    private readonly SystemClock _clock = SystemClock.Instance;
    private readonly SocketTransport? _sockets;
    private readonly FirmwareTransport? _firmware;
    private readonly TransactionLayer _layer;
    private readonly Callbacks _callbacks;
    private readonly LogLevel _logLevel;
    private readonly ConcurrentQueue<(nint Function, nint UserData)> _posted = new();
    private readonly ConcurrentQueue<(byte[] Data, PeerAddress Source)> _input = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Queue<HostEvent> _events = new();
    private readonly SipMessage _inputMessage = new();
    private readonly IPAddress _bindAddress;
    private readonly string? _contactAddress;
    private readonly PeerAddress _udpLocal;
    private readonly PeerAddress _tcpLocal;
    private readonly PeerAddress _tlsLocal;
    private byte[] _text = new byte[256];
    private UserAgentCore? _ua;
    private bool _inPoll;
    private int _pollThread;
    private bool _disposeAfterPoll;
    private bool _disposed;

    /// <summary>Creates the endpoint a C configuration asks for.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the detail names it.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A listener could not be bound.</exception>
    public EndpointHost(in EndpointConfig config)
    {
        Options = config.ToOptions();
        Options.Validate();
        if (config.callbacks != null)
        {
            if (config.callbacks->struct_size != (uint)sizeof(Callbacks))
            {
                throw new ArgumentException($"config->callbacks->struct_size is {config.callbacks->struct_size}, expected {sizeof(Callbacks)}: call sw_callbacks_init() first");
            }
            _callbacks = *config.callbacks;
        }
        if (config.log_level is < (int)LogLevel.Debug or > (int)LogLevel.None)
        {
            throw new ArgumentException($"config->log_level must be SW_LOG_DEBUG..SW_LOG_NONE, not {config.log_level}");
        }
        _logLevel = (LogLevel)config.log_level;
        if (config.udp_port is < -1 or > 65535 || config.tcp_port is < -1 or > 65535 || config.tls_port is < -1 or > 65535)
        {
            throw new ArgumentException($"config->udp_port/tcp_port/tls_port must be -1 (none), 0 (any) or a port, not {config.udp_port}/{config.tcp_port}/{config.tls_port}");
        }
        FirmwareTlsProvider? tls = null;
        if (config.tls_provider != null)
        {
            TlsProviderTable t = *config.tls_provider;
            if (t.struct_size != (uint)sizeof(TlsProviderTable) || t.open == null || t.handshake == null || t.read == null || t.write == null || t.close == null)
            {
                throw new ArgumentException($"config->tls_provider needs struct_size {sizeof(TlsProviderTable)} and all five callbacks");
            }
            tls = new FirmwareTlsProvider(t);
        }
        if (config.tls_port >= 0 && tls is null)
        {
            throw new ArgumentException("config->tls_port needs config->tls_provider (libsipwire carries no TLS of its own)");
        }
        string bind = AbiStrings.Read(config.bind_address, "config->bind_address") ?? "0.0.0.0";
        if (!IPAddress.TryParse(bind, out IPAddress? bindAddress))
        {
            throw new ArgumentException($"config->bind_address '{bind}' is not an IPv4 or IPv6 address");
        }
        _bindAddress = bindAddress;
        _contactAddress = AbiStrings.Read(config.contact_address, "config->contact_address");
        if (_contactAddress is not null && !IPAddress.TryParse(_contactAddress, out _))
        {
            throw new ArgumentException($"config->contact_address '{_contactAddress}' is not an IPv4 or IPv6 address");
        }
        if (config.transport_send != null)
        {
            if (_contactAddress is null)
            {
                throw new ArgumentException("config->contact_address is required with transport_send (the address the firmware receives on)");
            }
            if (config.udp_port <= 0)
            {
                throw new ArgumentException("config->udp_port must be the port the firmware receives on (1..65535) with transport_send");
            }
            _firmware = new FirmwareTransport(config.transport_send, config.transport_user_data);
            _udpLocal = PeerAddress.FromEndPoint(TransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(_contactAddress), config.udp_port));
            _layer = new TransactionLayer(Options, _firmware, this, _clock);
        }
        else
        {
            var sockets = new SocketTransport(Options, _clock) { TlsProvider = tls };
            try
            {
                if (config.udp_port >= 0) _udpLocal = sockets.AddUdp(new IPEndPoint(bindAddress, config.udp_port));
                if (config.tcp_port >= 0) _tcpLocal = sockets.AddTcp(new IPEndPoint(bindAddress, config.tcp_port));
                if (config.tls_port >= 0) _tlsLocal = sockets.AddTls(new IPEndPoint(bindAddress, config.tls_port));
            }
            catch
            {
                sockets.Dispose();
                throw;
            }
            _sockets = sockets;
            _layer = new TransactionLayer(Options, sockets, this, _clock);
            sockets.MessageReceived = (m, source) => _layer.Receive(m, source);
        }
        EndpointConfig copy = config;
        copy.user_agent = null;
        copy.callbacks = null;
        copy.bind_address = null;
        copy.contact_address = null;
        copy.tls_provider = null;
        Config = copy;
    }

    /// <summary>The validated options.</summary>
    public EndpointOptions Options { get; }

    /// <summary>The configuration as created, strings and pointers cleared (sw_endpoint_get_config).</summary>
    public EndpointConfig Config { get; }

    /// <summary>The C handle.</summary>
    public nint Handle { get; set; }

    /// <summary>True when the endpoint runs over the firmware's send callback.</summary>
    public bool UsesFirmwareTransport => _firmware is not null;

    /// <summary>True inside <see cref="Poll"/> (callbacks run there).</summary>
    public bool InPoll => _inPoll;

    /// <summary>Local listener address of <paramref name="protocol"/>; default when there is none.</summary>
    public PeerAddress LocalAddress(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => _udpLocal,
        TransportProtocol.Tcp => _tcpLocal,
        TransportProtocol.Tls => _tlsLocal,
        _ => default,
    };

    /// <summary>
    /// Checks that the caller may drive this endpoint now: not destroyed, and while a poll runs only
    /// from the polling thread (its callbacks). Other threads must use sw_endpoint_post().
    /// </summary>
    /// <exception cref="InvalidOperationException">The call comes from another thread during a poll.</exception>
    public void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_inPoll && Environment.CurrentManagedThreadId != _pollThread)
        {
            throw new InvalidOperationException("the endpoint is being polled on another thread: hand the work over with sw_endpoint_post()");
        }
    }

    /// <summary>Queues a C function to run inside the next poll and wakes a waiting poll. Thread-safe.</summary>
    public void Post(nint function, nint userData)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _posted.Enqueue((function, userData));
        Wake();
    }

    /// <summary>Queues bytes the firmware received; they are parsed inside the next poll. Thread-safe.</summary>
    /// <exception cref="InvalidOperationException">The endpoint uses its own sockets.</exception>
    public void Input(ReadOnlySpan<byte> data, in PeerAddress source)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_firmware is null)
        {
            throw new InvalidOperationException("sw_endpoint_input() needs an endpoint created with transport_send");
        }
        if (data.Length > Options.MaxConnectionBuffer)
        {
            // RFC 3261 §18.1.1 / our size limit: a message larger than the buffer cap is refused whole.
            throw new ArgumentException($"length {data.Length} exceeds the message size limit of {Options.MaxConnectionBuffer} bytes");
        }
        _input.Enqueue((data.ToArray(), source));
        Wake();
    }

    private void Wake()
    {
        if (_sockets is not null) _sockets.Wake();
        else _wake.Set();
    }

    /// <summary>
    /// Runs posted work, waits for input up to <paramref name="timeoutMs"/> or the next timer,
    /// processes received messages and due timers, and delivers every queued event.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside a callback of this endpoint.</exception>
    public void Poll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_inPoll)
        {
            throw new InvalidOperationException("sw_endpoint_poll() is already running on this endpoint (called from a callback or another thread)");
        }
        _inPoll = true;
        _pollThread = Environment.CurrentManagedThreadId;
        try
        {
            RunPosted();
            ProcessInput();
            Deliver();
            if (_disposeAfterPoll) return;
            long now = _clock.NowMicros;
            long until = Math.Min(now + (long)timeoutMs * 1000, _layer.NextDeadline);
            if (_ua is not null) until = Math.Min(until, _ua.NextDeadline);
            until = Math.Min(until, MediaDeadline(now));
            long wait = _posted.IsEmpty && _input.IsEmpty && _events.Count == 0 ? Math.Max(0, until - now) : 0;
            if (_sockets is not null)
            {
                _sockets.Poll(wait);
            }
            else
            {
                _wake.Wait(TimeSpan.FromMilliseconds(Math.Min(wait / 1000.0, int.MaxValue)));
                _wake.Reset();
            }
            ProcessInput();
            _layer.ProcessTimers();
            _ua?.ProcessTimers();
            PollMedia();
            RunPosted();
            Deliver();
        }
        finally
        {
            _inPoll = false;
            if (_disposeAfterPoll) DisposeNow();
        }
    }

    private void RunPosted()
    {
        // Only what is queued now: work posted by posted work runs in the next round of this poll.
        int n = _posted.Count;
        while (n-- > 0 && !_disposeAfterPoll && _posted.TryDequeue(out (nint Function, nint UserData) p))
        {
            ((delegate* unmanaged<void*, void>)p.Function)((void*)p.UserData);
        }
    }

    private void ProcessInput()
    {
        Span<byte> response = stackalloc byte[MalformedRequestResponse.MaxLength];
        while (!_disposeAfterPoll && _input.TryDequeue(out (byte[] Data, PeerAddress Source) item))
        {
            ReadOnlySpan<byte> data = item.Data;
            // RFC 5626 §4.4.1: bare CRLFs are keep-alives, not messages.
            if (data.Trim("\r\n"u8).IsEmpty) continue;
            SipParseResult r = SipParser.Parse(item.Data, SipFraming.Datagram, _inputMessage);
            if (!r.IsDone)
            {
                Log(LogLevel.Warning, $"dropped a malformed message from {item.Source}: {r.Error}");
                if (r.Status == SipParseStatus.Invalid)
                {
                    // A malformed request still gets its status (400/505/513) where its headers allow.
                    int length = MalformedRequestResponse.TryWrite(data, r.Error, response);
                    if (length > 0) _layer.SendStateless(response[..length], item.Source);
                }
                continue;
            }
            _layer.Receive(_inputMessage, item.Source);
        }
    }

    /// <summary>Queues a log line when its level passes the configured one.</summary>
    public void Log(LogLevel level, string line)
    {
        if (level >= _logLevel && _logLevel != LogLevel.None && _callbacks.on_log != null)
        {
            _events.Enqueue(new HostEvent(HostEventKind.Log, null, null, (int)level, 0, line, 0));
        }
    }

    private void Queue(HostEvent e) => _events.Enqueue(e);

    private void Deliver()
    {
        while (!_disposeAfterPoll && _events.TryDequeue(out HostEvent e))
        {
            switch (e.Kind)
            {
                case HostEventKind.Log:
                    fixed (byte* text = Utf8(e.Text)) _callbacks.on_log(e.Code, text, _callbacks.user_data);
                    break;
                case HostEventKind.Registration:
                    if (_callbacks.on_registration != null && e.Account is { } a)
                    {
                        fixed (byte* text = Utf8(e.Text)) _callbacks.on_registration((AccountHandle*)a.Handle, e.Code, e.StatusCode, text, e.Expires, _callbacks.user_data);
                    }
                    break;
                case HostEventKind.IncomingCall:
                    if (e.Call is { } incoming && e.Account is { } to)
                    {
                        if (_callbacks.on_incoming_call != null)
                        {
                            fixed (byte* text = Utf8(e.Text)) _callbacks.on_incoming_call((AccountHandle*)to.Handle, (CallHandle*)incoming.Handle, text, _callbacks.user_data);
                        }
                    }
                    break;
                case HostEventKind.CallState:
                    if (e.Call is { } call)
                    {
                        if (_callbacks.on_call_state != null)
                        {
                            fixed (byte* text = Utf8(e.Text)) _callbacks.on_call_state((CallHandle*)call.Handle, e.Code, e.StatusCode, text, _callbacks.user_data);
                        }
                        // The handle is stale once the Ended callback has returned.
                        if (e.Code == (int)CallEventCode.Ended) ReleaseCall(call);
                    }
                    break;
                default:
                    DeliverFeature(e);
                    break;
            }
        }
    }

    // UTF-8 with a NUL in a buffer reused between callbacks (valid only during one callback).
    private byte[] Utf8(string text)
    {
        int needed = Encoding.UTF8.GetByteCount(text) + 1;
        if (_text.Length < needed) _text = new byte[Math.Max(needed, _text.Length * 2)];
        int n = Encoding.UTF8.GetBytes(text, _text);
        _text[n] = 0;
        return _text;
    }

    /// <summary>Destroys now, or at the end of the running poll when called from one of its callbacks.</summary>
    public void Dispose()
    {
        if (_inPoll)
        {
            _disposeAfterPoll = true;
            return;
        }
        DisposeNow();
    }

    private void DisposeNow()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseAll();
        _sockets?.Dispose();
        _wake.Dispose();
    }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request)
    {
        if (OnRegistrarRequest(transaction, request)) return;
        if (_ua is not null)
        {
            _ua.OnRequest(transaction, request);
            return;
        }
        // No account yet: still a correct UAS. OPTIONS 200 (§11.2), else 501 (§21.5.2) or 481 in a dialog.
        if (request.Method == SipMethod.Options) _layer.Respond(transaction, 200, "OK"u8, s_tag);
        else if (request.To.HasTag) _layer.Respond(transaction, 481, "Call/Transaction Does Not Exist"u8, []);
        else _layer.Respond(transaction, 501, "Not Implemented"u8, s_tag);
    }

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source) => _ua?.OnAck(transaction, ack, source);

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        if (_ua is not null) _ua.OnCancel(invite, cancel);
        else _layer.Respond(invite, 487, "Request Terminated"u8, s_tag);
    }

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response) => _ua?.OnResponse(transaction, response);

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source) => _ua?.OnStrayResponse(response, source);

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure)
    {
        Log(LogLevel.Warning, $"transaction {transaction.Method} failed: {failure}");
        _ua?.OnError(transaction, failure);
    }

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction) => _ua?.OnTerminated(transaction);
}
