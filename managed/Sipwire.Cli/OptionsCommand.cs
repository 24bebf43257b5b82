// `sipwire options sip:HOST:PORT[;transport=tcp|tls]`: sends OPTIONS, prints the status line and the round-trip time.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Tls;
using Sipwire.Transport;

namespace Sipwire.Cli;

/// <summary>
/// Sends one OPTIONS (RFC 3261 §11) through a client transaction and waits for its final response.
/// Exit code: 0 on a final response (any status), 1 on Timer F (timeout) or a transport error, 2 usage.
/// </summary>
internal static class OptionsCommand
{
    private const string Usage = "usage: sipwire options [--t1 MS] sip:HOST[:PORT][;transport=udp|tcp]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        int t1 = 500;
        string? target = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--t1" && i + 1 < args.Length && int.TryParse(args[i + 1], out t1) && t1 > 0) i++;
            else if (target is null && !args[i].StartsWith("--", StringComparison.Ordinal)) target = args[i];
            else
            {
                stderr.WriteLine(Usage);
                return 2;
            }
        }
        PeerAddress destination = default;
        string? why = null;
        if (target is null || !TryResolve(target, out destination, out why))
        {
            if (target is not null) stderr.WriteLine($"sipwire options: {why}");
            stderr.WriteLine(Usage);
            return 2;
        }
        var options = new EndpointOptions { T1 = TimeSpan.FromMilliseconds(t1), T2 = TimeSpan.FromMilliseconds(Math.Max(4000, t1)) };
        using var endpoint = new Endpoint(options);
        IPAddress any = destination.IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        if (destination.Protocol == TransportProtocol.Tls)
        {
            // The host tool may carry SslStream; certificate and host-name checks stay on.
            endpoint.Transport.TlsProvider = new SslStreamTlsProvider();
        }
        PeerAddress local = destination.Protocol switch
        {
            TransportProtocol.Udp => endpoint.Transport.AddUdp(new IPEndPoint(any, 0)),
            TransportProtocol.Tcp => endpoint.Transport.AddTcp(new IPEndPoint(any, 0)),
            _ => endpoint.Transport.AddTls(new IPEndPoint(any, 0)),
        };
        var user = new Waiter();
        endpoint.User = user;
        byte[] request = BuildRequest(target, destination, local);
        long start = endpoint.Clock.NowMicros;
        if (endpoint.Transactions.SendRequest(request, destination) is null)
        {
            stderr.WriteLine("sipwire options: transaction table full");
            return 1;
        }
        while (!user.Done) endpoint.Poll(TimeSpan.FromMilliseconds(100));
        if (user.Status is null)
        {
            stderr.WriteLine($"sipwire options: no final response ({user.Failure}) from {destination}");
            return 1;
        }
        double rttMs = (user.At - start) / 1000.0;
        stdout.WriteLine(user.Status);
        stdout.WriteLine(FormattableString.Invariant($"rtt: {rttMs:F3} ms"));
        return 0;
    }

    private static bool TryResolve(string target, out PeerAddress destination, out string? why)
    {
        why = null;
        if (SipUriTarget.TryResolveLiteral(target, out destination)) return true;
        // A host name: RFC 3263 A/AAAA lookup through the system resolver (no NAPTR/SRV here).
        if (!target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) && !target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            why = $"'{target}' is not a sip: or sips: URI";
            return false;
        }
        string rest = target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..];
        rest = rest[(rest.IndexOf('@', StringComparison.Ordinal) + 1)..];
        string hostPort = rest.Split(';')[0];
        string host = hostPort.Split(':')[0];
        try
        {
            foreach (IPAddress a in System.Net.Dns.GetHostAddresses(host))
            {
                string literal = a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString();
                string uri = target.Replace(host, literal, StringComparison.Ordinal);
                if (SipUriTarget.TryResolveLiteral(uri, out destination)) return true;
            }
        }
        catch (SocketException e)
        {
            why = $"cannot resolve '{host}': {e.Message}";
            return false;
        }
        why = $"'{target}' has no usable host, port or transport";
        return false;
    }

    private static byte[] BuildRequest(string target, PeerAddress destination, PeerAddress local)
    {
        string transport = destination.Protocol == TransportProtocol.Udp ? "UDP" : "TCP";
        // The Via sent-by: our socket's port; the host is filled by the peer's received/rport (RFC 3581).
        string sentBy = destination.IsIPv6 ? $"[::1]:{local.Port}" : $"127.0.0.1:{local.Port}";
        string uri = target.Split('?')[0];
        var text = new StringBuilder()
            .Append("OPTIONS ").Append(uri).Append(" SIP/2.0\r\n")
            .Append("Via: SIP/2.0/").Append(transport).Append(' ').Append(sentBy).Append(";branch=").Append(BranchId.NewString()).Append(";rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:sipwire@invalid>;tag=").Append(BranchId.NewString().AsSpan(7, 8)).Append("\r\n")
            .Append("To: <").Append(uri).Append(">\r\n")
            .Append("Call-ID: ").Append(BranchId.NewString().AsSpan(7)).Append("@sipwire\r\n")
            .Append("CSeq: 1 OPTIONS\r\n")
            .Append("Accept: application/sdp\r\n")
            .Append("User-Agent: sipwire-cli\r\n")
            .Append("Content-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private sealed class Waiter : ITransactionUser
    {
        public bool Done { get; private set; }

        public string? Status { get; private set; }

        public long At { get; private set; }

        public TransactionError Failure { get; private set; }

        public void OnResponse(Transaction transaction, SipMessage response)
        {
            if (response.StatusCode < 200 || Done) return;
            Status = $"SIP/2.0 {response.StatusCode} {SipMessage.ToText(response.ReasonPhrase)}";
            At = Sipwire.Timing.SystemClock.Instance.NowMicros;
            Done = true;
        }

        public void OnError(Transaction transaction, TransactionError failure)
        {
            Failure = failure;
            Done = true;
        }

        public void OnRequest(Transaction transaction, SipMessage request)
        {
        }

        public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
        {
        }

        public void OnCancel(Transaction invite, SipMessage cancel)
        {
        }

        public void OnStrayResponse(SipMessage response, in PeerAddress source)
        {
        }

        public void OnTerminated(Transaction transaction)
        {
        }
    }
}
