// `sipwire proxy --users FILE` on loopback challenges its users' INVITE/MESSAGE with 407, forwards them once answered, logs each outcome.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Cli;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ProxyAuthCommandTests
{
    private static Socket Udp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static int Port(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    /// <summary>The next datagram whose CSeq is <paramref name="cseq"/> and that is not a 100 (retransmissions of earlier ones are skipped).</summary>
    private static string Receive(Socket s, string cseq)
    {
        var buffer = new byte[8192];
        while (true)
        {
            string text = Encoding.ASCII.GetString(buffer, 0, s.Receive(buffer));
            if (!text.StartsWith("SIP/2.0 100 ", StringComparison.Ordinal) && CallTestKit.Header(text, "CSeq") == cseq) return text;
        }
    }

    private static string Request(string method, string uri, Socket from, string user, int cseq, string extra = "", string? dialogMethod = null, string? to = null) =>
        $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port(from)};branch=z9hG4bKpa{dialogMethod ?? method}{cseq};rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: <sip:{user}@example.test>;tag=pa{user}\r\nTo: {to ?? "<" + uri + ">"}\r\nCall-ID: pa-{dialogMethod ?? method}@test\r\nCSeq: {cseq} {method}\r\n" +
        $"Contact: <sip:{user}@127.0.0.1:{Port(from)}>\r\n{extra}Content-Length: 0\r\n\r\n";

    [TestCase(false)]
    [TestCase(true)]
    public void UsersRequestsAreChallengedAndForwardedWithoutOurCredentials(bool stateless)
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "alice wonderland\nbob builder\n");
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] args = ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users, .. (stateless ? new[] { "--stateless" } : [])];
        Task<int> server = Task.Factory.StartNew(() => ServerCommand.Run("proxy", args, TextWriter.Synchronized(output), TextWriter.Null,
            b => ready.TrySetResult(b), stop.Token), TaskCreationOptions.LongRunning);
        try
        {
            Assert.That(Task.WhenAny(ready.Task, server).Result, Is.SameAs(ready.Task), "the proxy starts");
            IPEndPoint proxy = ready.Task.Result[0].ToEndPoint();
            using Socket alice = Udp();
            using Socket sink = Udp();
            string uri = $"sip:carol@127.0.0.1:{Port(sink)}";

            foreach (string method in new[] { "INVITE", "MESSAGE" })
            {
                alice.SendTo(Encoding.ASCII.GetBytes(Request(method, uri, alice, "alice", 1)), proxy);
                string challenge = Receive(alice, "1 " + method);
                Assert.That(challenge, Does.StartWith("SIP/2.0 407 Proxy Authentication Required\r\n"));
                string? value = CallTestKit.Header(challenge, "Proxy-Authenticate");
                Assert.That(value, Does.Contain("realm=\"example.test\"").And.Contain("algorithm=MD5"));
                Assert.That(DigestChallenge.TryParse(value!, out DigestChallenge? c, out string error), Is.True, error);
                // §17.1.1.3: the ACK of the 407 (same branch, the 407's To tag); the proxy keeps it.
                if (method == "INVITE") alice.SendTo(Encoding.ASCII.GetBytes(Request("ACK", uri, alice, "alice", 1, dialogMethod: "INVITE", to: CallTestKit.Header(challenge, "To"))), proxy);
                string credentials = new DigestClient().Authorize(c!, "alice", "wonderland", method, uri, []);
                alice.SendTo(Encoding.ASCII.GetBytes(Request(method, uri, alice, "alice", 2, $"Proxy-Authorization: {credentials}\r\n")), proxy);
                string forwarded = Receive(sink, "2 " + method);
                Assert.That(forwarded, Does.StartWith($"{method} {uri} SIP/2.0\r\n"));
                Assert.That(CallTestKit.Header(forwarded, "Proxy-Authorization"), Is.Null, "§22.3: consumed by the proxy");

                // bob's password with alice's From: 403.
                alice.SendTo(Encoding.ASCII.GetBytes(Request(method, uri, alice, "alice", 3)), proxy);
                Assert.That(DigestChallenge.TryParse(CallTestKit.Header(Receive(alice, "3 " + method), "Proxy-Authenticate")!, out c, out error), Is.True, error);
                credentials = new DigestClient().Authorize(c!, "bob", "builder", method, uri, []);
                alice.SendTo(Encoding.ASCII.GetBytes(Request(method, uri, alice, "alice", 4, $"Proxy-Authorization: {credentials}\r\n")), proxy);
                Assert.That(Receive(alice, "4 " + method), Does.StartWith("SIP/2.0 403 Forbidden - bob May Not Send As sip:alice@example.test\r\n"));
            }
            // Stateless: the ACK of the 407 was absorbed, not forwarded (the sink would have got "1 ACK").
            sink.ReceiveTimeout = 200;
            Assert.That(() => Receive(sink, "1 ACK"), Throws.InstanceOf<SocketException>());
            stop.Cancel();
            Assert.That(server.Wait(TimeSpan.FromSeconds(10)), Is.True);
            string log = output.ToString();
            Assert.That(log, Does.Contain("proxy authentication ON"));
            Assert.That(log, Does.Contain("INVITE " + uri).And.Contain("-> proxy-auth: authenticated alice (ok)"));
            Assert.That(log, Does.Contain("-> 407 proxy-auth: no credentials for realm example.test"));
            Assert.That(log, Does.Contain("-> 403 proxy-auth: user bob may not send as sip:alice@example.test"));
        }
        finally
        {
            stop.Cancel();
            server.Wait(TimeSpan.FromSeconds(10));
            File.Delete(users);
        }
    }

    [Test]
    public void TrustedSourcesAreNotChallenged()
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "alice wonderland\n");
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] args = ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users, "--trusted", "10.1.1.1, 127.0.0.1"];
        Task<int> server = Task.Factory.StartNew(() => ServerCommand.Run("proxy", args, TextWriter.Synchronized(output), TextWriter.Null,
            b => ready.TrySetResult(b), stop.Token), TaskCreationOptions.LongRunning);
        try
        {
            Assert.That(Task.WhenAny(ready.Task, server).Result, Is.SameAs(ready.Task), "the proxy starts");
            IPEndPoint proxy = ready.Task.Result[0].ToEndPoint();
            using Socket gateway = Udp();
            using Socket sink = Udp();
            string uri = $"sip:carol@127.0.0.1:{Port(sink)}";
            gateway.SendTo(Encoding.ASCII.GetBytes(Request("MESSAGE", uri, gateway, "alice", 1)), proxy);
            Assert.That(Receive(sink, "1 MESSAGE"), Does.StartWith($"MESSAGE {uri} SIP/2.0\r\n"), "forwarded without a challenge");
            stop.Cancel();
            Assert.That(server.Wait(TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(output.ToString(), Does.Contain("; trusted: 10.1.1.1, 127.0.0.1"));
        }
        finally
        {
            stop.Cancel();
            server.Wait(TimeSpan.FromSeconds(10));
            File.Delete(users);
        }
    }

    [TestCase("proxy", "--trusted", "10.0.0.300", true, "--trusted takes IP addresses separated by commas (got '10.0.0.300')")]
    [TestCase("proxy", "--trusted", "10.0.0.3", false, "--trusted applies to the proxy with --users")]
    [TestCase("registrar", "--trusted", "10.0.0.3", true, "--trusted applies to the proxy with --users")]
    public void BadTrustedUsageExitsTwo(string role, string flag, string value, bool withUsers, string message)
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "alice wonderland\n");
        try
        {
            var err = new StringWriter();
            string[] args = ["--listen", "udp:127.0.0.1:0", "--domain", "d", flag, value, .. (withUsers ? new[] { "--users", users } : [])];
            Assert.That(ServerCommand.Run(role, args, TextWriter.Null, err), Is.EqualTo(2));
            Assert.That(err.ToString(), Does.Contain(message));
        }
        finally
        {
            File.Delete(users);
        }
    }
}
