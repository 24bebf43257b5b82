// Real sockets on loopback: UDP/TCP over IPv4 and IPv6, TCP framing, reuse, size rule, keep-alive, limits, Poll/Post.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Transport;

[TestFixture]
[NonParallelizable]
public sealed class SocketTransportTests
{
    private static byte[] Options(PeerAddress from, string transport, string branch, int padding = 0) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:b@test SIP/2.0\r\n" +
        $"Via: SIP/2.0/{transport} {Host(from)};branch={branch};rport\r\n" +
        "Max-Forwards: 70\r\nFrom: <sip:a@test>;tag=1\r\nTo: <sip:b@test>\r\n" +
        $"Call-ID: {branch}@test\r\nCSeq: 1 OPTIONS\r\n" +
        (padding > 0 ? $"X-Pad: {new string('p', padding)}\r\n" : "") +
        "Content-Length: 0\r\n\r\n");

    private static string Host(PeerAddress a)
    {
        Span<byte> b = stackalloc byte[64];
        int n = a.FormatHost(b);
        return $"{Encoding.ASCII.GetString(b[..n])}:{a.Port}";
    }

    private static void PollUntil(Func<bool> done, params Endpoint[] endpoints)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            foreach (Endpoint e in endpoints) e.Poll(TimeSpan.FromMilliseconds(5));
        }
        Assert.That(done(), Is.True, "timed out waiting on loopback");
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void OptionsOverUdp(string loopback)
    {
        using var a = new Endpoint(new EndpointOptions());
        using var b = new Endpoint(new EndpointOptions());
        var user = new RecordingUser();
        a.User = user;
        PeerAddress aAddr = a.Transport.AddUdp(new IPEndPoint(IPAddress.Parse(loopback), 0));
        PeerAddress bAddr = b.Transport.AddUdp(new IPEndPoint(IPAddress.Parse(loopback), 0));
        a.Transactions.SendRequest(Options(aAddr, "UDP", "z9hG4bK-u1"), bAddr);
        PollUntil(() => user.Responses.Count > 0, a, b);
        Assert.That(user.Responses, Is.EqualTo(new[] { 200 }));
    }

    [Test]
    public void OptionsOverTcp_ReusesTheConnection()
    {
        using var a = new Endpoint(new EndpointOptions());
        using var b = new Endpoint(new EndpointOptions());
        var user = new RecordingUser();
        a.User = user;
        PeerAddress aAddr = a.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        PeerAddress bAddr = b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        a.Transactions.SendRequest(Options(aAddr, "TCP", "z9hG4bK-t1"), bAddr);
        PollUntil(() => user.Responses.Count == 1, a, b);
        a.Transactions.SendRequest(Options(aAddr, "TCP", "z9hG4bK-t2"), bAddr);
        PollUntil(() => user.Responses.Count == 2, a, b);
        Assert.That(a.Transport.ConnectionCount, Is.EqualTo(1), "the second request reused the connection");
        Assert.That(b.Transport.ConnectionCount, Is.EqualTo(1), "responses went back on the request's connection (§18.2.2)");
    }

    [Test]
    public void TcpFraming_BackToBackSplitAndKeepAlive()
    {
        using var b = new Endpoint(new EndpointOptions());
        PeerAddress bAddr = b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Connect(bAddr.ToEndPoint());
        PeerAddress me = PeerAddress.FromEndPoint(TransportProtocol.Tcp, (IPEndPoint)raw.LocalEndPoint!);
        byte[] one = Options(me, "TCP", "z9hG4bK-f1");
        byte[] two = Options(me, "TCP", "z9hG4bK-f2");
        byte[] three = Options(me, "TCP", "z9hG4bK-f3");
        var both = new byte[one.Length + two.Length];
        one.CopyTo(both, 0);
        two.CopyTo(both, one.Length);
        raw.Send(both);                                     // two messages in one segment
        b.Poll(TimeSpan.FromMilliseconds(50));
        raw.Send(three.AsSpan(0, 10));                      // one message split in three
        b.Poll(TimeSpan.FromMilliseconds(20));
        raw.Send(three.AsSpan(10, 50));
        b.Poll(TimeSpan.FromMilliseconds(20));
        raw.Send(three.AsSpan(60));
        raw.Send("\r\n\r\n"u8);                             // RFC 5626 ping
        string received = "";
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5) && !(CountOf(received, "SIP/2.0 200 OK") == 3 && received.EndsWith("\r\n\r\n\r\n", StringComparison.Ordinal)))
        {
            b.Poll(TimeSpan.FromMilliseconds(5));
            if (raw.Available > 0)
            {
                byte[] buf = new byte[raw.Available];
                int n = raw.Receive(buf);
                received += Encoding.ASCII.GetString(buf, 0, n);
            }
        }
        Assert.That(CountOf(received, "SIP/2.0 200 OK"), Is.EqualTo(3));
        Assert.That(received, Does.Contain("branch=z9hG4bK-f1").And.Contain("branch=z9hG4bK-f2").And.Contain("branch=z9hG4bK-f3"));
        Assert.That(received, Does.EndWith("Content-Length: 0\r\n\r\n\r\n"), "the pong (CRLF) follows the last response");
        Assert.That(b.Transport.ParseErrors, Is.Zero);
    }

    [Test]
    public void KeepAlivePingGetsPong()
    {
        using var a = new Endpoint(new EndpointOptions());
        using var b = new Endpoint(new EndpointOptions());
        a.User = new RecordingUser();
        PeerAddress aAddr = a.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        PeerAddress bAddr = b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        a.Transactions.SendRequest(Options(aAddr, "TCP", "z9hG4bK-k1"), bAddr);
        PollUntil(() => ((RecordingUser)a.User).Responses.Count == 1, a, b);
        Assert.That(a.Transport.SendKeepAlive(bAddr), Is.True);
        PollUntil(() => a.Transport.PongsReceived == 1, a, b);
    }

    [Test]
    public void LargeUdpRequestMovesToTcp()
    {
        using var a = new Endpoint(new EndpointOptions());
        using var b = new Endpoint(new EndpointOptions());
        var ua = new RecordingUser();
        var ub = new RecordingUser();
        a.User = ua;
        b.User = ub;
        string viaSeen = "";
        ub.OnRequestHook = (tx, req) =>
        {
            viaSeen = SipMessage.ToText(req.TopVia.Transport);
            b.Transactions.Respond(tx, 200, "OK"u8, "t"u8);
        };
        PeerAddress aAddr = a.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        PeerAddress bAddr = b.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, bAddr.Port));
        byte[] big = Options(aAddr, "UDP", "z9hG4bK-big", padding: 1400);
        Assert.That(big, Has.Length.GreaterThan(1300));
        a.Transactions.SendRequest(big, bAddr);
        PollUntil(() => ua.Responses.Count == 1, a, b);
        Assert.That(viaSeen, Is.EqualTo("TCP"), "§18.1.1: above 1300 bytes the request goes over TCP with its Via changed");
        Assert.That(b.Transport.ConnectionCount, Is.EqualTo(1));
    }

    [Test]
    public void ConnectionLimitAndIdleTimeout()
    {
        using var b = new Endpoint(new EndpointOptions { MaxConnections = 1, ConnectionIdleTimeout = TimeSpan.FromMilliseconds(300) });
        PeerAddress bAddr = b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Connect(bAddr.ToEndPoint());
        b.Poll(TimeSpan.FromMilliseconds(50));
        second.Connect(bAddr.ToEndPoint());
        b.Poll(TimeSpan.FromMilliseconds(50));
        Assert.That(b.Transport.ConnectionCount, Is.EqualTo(1));
        second.ReceiveTimeout = 2000;
        Assert.That(second.Receive(new byte[16]), Is.Zero, "the connection over the limit is closed");
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(2)) b.Poll(TimeSpan.FromMilliseconds(20));
        Assert.That(b.Transport.ConnectionCount, Is.Zero, "the idle connection was closed");
    }

    [Test]
    public void ConnectionBufferCapClosesAStreamThatNeverFrames()
    {
        using var b = new Endpoint(new EndpointOptions { MaxConnectionBuffer = 2048 });
        PeerAddress bAddr = b.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Connect(bAddr.ToEndPoint());
        byte[] head = Encoding.ASCII.GetBytes("OPTIONS sip:b@test SIP/2.0\r\nX-Long: " + new string('x', 1000) + "\r\nX-More: " + new string('y', 1500) + "\r\n");
        raw.Send(head);
        var sw = Stopwatch.StartNew();
        while (b.Transport.ConnectionCount > 0 || sw.Elapsed < TimeSpan.FromMilliseconds(100))
        {
            b.Poll(TimeSpan.FromMilliseconds(10));
            if (sw.Elapsed > TimeSpan.FromSeconds(3)) break;
        }
        Assert.That(b.Transport.ConnectionCount, Is.Zero);
    }

    [Test]
    public void PostFromAnotherThreadWakesPoll()
    {
        using var e = new Endpoint(new EndpointOptions());
        e.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        int ranOn = -1;
        var t = new Thread(() =>
        {
            Thread.Sleep(100);
            e.Post(() => ranOn = Environment.CurrentManagedThreadId);
        });
        t.Start();
        var sw = Stopwatch.StartNew();
        while (ranOn < 0 && sw.Elapsed < TimeSpan.FromSeconds(5)) e.Poll(TimeSpan.FromSeconds(10));
        t.Join();
        Assert.That(ranOn, Is.EqualTo(Environment.CurrentManagedThreadId), "posted work runs on the polling thread");
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the 10 s wait was cut short");
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

}
