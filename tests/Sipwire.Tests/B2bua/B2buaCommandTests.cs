// `sipwire b2bua` run in-process on loopback: registration, a call bridged between two raw UDP peers, rate limit, usage errors.
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
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;

namespace Sipwire.Tests.B2bua;

[TestFixture]
public sealed class B2buaCommandTests
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\n";

    private static (Task<int> Task, IPEndPoint At, StringWriter Out, CancellationTokenSource Stop) Start(params string[] args)
    {
        var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringWriter();
        TextWriter stdout = TextWriter.Synchronized(output);
        Task<int> task = Task.Factory.StartNew(() => ServerCommand.Run("b2bua", args, stdout, TextWriter.Null, b => ready.TrySetResult(b), stop.Token), TaskCreationOptions.LongRunning);
        if (Task.WhenAny(ready.Task, task).Result != ready.Task) throw new InvalidOperationException($"b2bua exited {task.Result}");
        return (task, ready.Task.Result[0].ToEndPoint(), output, stop);
    }

    private static Socket Udp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    /// <summary>The next message that is not a 100 Trying.</summary>
    private static string Receive(Socket s)
    {
        var buffer = new byte[8192];
        while (true)
        {
            int n = s.Receive(buffer);
            string text = Encoding.ASCII.GetString(buffer, 0, n);
            if (!text.StartsWith("SIP/2.0 100 ", StringComparison.Ordinal)) return text;
        }
    }

    private static string Port(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Request(string method, string uri, Socket from, string callId, string fromTag, string toTag, int cseq, string extra = "", string body = "") =>
        $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port(from)};branch=z9hG4bK{method}{cseq}{callId.GetHashCode():x};rport\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:alice@example.test>;tag={fromTag}\r\nTo: <sip:bob@example.test>{(toTag.Length > 0 ? ";tag=" + toTag : "")}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\n" +
        $"Contact: <sip:alice@127.0.0.1:{Port(from)}>\r\n" + extra + (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
        $"Content-Length: {body.Length}\r\n\r\n{body}";

    [Test]
    public void CallIsBridgedBetweenTwoLoopbackPeers()
    {
        (Task<int> task, IPEndPoint at, StringWriter output, CancellationTokenSource stop) = Start("--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--rate-limit", "50/s");
        using Socket alice = Udp();
        using Socket bob = Udp();
        try
        {
            // Authentication is off without --users: bob registers directly.
            string register = $"REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port(bob)};branch=z9hG4bKreg1;rport\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:bob@example.test>;tag=b1\r\nTo: <sip:bob@example.test>\r\nCall-ID: reg1@test\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:{Port(bob)}>\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n";
            bob.SendTo(Encoding.ASCII.GetBytes(register), at);
            Assert.That(Receive(bob), Does.StartWith("SIP/2.0 200"));

            alice.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", "sip:bob@example.test", alice, "call1@alice", "a1", "", 1, body: Sdp)), at);
            string invite = Receive(bob);
            Assert.That(invite, Does.StartWith($"INVITE sip:bob@127.0.0.1:{Port(bob)} SIP/2.0"));
            string head = invite[..invite.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            Assert.That(head, Does.Not.Contain("call1@alice").And.Not.Contain("tag=a1").And.Not.Contain(Port(alice)));
            Assert.That(invite, Does.EndWith(Sdp));

            string answer = CallTestKit.Response(invite, 200, "OK", "b2", $"Contact: <sip:bob@127.0.0.1:{Port(bob)}>\r\n", Sdp);
            bob.SendTo(Encoding.ASCII.GetBytes(answer), at);
            Assert.That(Receive(bob), Does.StartWith("ACK "));
            string ok = Receive(alice);
            Assert.That(ok, Does.StartWith("SIP/2.0 200 OK"));
            Assert.That(ok[..ok.IndexOf("\r\n\r\n", StringComparison.Ordinal)], Does.Not.Contain(Port(bob)).And.Not.Contain("tag=b2"));
            string ourTag = CallTestKit.ToTag(ok);
            string contact = CallTestKit.Header(ok, "Contact")!.Trim('<', '>');
            alice.SendTo(Encoding.ASCII.GetBytes(Request("ACK", contact, alice, "call1@alice", "a1", ourTag, 1)), at);
            alice.SendTo(Encoding.ASCII.GetBytes(Request("BYE", contact, alice, "call1@alice", "a1", ourTag, 2)), at);
            Assert.That(Receive(alice), Does.StartWith("SIP/2.0 200 OK"));
            string bye = Receive(bob);
            Assert.That(bye, Does.StartWith("BYE "));
            bob.SendTo(Encoding.ASCII.GetBytes(CallTestKit.Response(bye, 200, "OK", "b2")), at);
        }
        finally
        {
            stop.Cancel();
            Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True);
            stop.Dispose();
        }
        Assert.That(task.Result, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("rate limit 50/s").And.Contain("b2bua Established 200").And.Contain("b2bua Ended"));
    }

    [Test]
    public void RateLimitAnswers503RetryAfter()
    {
        (Task<int> task, IPEndPoint at, _, CancellationTokenSource stop) = Start("--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--rate-limit", "1/s", "--quiet");
        using Socket client = Udp();
        try
        {
            var got = new List<string>();
            for (int i = 0; i < 4; i++)
            {
                client.SendTo(Encoding.ASCII.GetBytes(Request("OPTIONS", "sip:example.test", client, $"o{i}@test", "o", "", 1)), at);
            }
            client.ReceiveTimeout = 1000;
            try
            {
                while (true) got.Add(Receive(client));
            }
            catch (SocketException)
            {
                // No more answers: the rest were dropped.
            }
            Assert.That(got.Count(t => t.StartsWith("SIP/2.0 200", StringComparison.Ordinal)), Is.EqualTo(2), "burst of 2 at 1/s");
            string limited = got.Single(t => t.StartsWith("SIP/2.0 503", StringComparison.Ordinal));
            Assert.That(CallTestKit.Header(limited, "Retry-After"), Is.EqualTo("5"));
        }
        finally
        {
            stop.Cancel();
            task.Wait(TimeSpan.FromSeconds(10));
            stop.Dispose();
        }
    }

    [Test]
    public void WithUsersTheDomainsCallersAreChallenged()
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "# b2bua users\nalice wonderland\nbob builder\n");
        (Task<int> task, IPEndPoint at, StringWriter output, CancellationTokenSource stop) = Start("--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users);
        using Socket alice = Udp();
        try
        {
            alice.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", "sip:bob@example.test", alice, "auth1@alice", "a1", "", 1, body: Sdp)), at);
            string challenge = Receive(alice);
            Assert.That(challenge, Does.StartWith("SIP/2.0 401 "));
            string header = CallTestKit.Header(challenge, "WWW-Authenticate")!;
            Assert.That(header, Does.Contain("realm=\"example.test\""));
            Assert.That(Sipwire.Auth.DigestChallenge.TryParse(header, out Sipwire.Auth.DigestChallenge? c, out _), Is.True);

            // alice's own credentials pass (bob is not registered, so the routing answers 404 - after authentication).
            string mine = new Sipwire.Auth.DigestClient().Authorize(c!, "alice", "wonderland", "INVITE", "sip:bob@example.test", default);
            alice.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", "sip:bob@example.test", alice, "auth2@alice", "a2", "", 1, "Authorization: " + mine + "\r\n", Sdp)), at);
            Assert.That(Receive(alice), Does.StartWith("SIP/2.0 404 "));
            // The same credentials again are a replay (RFC 7616 §3.4: one nonce count per request).
            alice.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", "sip:bob@example.test", alice, "auth3@alice", "a3", "", 1, "Authorization: " + mine + "\r\n", Sdp)), at);
            string replayed = Receive(alice);
            Assert.That(replayed, Does.StartWith("SIP/2.0 401 "));
            Assert.That(Sipwire.Auth.DigestChallenge.TryParse(CallTestKit.Header(replayed, "WWW-Authenticate")!, out Sipwire.Auth.DigestChallenge? fresh, out _), Is.True);
            // bob's valid credentials on alice's From: 403 (the rule the proxy applies too, Sipwire.Auth.SenderRule).
            string bobs = new Sipwire.Auth.DigestClient().Authorize(fresh!, "bob", "builder", "INVITE", "sip:bob@example.test", default);
            alice.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", "sip:bob@example.test", alice, "auth4@alice", "a4", "", 1, "Authorization: " + bobs + "\r\n", Sdp)), at);
            Assert.That(Receive(alice), Does.StartWith("SIP/2.0 403 "));
        }
        finally
        {
            stop.Cancel();
            Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True);
            stop.Dispose();
            File.Delete(users);
        }
        Assert.That(output.ToString(), Does.Contain("digest authentication ON"));
    }

    [TestCase("--tls-only")]
    [TestCase("--rate-limit", "0")]
    [TestCase("--rate-limit", "fast")]
    [TestCase("--stateless")]
    public void BadUsageExits2(params string[] extra)
    {
        var err = new StringWriter();
        int rc = ServerCommand.Run("b2bua", ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", .. extra], TextWriter.Null, err);
        Assert.That(rc, Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("usage: sipwire registrar|proxy|redirect|b2bua"));
    }
}
