// `sipwire registrar|proxy|redirect` run in-process on loopback: banner, auth, forwarding, one log line per transaction, shutdown, usage errors.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;
using Sipwire.Transport;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ServerCommandTests
{
    private sealed class Running : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _task;
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public Running(string role, params string[] args)
        {
            var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stdout = TextWriter.Synchronized(_out);
            var stderr = TextWriter.Synchronized(_err);
            _task = Task.Factory.StartNew(() => ServerCommand.Run(role, args, stdout, stderr, b => ready.TrySetResult(b), _stop.Token), TaskCreationOptions.LongRunning);
            Task first = Task.WhenAny(ready.Task, _task).Result;
            if (first != ready.Task) throw new InvalidOperationException($"server exited {_task.Result}: {_err}");
            Bound = ready.Task.Result;
        }

        public IReadOnlyList<PeerAddress> Bound { get; }

        public IPEndPoint At => Bound[0].ToEndPoint();

        public string Out => _out.ToString();

        public int Stop()
        {
            _stop.Cancel();
            Assert.That(_task.Wait(TimeSpan.FromSeconds(10)), Is.True, "the server stops when asked");
            return _task.Result;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _task.Wait(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }

    private static string Exchange(Socket s, IPEndPoint to, string text)
    {
        s.SendTo(Encoding.ASCII.GetBytes(text), to);
        return Receive(s);
    }

    private static string Receive(Socket s)
    {
        var buffer = new byte[8192];
        s.ReceiveTimeout = 5000;
        int n = s.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static Socket Udp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static string Request(string method, string uri, Socket from, string branch, string extra = "") =>
        $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{((IPEndPoint)from.LocalEndPoint!).Port};branch=z9hG4bK{branch};rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=a{branch}\r\nTo: <{(method == "REGISTER" ? "sip:alice@example.test" : uri)}>\r\n" +
        $"Call-ID: {branch}@test\r\nCSeq: 1 {method}\r\n{extra}Content-Length: 0\r\n\r\n";

    [Test]
    public void ProxyWithUsersChallengesRegisterAnswersOptionsAndLogsEachTransaction()
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "# users\nalice wonderland\n\nbob builder # desk phone\n");
        try
        {
            using var server = new Running("proxy", "--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users);
            using Socket client = Udp();
            string challenge = Exchange(client, server.At, Request("REGISTER", "sip:example.test", client, "r1",
                $"Contact: <sip:alice@127.0.0.1:{((IPEndPoint)client.LocalEndPoint!).Port}>\r\n"));
            Assert.That(challenge, Does.StartWith("SIP/2.0 401 ").And.Contain("WWW-Authenticate: Digest realm=\"example.test\""));
            string options = Exchange(client, server.At, Request("OPTIONS", "sip:example.test", client, "o1"));
            Assert.That(options, Does.StartWith("SIP/2.0 200 OK\r\n"));
            Assert.That(server.Stop(), Is.Zero);
            string[] lines = server.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.StartWith("sipwire proxy: listening on UDP:127.0.0.1:"));
            Assert.That(server.Out, Does.Contain("digest authentication ON, realm \"example.test\", 2 users"));
            Assert.That(lines.Count(l => l.Contains("REGISTER sip:example.test", StringComparison.Ordinal) && l.Contains("401", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(lines.Count(l => l.Contains("OPTIONS sip:example.test", StringComparison.Ordinal) && l.Contains("200", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(lines[^1], Does.StartWith("sipwire proxy: stopped"));
        }
        finally
        {
            File.Delete(users);
        }
    }

    [Test]
    public void StatelessProxyWithoutUsersSaysAuthIsOffAndForwardsBothWays()
    {
        using var server = new Running("proxy", "--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--stateless");
        using Socket client = Udp();
        using Socket sink = Udp();
        int sinkPort = ((IPEndPoint)sink.LocalEndPoint!).Port;
        client.SendTo(Encoding.ASCII.GetBytes(Request("OPTIONS", $"sip:bob@127.0.0.1:{sinkPort}", client, "f1")), server.At);
        string forwarded = Receive(sink);
        Assert.That(forwarded, Does.StartWith($"OPTIONS sip:bob@127.0.0.1:{sinkPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{server.At.Port};branch=z9hG4bKsw"));
        Assert.That(forwarded, Does.Contain("Max-Forwards: 69\r\n"));
        // The sink answers by turning the request line into a status line (all Vias kept).
        string answer = "SIP/2.0 200 OK" + forwarded[forwarded.IndexOf("\r\n", StringComparison.Ordinal)..];
        sink.SendTo(Encoding.ASCII.GetBytes(answer), server.At);
        string back = Receive(client);
        Assert.That(back, Does.StartWith("SIP/2.0 200 OK\r\n").And.Contain("\r\nVia: SIP/2.0/UDP 127.0.0.1:" + ((IPEndPoint)client.LocalEndPoint!).Port + ";branch=z9hG4bKf1;"));
        Assert.That(back, Does.Not.Contain("branch=z9hG4bKsw"));
        Assert.That(server.Stop(), Is.Zero);
        Assert.That(server.Out, Does.Contain("authentication is OFF"));
        Assert.That(server.Out, Does.Contain("stateless"));
    }

    [Test]
    public void RedirectAndRegistrarRolesServe()
    {
        using var registrar = new Running("registrar", "--listen", "udp:127.0.0.1:0", "--domain", "example.test");
        using var redirect = new Running("redirect", "--listen", "udp:127.0.0.1:0", "--domain", "example.test");
        using Socket client = Udp();
        string reg = Exchange(client, registrar.At, Request("REGISTER", "sip:example.test", client, "g1", "Contact: <sip:alice@127.0.0.1:5999>\r\n"));
        Assert.That(reg, Does.StartWith("SIP/2.0 200 OK\r\n").And.Contain("Contact: <sip:alice@127.0.0.1:5999>"));
        string notFound = Exchange(client, redirect.At, Request("INVITE", "sip:alice@example.test", client, "i1"));
        if (notFound.StartsWith("SIP/2.0 100", StringComparison.Ordinal)) notFound = Receive(client);
        Assert.That(notFound, Does.StartWith("SIP/2.0 404"), "each server has its own in-memory store");
        Assert.That(registrar.Stop(), Is.Zero);
        Assert.That(redirect.Stop(), Is.Zero);
        Assert.That(registrar.Out, Does.Contain("REGISTER sip:example.test").And.Contain("200 OK"));
        Assert.That(redirect.Out, Does.Contain("INVITE sip:alice@example.test").And.Contain("-> 404"));
    }

    [TestCase("proxy", new string[0], "at least one --listen")]
    [TestCase("proxy", new[] { "--listen", "udp:127.0.0.1:0" }, "--domain is required")]
    [TestCase("proxy", new[] { "--listen", "sctp:127.0.0.1:5060", "--domain", "d" }, "expected udp:IP:PORT")]
    [TestCase("proxy", new[] { "--listen", "udp:localhost:5060", "--domain", "d" }, "is not IP:PORT")]
    [TestCase("registrar", new[] { "--listen", "udp:127.0.0.1:0", "--domain", "d", "--stateless" }, "proxy role only")]
    [TestCase("proxy", new[] { "--listen", "udp:127.0.0.1:0", "--domain", "d", "--location", "ldap://x" }, "--location is")]
    [TestCase("proxy", new[] { "--listen", "udp:127.0.0.1:0", "--domain", "d", "--bogus" }, "unknown option '--bogus'")]
    public void BadUsageExitsTwoWithAClearMessage(string role, string[] args, string message)
    {
        var err = new StringWriter();
        int code = ServerCommand.Run(role, args, TextWriter.Null, err);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain(message).And.Contain("usage: sipwire registrar|proxy|redirect"));
    }

    [Test]
    public void BadUsersFileExitsTwoNamingTheLine()
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "alice wonderland\nbob\n");
        try
        {
            var err = new StringWriter();
            int code = ServerCommand.Run("proxy", ["--listen", "udp:127.0.0.1:0", "--domain", "d", "--users", users], TextWriter.Null, err);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err.ToString(), Does.Contain(users + ":2: expected 'user password'"));
        }
        finally
        {
            File.Delete(users);
        }
    }
}
