// `sipwire presence` run in-process on loopback: watcher NOTIFYs after PUBLISH, ua-profile URL, digest challenge, usage errors, shutdown.
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
using Sipwire.Presence;
using Sipwire.Transport;

namespace Sipwire.Tests.PresenceAgent;

[TestFixture]
public sealed class PresenceCommandTests
{
    private sealed class Running : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _task;
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public Running(params string[] args)
        {
            var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
            TextWriter stdout = TextWriter.Synchronized(_out);
            TextWriter stderr = TextWriter.Synchronized(_err);
            _task = Task.Factory.StartNew(() => PresenceCommand.Run(args, stdout, stderr, (b, _) => ready.TrySetResult(b), _stop.Token), TaskCreationOptions.LongRunning);
            Task first = Task.WhenAny(ready.Task, _task).Result;
            if (first != ready.Task) throw new InvalidOperationException($"server exited {_task.Result}: {_err}");
            At = ready.Task.Result[0].ToEndPoint();
        }

        public IPEndPoint At { get; }

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

    private static Socket Udp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.ReceiveTimeout = 5000;
        return s;
    }

    /// <summary>Receives until <paramref name="done"/> holds for the messages so far; NOTIFYs are answered 200 at once.</summary>
    private static List<string> ReceiveUntil(Socket s, IPEndPoint server, Func<List<string>, bool> done)
    {
        var got = new List<string>();
        var buffer = new byte[16384];
        while (!done(got))
        {
            int n = s.Receive(buffer);
            string text = Encoding.UTF8.GetString(buffer, 0, n);
            got.Add(text);
            if (text.StartsWith("NOTIFY ", StringComparison.Ordinal)) s.SendTo(Encoding.UTF8.GetBytes(OkFor(text)), server);
        }
        return got;
    }

    private static string OkFor(string request)
    {
        // RFC 3261 §8.2.6.2: Via, From, To (with our tag), Call-ID, CSeq copied.
        var sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (string line in request.Split("\r\n"))
        {
            if (line.Length == 0) break;
            if (line.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("To:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(line).Append("\r\n");
            }
        }
        return sb.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    private static string Request(string method, string uri, string from, string callId, int cseq, Socket s, string headers, string contentType = "", string body = "")
    {
        var local = (IPEndPoint)s.LocalEndPoint!;
        return $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-{callId}-{cseq}\r\nMax-Forwards: 70\r\n" +
            $"From: <{from}>;tag=t-{callId}\r\nTo: <{uri}>\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:watcher@{local}>\r\n{headers}" + (contentType.Length > 0 ? $"Content-Type: {contentType}\r\n" : "") +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    private static bool HasNotifyContaining(List<string> got, string text) =>
        got.Any(m => m.StartsWith("NOTIFY ", StringComparison.Ordinal) && m.Contains(text, StringComparison.Ordinal));

    [Test]
    public void WatcherIsNotifiedOfAPublicationAndADeviceGetsItsProfileUrl()
    {
        string dir = Directory.CreateTempSubdirectory("sipwire-presence-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "profiles"), "# device profiles\ndevice http://127.0.0.1/acme.xml vendor=acme type=application/xml\n");
            File.WriteAllText(Path.Combine(dir, "watchers"), "alice bob\n");
            using var server = new Running("--listen", "udp:127.0.0.1:0", "--domain", "example.test",
                "--profiles", Path.Combine(dir, "profiles"), "--watchers", Path.Combine(dir, "watchers"));
            Assert.That(server.Out, Does.Contain("authentication is OFF"));
            Assert.That(server.Out, Does.Contain("1 ua-profile entries, 1 watcher authorizations"));
            using Socket bob = Udp();
            bob.SendTo(Encoding.UTF8.GetBytes(Request("SUBSCRIBE", "sip:alice@example.test", "sip:bob@example.test", "sub1", 1, bob,
                "Event: presence\r\nExpires: 600\r\nAccept: application/pidf+xml\r\n")), server.At);
            List<string> got = ReceiveUntil(bob, server.At, g => g.Any(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal)) && HasNotifyContaining(g, "<basic>closed</basic>"));
            Assert.That(got.First(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal)), Does.Contain("Expires: 600"));

            string pidf = Encoding.UTF8.GetString(new PidfDocument
            {
                Entity = "sip:alice@example.test",
                Tuples = [new PidfTuple { Id = "a1", Basic = PresenceBasic.Open, Notes = [new PidfNote("in the lab")] }],
            }.ToXml());
            using Socket alice = Udp();
            alice.SendTo(Encoding.UTF8.GetBytes(Request("PUBLISH", "sip:alice@example.test", "sip:alice@example.test", "pub1", 1, alice,
                "Event: presence\r\nExpires: 120\r\n", PidfDocument.ContentType, pidf)), server.At);
            string published = ReceiveUntil(alice, server.At, g => g.Count == 1)[0];
            Assert.That(published, Does.StartWith("SIP/2.0 200 OK"));
            Assert.That(published, Does.Contain("SIP-ETag: "));
            ReceiveUntil(bob, server.At, g => HasNotifyContaining(g, "in the lab"));

            using Socket ata = Udp();
            ata.SendTo(Encoding.UTF8.GetBytes(Request("SUBSCRIBE", "sip:001122334455@example.test", "sip:001122334455@example.test", "prov1", 1, ata,
                "Event: ua-profile;profile-type=device;vendor=\"acme\";model=\"ata-2\";version=\"1.0\"\r\nExpires: 3600\r\nAccept: message/external-body\r\n")), server.At);
            got = ReceiveUntil(ata, server.At, g => HasNotifyContaining(g, "message/external-body"));
            string notify = got.First(m => m.StartsWith("NOTIFY ", StringComparison.Ordinal));
            Assert.That(notify, Does.Contain("access-type=\"URL\";URL=\"http://127.0.0.1/acme.xml\""));
            Assert.That(notify, Does.Contain("Content-Type: application/xml\r\nContent-ID: <"));

            Assert.That(server.Stop(), Is.Zero);
            Assert.That(server.Out, Does.Contain("PUBLISH sip:alice@example.test call-id=pub1"));
            Assert.That(server.Out, Does.Contain("-> 200 OK etag="));
            Assert.That(server.Out, Does.Contain("SUBSCRIBE sip:alice@example.test call-id=sub1"));
            Assert.That(server.Out, Does.Contain("sipwire presence: stopped"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void WithUsersAPublishIsChallenged()
    {
        string users = Path.GetTempFileName();
        try
        {
            File.WriteAllText(users, "alice wonderland\n");
            using var server = new Running("--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users, "--reject-unknown-watchers");
            Assert.That(server.Out, Does.Contain("digest authentication ON, realm \"example.test\", 1 users"));
            Assert.That(server.Out, Does.Contain("unknown watchers rejected (403)"));
            using Socket alice = Udp();
            alice.SendTo(Encoding.UTF8.GetBytes(Request("PUBLISH", "sip:alice@example.test", "sip:alice@example.test", "pub2", 1, alice,
                "Event: presence\r\n", PidfDocument.ContentType, "<x/>")), server.At);
            string r = ReceiveUntil(alice, server.At, g => g.Count == 1)[0];
            Assert.That(r, Does.StartWith("SIP/2.0 401 "));
            Assert.That(r, Does.Contain("WWW-Authenticate: Digest realm=\"example.test\""));
            Assert.That(server.Stop(), Is.Zero);
        }
        finally
        {
            File.Delete(users);
        }
    }

    [TestCase("device", "", "--profiles FILE")]
    [TestCase("phone http://x/y", "", "profile-type 'phone'")]
    [TestCase("device http://x/y colour=red", "", "unknown field 'colour=red'")]
    [TestCase("", "alice", "expected 'PRESENTITY WATCHER")]
    public void BadFilesAreUsageErrors(string profiles, string watchers, string message)
    {
        string p = Path.GetTempFileName(), w = Path.GetTempFileName();
        try
        {
            File.WriteAllText(p, profiles + "\n");
            File.WriteAllText(w, watchers + "\n");
            var err = new StringWriter();
            string[] args = profiles == "device"
                ? ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--profiles"]
                : ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--profiles", p, "--watchers", w];
            Assert.That(PresenceCommand.Run(args, TextWriter.Null, err), Is.EqualTo(2));
            Assert.That(err.ToString(), Does.Contain(message == "--profiles FILE" ? "--profiles needs a file" : message));
        }
        finally
        {
            File.Delete(p);
            File.Delete(w);
        }
    }

    [Test]
    public void OtherServerFlagsAreRefused()
    {
        var err = new StringWriter();
        Assert.That(PresenceCommand.Run(["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--stateless"], TextWriter.Null, err), Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("proxy role only"));
        Assert.That(PresenceCommand.Run(["--listen", "udp:127.0.0.1:0"], TextWriter.Null, err), Is.EqualTo(2));
    }
}
