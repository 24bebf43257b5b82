// RFC 3261 §18 over System.Net.Sockets: UDP and TCP, IPv4 and IPv6, framing, reuse, limits, RFC 5626 keep-alive.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Sipwire.Sip;
using Sipwire.Timing;

namespace Sipwire.Transport;

/// <summary>
/// The socket edge of the sans-IO core. Non-blocking sockets polled from the endpoint's thread
/// (no hidden threads): <see cref="Poll"/> waits on every socket at once, reads datagrams and
/// stream bytes, frames stream messages with the parser (Content-Length, §18.3), answers RFC 5626
/// CRLF pings and hands each message to <see cref="MessageReceived"/>. Sending picks the socket
/// by protocol and family, reuses an open connection to the same peer (§18.1.1), and moves a UDP
/// request above <see cref="EndpointOptions.UdpSizeLimit"/> to TCP (§18.1.1).
/// </summary>
public sealed class SocketTransport : ITransportSender, IDisposable
{
    private readonly EndpointOptions _options;
    private readonly IClock _clock;
    private readonly List<Socket> _udp = [];
    private readonly List<(Socket Socket, TransportProtocol Protocol)> _listeners = [];
    private readonly Dictionary<int, StreamConnection> _connections = [];
    private readonly Dictionary<Socket, StreamConnection> _bySocket = [];
    private readonly List<Socket> _readable = [];
    private readonly List<Socket> _errored = [];
    private readonly List<StreamConnection> _closing = [];
    private readonly byte[] _datagram = new byte[65535];
    private readonly SipMessage _message = new();
    private readonly SocketAddress _rx4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _rx6 = new(AddressFamily.InterNetworkV6);
    private readonly SocketAddress _tx4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _tx6 = new(AddressFamily.InterNetworkV6);
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly EndPoint _wakeAddress;
    private int _nextConnectionId;
    private bool _disposed;

    /// <summary>Creates a transport with the connection limits of <paramref name="options"/>.</summary>
    public SocketTransport(EndpointOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        _options = options;
        _clock = clock;
        // A loopback datagram socket lets another thread end a Poll wait (Wake) without a hidden thread.
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeAddress = _wakeReceiver.LocalEndPoint!;
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    }

    /// <summary>Ends a <see cref="Poll"/> wait early. Thread-safe: the one member other threads may call.</summary>
    public void Wake()
    {
        try
        {
            _wakeSender.SendTo([0], _wakeAddress);
        }
        catch (SocketException)
        {
            // The next Poll still runs the posted work; a lost wake-up only delays it to the timeout.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while another thread posted: nothing to wake.
        }
    }

    /// <summary>The TLS provider; without one, TLS listeners cannot be added and TLS destinations fail.</summary>
    public ITlsProvider? TlsProvider { get; set; }

    /// <summary>Called for every received message (valid only during the call) with its source.</summary>
    public Action<SipMessage, PeerAddress>? MessageReceived { get; set; }

    /// <summary>Called for a request that failed to parse (after the 400 was sent when possible); for logging.</summary>
    public Action<SipParseResult, PeerAddress>? ParseFailed { get; set; }

    /// <summary>
    /// Raised on the polling thread when a TLS handshake fails, with the peer, whether we were the client
    /// (true: a connection we opened) and the reason; the connection is closed and its queued messages are dropped.
    /// </summary>
    public event Action<PeerAddress, bool, string>? TlsHandshakeFailed;

    /// <summary>
    /// How long a TLS handshake may take. Milliseconds on a LAN, seconds on a slow uplink with a large RSA key;
    /// without a bound, peers that connect and stay silent would hold connection slots for the whole idle timeout.
    /// </summary>
    public const long TlsHandshakeTimeoutMicros = 10_000_000;

    /// <summary>TLS handshakes that failed (either side).</summary>
    public int TlsHandshakeFailures { get; private set; }

    /// <summary>Open stream connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>RFC 5626 pongs (CRLF) received in answer to our pings.</summary>
    public int PongsReceived { get; private set; }

    /// <summary>Malformed requests answered statelessly with their error status (400, 505, 513, ...).</summary>
    public int MalformedRequestsAnswered { get; private set; }

    /// <summary>Messages dropped because they did not parse.</summary>
    public int ParseErrors { get; private set; }

    /// <summary>Binds a UDP socket; returns the bound address (port 0 picks a free port).</summary>
    public PeerAddress AddUdp(IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var s = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        s.Bind(local);
        _udp.Add(s);
        return PeerAddress.FromEndPoint(TransportProtocol.Udp, (IPEndPoint)s.LocalEndPoint!);
    }

    /// <summary>Listens for TCP connections; returns the bound address.</summary>
    public PeerAddress AddTcp(IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var s = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        s.Bind(local);
        s.Listen(64);
        _listeners.Add((s, TransportProtocol.Tcp));
        return PeerAddress.FromEndPoint(TransportProtocol.Tcp, (IPEndPoint)s.LocalEndPoint!);
    }

    /// <summary>Listens for TLS connections (needs <see cref="TlsProvider"/>); returns the bound address.</summary>
    /// <exception cref="InvalidOperationException">No TLS provider is set.</exception>
    public PeerAddress AddTls(IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (TlsProvider is null) throw new InvalidOperationException("A TLS listener needs a TlsProvider.");
        var s = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        s.Bind(local);
        s.Listen(64);
        _listeners.Add((s, TransportProtocol.Tls));
        return PeerAddress.FromEndPoint(TransportProtocol.Tls, (IPEndPoint)s.LocalEndPoint!);
    }

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Protocol == TransportProtocol.Udp)
        {
            if (message.Length > _options.UdpSizeLimit && IsRequest(message))
            {
                // §18.1.1: a request larger than 1300 bytes (MTU unknown) MUST go over a congestion-
                // controlled transport; the Via transport changes with it (UDP -> TCP, same length).
                // If the connection cannot be made, the element SHOULD retry over UDP.
                byte[] copy = message.ToArray();
                RewriteTopViaTransport(copy);
                if (SendStream(copy, destination.WithProtocol(TransportProtocol.Tcp).WithConnection(0))) return true;
            }
            Socket? s = UdpFor(destination.AddressFamily);
            if (s is null) return false;
            try
            {
                SocketAddress to = destination.IsIPv6 ? _tx6 : _tx4;
                destination.WriteTo(to);
                s.SendTo(message, SocketFlags.None, to);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return SendStream(message, destination);
    }

    /// <summary>Sends an RFC 5626 §3.5.1 keep-alive ping (CRLFCRLF) over the connection to <paramref name="destination"/>.</summary>
    public bool SendKeepAlive(in PeerAddress destination) => destination.IsReliable && SendStream("\r\n\r\n"u8, destination);

    /// <summary>
    /// Waits up to <paramref name="timeoutMicros"/> for socket activity, then reads everything
    /// ready, accepts connections and closes idle ones. Returns the number of messages delivered.
    /// </summary>
    public int Poll(long timeoutMicros)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _readable.Clear();
        _errored.Clear();
        _readable.Add(_wakeReceiver);
        foreach (Socket s in _udp) _readable.Add(s);
        foreach ((Socket s, _) in _listeners) _readable.Add(s);
        foreach (StreamConnection c in _connections.Values)
        {
            if (!c.IsTls) _readable.Add(c.Socket);
        }
        foreach (Socket s in _readable) _errored.Add(s);
        Socket.Select(_readable, null, _errored, (int)Math.Clamp(timeoutMicros, 0, int.MaxValue));
        int delivered = 0;
        foreach (Socket s in _readable)
        {
            if (s == _wakeReceiver) DrainWake();
            else if (_udp.Contains(s)) delivered += ReadDatagrams(s);
            else if (_bySocket.TryGetValue(s, out StreamConnection? c)) delivered += ReadStream(c);
            else Accept(s, ListenerProtocol(s));
        }
        foreach (Socket s in _errored)
        {
            if (_bySocket.TryGetValue(s, out StreamConnection? c)) Close(c);
        }
        delivered += ServiceTls();
        SweepIdle();
        return delivered;
    }

    // TLS connections run their handshake and reads as tasks (SslStream cannot be polled); each
    // completion wakes Poll, and all framing and delivery still happen here on the polling thread.
    private int ServiceTls()
    {
        int delivered = 0;
        _closing.Clear();
        foreach (StreamConnection c in _connections.Values)
        {
            if (c.IsTls) _closing.Add(c);
        }
        foreach (StreamConnection c in _closing)
        {
            if (c.Handshake is { IsCompleted: true } h)
            {
                c.Handshake = null;
                if (!h.IsCompletedSuccessfully)
                {
                    TlsHandshakeFailures++;
                    bool client = c.IsOutgoing;
                    PeerAddress remote = c.Remote;
                    Close(c);
                    TlsHandshakeFailed?.Invoke(remote, client, HandshakeReason(h.Exception));
                    continue;
                }
                c.Stream = h.Result;
                foreach (byte[] q in c.Queued)
                {
                    if (!Write(c, q)) break;
                }
                c.Queued.Clear();
                if (!_connections.ContainsKey(c.Id)) continue;
                StartTlsRead(c);
            }
            while (c.PendingRead is { IsCompleted: true } r && _connections.ContainsKey(c.Id))
            {
                c.PendingRead = null;
                if (!r.IsCompletedSuccessfully || r.Result == 0)
                {
                    Close(c);
                    break;
                }
                c.Count += r.Result;
                c.LastActivity = _clock.NowMicros;
                delivered += Frame(c);
                if (!_connections.ContainsKey(c.Id)) break;
                if (!c.EnsureSpace())
                {
                    Close(c);
                    break;
                }
                StartTlsRead(c);
            }
        }
        _closing.Clear();
        return delivered;
    }

    private static string HandshakeReason(AggregateException? e)
    {
        Exception? inner = e?.InnerException;
        if (inner is null) return "TLS handshake failed";
        // A provider says why it refused the peer's certificate in its message; SslStream's own failures say
        // "Authentication failed, see inner exception." and the inner one holds OpenSSL's reason.
        string reason = inner.Message;
        if (reason.Contains("inner exception", StringComparison.OrdinalIgnoreCase) && inner.InnerException is { } deeper) reason += " " + deeper.Message;
        return reason;
    }

    private void StartTlsRead(StreamConnection c)
    {
        if (!c.EnsureSpace())
        {
            Close(c);
            return;
        }
        Task<int> read = c.Stream!.ReadAsync(c.Buffer, c.Count, c.Buffer.Length - c.Count, CancellationToken.None);
        c.PendingRead = read;
        if (!read.IsCompleted) read.ContinueWith(static (_, state) => ((SocketTransport)state!).Wake(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void StartHandshake(StreamConnection c, Task<Stream> handshake)
    {
        c.Handshake = handshake;
        handshake.ContinueWith(static (_, state) => ((SocketTransport)state!).Wake(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void DrainWake()
    {
        while (_wakeReceiver.Available > 0)
        {
            _wakeReceiver.Receive(_datagram);
        }
    }

    private int ReadDatagrams(Socket s)
    {
        int n = 0;
        SocketAddress from = s.AddressFamily == AddressFamily.InterNetworkV6 ? _rx6 : _rx4;
        while (s.Available > 0)
        {
            int length;
            try
            {
                length = s.ReceiveFrom(_datagram, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                break; // ICMP port unreachable reported on Linux as ECONNREFUSED: nothing to read.
            }
            var source = PeerAddress.FromSocketAddress(TransportProtocol.Udp, from);
            ReadOnlySpan<byte> data = _datagram.AsSpan(0, length);
            // RFC 5626 §4.4.1 / §3.5.1: bare CRLFs on UDP are keep-alive noise, not messages.
            if (data.Trim("\r\n"u8).IsEmpty) continue;
            SipParseResult r = SipParser.Parse(_datagram.AsMemory(0, length), SipFraming.Datagram, _message);
            if (!r.IsDone)
            {
                Rejected(r, source, data);
                continue;
            }
            MessageReceived?.Invoke(_message, source);
            n++;
        }
        return n;
    }

    private TransportProtocol ListenerProtocol(Socket s)
    {
        foreach ((Socket l, TransportProtocol p) in _listeners)
        {
            if (l == s) return p;
        }
        return TransportProtocol.Tcp;
    }

    private void Accept(Socket listener, TransportProtocol protocol)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (SocketException)
            {
                return;
            }
            if (_connections.Count >= _options.MaxConnections)
            {
                // Bounded memory (DESIGN.md principle 3): refuse beyond the limit.
                client.Dispose();
                continue;
            }
            client.NoDelay = true;
            if (protocol == TransportProtocol.Tls && TlsProvider is { } tls)
            {
                client.Blocking = true; // NetworkStream needs a blocking socket; reads run as tasks.
                StreamConnection c = Register(client, PeerAddress.FromEndPoint(TransportProtocol.Tls, (IPEndPoint)client.RemoteEndPoint!), isTls: true);
                StartHandshake(c, tls.AuthenticateAsServerAsync(new NetworkStream(client, ownsSocket: false), CancellationToken.None));
                continue;
            }
            client.Blocking = false;
            Register(client, PeerAddress.FromEndPoint(TransportProtocol.Tcp, (IPEndPoint)client.RemoteEndPoint!));
        }
    }

    private StreamConnection Register(Socket socket, PeerAddress remote, bool isTls = false)
    {
        int id = ++_nextConnectionId;
        var c = new StreamConnection(id, socket, remote.WithConnection(id), _options.MaxConnectionBuffer, _clock.NowMicros) { IsTls = isTls };
        _connections.Add(id, c);
        _bySocket.Add(socket, c);
        return c;
    }

    private int ReadStream(StreamConnection c)
    {
        int delivered = 0;
        while (true)
        {
            if (!c.EnsureSpace())
            {
                // The per-connection cap is reached without a complete message: the peer is
                // sending something we will never accept; drop the connection (§18.3 framing lost).
                Close(c);
                return delivered;
            }
            int n;
            try
            {
                if (c.Socket.Available == 0 && delivered > 0) break;
                n = c.Socket.Receive(c.Buffer, c.Count, c.Buffer.Length - c.Count, SocketFlags.None, out SocketError err);
                if (err == SocketError.WouldBlock) break;
                if (err != SocketError.Success || n == 0)
                {
                    Close(c);
                    return delivered;
                }
            }
            catch (ObjectDisposedException)
            {
                return delivered;
            }
            c.Count += n;
            c.LastActivity = _clock.NowMicros;
            delivered += Frame(c);
            if (!_connections.ContainsKey(c.Id)) return delivered;
            if (c.Socket.Available == 0) break;
        }
        return delivered;
    }

    private int Frame(StreamConnection c)
    {
        int delivered = 0;
        while (c.Count > 0)
        {
            ReadOnlySpan<byte> b = c.Buffer.AsSpan(0, c.Count);
            // RFC 5626 §3.5.1: CRLFCRLF is a ping (answer CRLF); a lone CRLF is the pong.
            if (b.StartsWith("\r\n\r\n"u8))
            {
                Write(c, "\r\n"u8);
                c.Consume(4);
                continue;
            }
            if (b.StartsWith("\r\n"u8) && (b.Length == 2 || b[2] != '\r'))
            {
                PongsReceived++;
                c.Consume(2);
                continue;
            }
            if (b.Length < 4 && b.Trim("\r\n"u8).IsEmpty) break;
            SipParseResult r = SipParser.Parse(c.Buffer.AsMemory(0, c.Count), SipFraming.Stream, _message);
            if (r.Status == SipParseStatus.NeedMoreData) break;
            if (r.Status == SipParseStatus.Invalid)
            {
                Rejected(r, c.Remote, b);
                // After a framing error the stream position is unknown: close (RFC 4475 §3.3.9).
                if (SipErrors.BreaksFraming(r.Error) || !TrySkipBrokenMessage(c)) Close(c);
                return delivered;
            }
            MessageReceived?.Invoke(_message, c.Remote);
            delivered++;
            if (!_connections.ContainsKey(c.Id)) return delivered;
            c.Consume(r.Consumed);
        }
        return delivered;
    }

    private static bool TrySkipBrokenMessage(StreamConnection c)
    {
        // A message with a readable Content-Length but a bad header elsewhere: skip header
        // section and body so the next message frames correctly.
        ReadOnlySpan<byte> b = c.Buffer.AsSpan(0, c.Count);
        int end = b.IndexOf("\r\n\r\n"u8);
        if (end < 0) return false;
        int length = 0;
        int at = IndexOfIgnoreCase(b[..end], "\r\nContent-Length:"u8);
        if (at < 0) at = IndexOfIgnoreCase(b[..end], "\r\nl:"u8);
        if (at < 0) return false;
        ReadOnlySpan<byte> v = b[(b[at..].IndexOf((byte)':') + at + 1)..end];
        int lf = v.IndexOf((byte)'\r');
        if (lf >= 0) v = v[..lf];
        if (!int.TryParse(v.Trim(" \t"u8), out length) || length < 0) return false;
        if (end + 4 + length > c.Count) return false;
        c.Consume(end + 4 + length);
        return true;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(i, needle.Length), needle)) return i;
        }
        return -1;
    }

    private void Rejected(SipParseResult r, PeerAddress source, ReadOnlySpan<byte> data)
    {
        ParseErrors++;
        ParseFailed?.Invoke(r, source);
        if (r.Status != SipParseStatus.Invalid)
        {
            return;
        }
        // A malformed request still gets its status when the headers a response copies are readable.
        // It goes back to where it came from: the Via may be the broken part (cf. RFC 3581).
        Span<byte> response = stackalloc byte[MalformedRequestResponse.MaxLength];
        int length = MalformedRequestResponse.TryWrite(data, r.Error, response);
        if (length > 0 && Send(response[..length], source))
        {
            MalformedRequestsAnswered++;
        }
    }

    private bool SendStream(ReadOnlySpan<byte> message, PeerAddress destination)
    {
        StreamConnection? c = null;
        if (destination.ConnectionId != 0) _connections.TryGetValue(destination.ConnectionId, out c);
        if (c is null)
        {
            // §18.1.1 / §18.2.2: reuse an open connection to the same address and port.
            foreach (StreamConnection open in _connections.Values)
            {
                if (open.Remote.SameEndPoint(destination))
                {
                    c = open;
                    break;
                }
            }
        }
        if (c is null)
        {
            if (destination.Protocol == TransportProtocol.Tls && TlsProvider is null) return false; // no provider: transport error (§17.1.4)
            if (_connections.Count >= _options.MaxConnections) return false;
            var s = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                s.Connect(destination.ToEndPoint());
            }
            catch (SocketException)
            {
                s.Dispose();
                return false;
            }
            if (destination.Protocol == TransportProtocol.Tls)
            {
                c = Register(s, destination.WithConnection(0), isTls: true);
                c.IsOutgoing = true;
                Span<byte> host = stackalloc byte[48];
                int n = destination.FormatHost(host, bracketsForIPv6: false);
                StartHandshake(c, TlsProvider!.AuthenticateAsClientAsync(new NetworkStream(s, ownsSocket: false), System.Text.Encoding.ASCII.GetString(host[..n]), CancellationToken.None));
            }
            else
            {
                s.Blocking = false;
                c = Register(s, destination.WithConnection(0));
            }
        }
        if (c.IsTls && c.Stream is null)
        {
            // Handshake still running: the message goes out when it completes.
            c.Queued.Add(message.ToArray());
            return true;
        }
        return Write(c, message);
    }

    private bool Write(StreamConnection c, ReadOnlySpan<byte> data)
    {
        if (c.IsTls)
        {
            try
            {
                c.Stream!.Write(data);
                c.LastActivity = _clock.NowMicros;
                return true;
            }
            catch (IOException)
            {
                Close(c);
                return false;
            }
        }
        try
        {
            int sent = 0;
            while (sent < data.Length)
            {
                int n = c.Socket.Send(data[sent..], SocketFlags.None, out SocketError err);
                if (err == SocketError.WouldBlock)
                {
                    // Back-pressure: wait for the socket to drain, bounded by the buffer we hold.
                    c.Socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectWrite);
                    continue;
                }
                if (err != SocketError.Success) throw new SocketException((int)err);
                sent += n;
            }
            c.LastActivity = _clock.NowMicros;
            return true;
        }
        catch (SocketException)
        {
            Close(c);
            return false;
        }
    }

    private void SweepIdle()
    {
        long limit = _options.ConnectionIdleTimeout.Ticks / 10;
        long now = _clock.NowMicros;
        _closing.Clear();
        foreach (StreamConnection c in _connections.Values)
        {
            // LastActivity moves only with data after the handshake, so for a handshaking connection it is its start.
            if (now - c.LastActivity > limit || (c.Handshake is not null && now - c.LastActivity > TlsHandshakeTimeoutMicros)) _closing.Add(c);
        }
        foreach (StreamConnection c in _closing)
        {
            bool handshaking = c.Handshake is not null;
            PeerAddress remote = c.Remote;
            Close(c);
            if (handshaking)
            {
                TlsHandshakeFailures++;
                TlsHandshakeFailed?.Invoke(remote, c.IsOutgoing, $"TLS handshake not finished within {TlsHandshakeTimeoutMicros / 1_000_000} s");
            }
        }
    }

    private void Close(StreamConnection c)
    {
        if (!_connections.Remove(c.Id)) return;
        _bySocket.Remove(c.Socket);
        c.Dispose();
    }

    private Socket? UdpFor(AddressFamily family)
    {
        foreach (Socket s in _udp)
        {
            if (s.AddressFamily == family) return s;
        }
        return null;
    }

    private static bool IsRequest(ReadOnlySpan<byte> message) => !message.StartsWith("SIP/"u8);

    private static void RewriteTopViaTransport(byte[] message)
    {
        Span<byte> m = message;
        int at = IndexOfIgnoreCase(m, "SIP/2.0/UDP"u8);
        if (at >= 0) "SIP/2.0/TCP"u8.CopyTo(m[at..]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _wakeReceiver.Dispose();
        _wakeSender.Dispose();
        foreach (Socket s in _udp) s.Dispose();
        foreach ((Socket s, _) in _listeners) s.Dispose();
        foreach (StreamConnection c in _connections.Values) c.Dispose();
        _connections.Clear();
        _bySocket.Clear();
    }
}
