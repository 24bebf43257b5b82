// `sipwire proxy|registrar --listen tls:` with PEM files and `sipwire ua` over TLS, in-process on 127.0.0.1: calls, TLS-only refusals, wrong CA, bad PEM.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
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

namespace Sipwire.Interop.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class ServerTlsTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private TestPki _pki = null!;
    private string _users = null!;

    [OneTimeSetUp]
    public void MakePki()
    {
        _pki = new TestPki();
        _users = _pki.Write("users", "# user password\nalice wonderland\nbob builder\n");
    }

    [OneTimeTearDown]
    public void RemovePki() => _pki.Dispose();

    /// <summary>A server role run in-process on a worker thread until disposed.</summary>
    private sealed class Server : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _task;
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();
        private readonly TextWriter _stdout;

        public Server(string role, params string[] args)
        {
            var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _stdout = TextWriter.Synchronized(_out);
            TextWriter stderr = TextWriter.Synchronized(_err);
            _task = Task.Factory.StartNew(() => ServerCommand.Run(role, args, _stdout, stderr, b => ready.TrySetResult(b), _stop.Token), TaskCreationOptions.LongRunning);
            if (Task.WhenAny(ready.Task, _task).Result != ready.Task) throw new InvalidOperationException($"server exited {_task.Result}: {_err}");
            Bound = ready.Task.Result;
        }

        public IReadOnlyList<PeerAddress> Bound { get; }

        public PeerAddress Of(TransportProtocol protocol) => Bound.First(b => b.Protocol == protocol);

        /// <summary>The proxy's TLS address as an outbound-proxy URI.</summary>
        public string TlsUri => $"sip:127.0.0.1:{Of(TransportProtocol.Tls).Port};transport=tls";

        public string Out
        {
            get
            {
                lock (_stdout) return _out.ToString();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            Assert.That(_task.Wait(TimeSpan.FromSeconds(10)), Is.True, "the server stops when asked");
            _stop.Dispose();
        }
    }

    private static (int Code, string Stdout, string Stderr) RunServerExpectingExit(string role, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int code = ServerCommand.Run(role, args, stdout, stderr, _ => stop.Cancel(), stop.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Sends the SIGINT stand-in once the UA printed its registration (a TLS handshake on a loaded runner can take a second).</summary>
    private static void StopWhenRegistered(CancellationTokenSource stop, string output)
    {
        if (output.Contains("register Registered 200 OK", StringComparison.Ordinal)) stop.Cancel();
    }

    private string[] TlsOnlyProxy() =>
    [
        "--listen", "tls:127.0.0.1:0", "--listen", "udp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0",
        "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--tls-ca", _pki.CaFile,
        "--tls-only", "--users", _users, "--domain", "example.test",
    ];

    private string[] UaOverTls(string outboundProxy, string user, string password, params string[] rest) =>
    [
        "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.UaCertFile, "--tls-key", _pki.UaKeyFile, "--tls-ca", _pki.CaFile,
        "--aor", $"sip:{user}@example.test", "--user", user, "--password", password, "--outbound-proxy", outboundProxy, .. rest,
    ];

    /// <summary>Bob registers over TLS and answers; alice registers and calls him for half a second; bob is then stopped.</summary>
    private (UaRun Alice, string Bob, int BobExit) Call(Server server, string[]? aliceArgs = null, string[]? bobArgs = null)
    {
        // Bob: registered and answering, until told to stop (SIGINT stand-in).
        var bobOut = new StringWriter();
        TextWriter bobStdout = TextWriter.Synchronized(bobOut);
        string BobText()
        {
            lock (bobStdout) return bobOut.ToString();
        }
        using var stopBob = new CancellationTokenSource();
        var bobErr = new StringWriter();
        bobArgs ??= UaOverTls(server.TlsUri, "bob", "builder", "--register", "--auto-answer");
        Task<int> bob = Task.Factory.StartNew(() => UaCommand.Run(bobArgs, bobStdout, TextWriter.Synchronized(bobErr), stopBob.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var sw = Stopwatch.StartNew();
        while (!BobText().Contains("register Registered 200 OK", StringComparison.Ordinal) && !bob.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(20);
        Assert.That(BobText(), Does.Contain("register Registered 200 OK"), $"bob registers over TLS\n{BobText()}{bobErr}\n--- server\n{server.Out}");

        UaRun alice = UaRun.Start(aliceArgs ?? UaOverTls(server.TlsUri, "alice", "wonderland", "--register", "--call", "sip:bob@example.test", "--duration", "0.5"), s_limit);
        sw.Restart();
        while (!BobText().Contains("BYE from the peer", StringComparison.Ordinal) && sw.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(20);
        stopBob.Cancel();
        Assert.That(bob.Wait(TimeSpan.FromSeconds(15)), Is.True, "bob stops on the signal");
        return (alice, BobText(), bob.Result);
    }

    private static void WaitFor(Func<bool> done, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < limit) Thread.Sleep(20);
    }

    [Test]
    public void TwoUasRegisterWithDigestAndCallEachOtherThroughATlsOnlyProxy()
    {
        using var proxy = new Server("proxy", TlsOnlyProxy());
        (UaRun alice, string bob, int bobExit) = Call(proxy);
        Assert.Multiple(() =>
        {
            Assert.That(alice.ExitCode, Is.EqualTo(0), alice.ToString() + "\n--- bob\n" + bob + "\n--- proxy\n" + proxy.Out);
            Assert.That(alice.Stdout, Does.Contain("register Registered 200 OK"));
            Assert.That(alice.Stdout, Does.Contain("Established 200"));
            Assert.That(alice.Stdout, Does.Contain("ua contact sip:alice@127.0.0.1:").And.Contain(";transport=tls"));
            Assert.That(alice.Stdout, Does.Contain("tls server certificates validated against " + _pki.CaFile));
            Assert.That(bobExit, Is.EqualTo(0), bob);
            Assert.That(bob, Does.Contain("Incoming"));
            // The BYE followed the proxy's Record-Route: it reached bob only because the route said transport=tls
            // (the proxy serves TLS only, RFC 3261 §16.6 step 4 / §19.1.1).
            Assert.That(bob, Does.Contain("Ended 0 BYE from the peer (remote)"));
            Assert.That(proxy.Out, Does.Contain("listening on TLS:127.0.0.1:"));
            Assert.That(proxy.Out, Does.Contain("TLS certificate CN=sipwire-test-proxy (issuer CN=Sipwire Test Intermediate, valid until "));
            Assert.That(proxy.Out, Does.Contain("1 intermediates); TLS peers we connect to are validated against " + _pki.CaFile + "; TLS only: UDP requests dropped, TCP requests refused with 403"));
            Assert.That(proxy.Out, Does.Contain("INVITE"));
        });
    }

    [Test]
    public void ProxyWithUdpAndTlsListenersConnectsATlsUaToAUdpUa()
    {
        using var proxy = new Server("proxy",
            "--listen", "udp:127.0.0.1:0", "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile,
            "--tls-ca", _pki.CaFile, "--users", _users, "--domain", "example.test");
        // Bob has no TLS at all, alice only TLS; the proxy's main listener is UDP. Alice's BYE reaches the proxy only
        // because the double Record-Route (RFC 5658) gave her a TLS route (a single one would name the UDP listener).
        string[] bobUdp =
        [
            "--listen", "udp:127.0.0.1:0", "--aor", "sip:bob@example.test", "--user", "bob", "--password", "builder",
            "--outbound-proxy", $"sip:127.0.0.1:{proxy.Of(TransportProtocol.Udp).Port}", "--register", "--auto-answer",
        ];
        (UaRun run, string bob, int bobExit) = Call(proxy, null, bobUdp);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString() + "\n--- bob\n" + bob + "\n--- proxy\n" + proxy.Out);
            Assert.That(run.Stdout, Does.Contain("Established 200"));
            Assert.That(bobExit, Is.EqualTo(0), bob);
            Assert.That(bob, Does.Contain("Ended 0 BYE from the peer (remote)"), "alice's BYE went over TLS to the proxy, then over UDP to bob");
        });
    }

    [Test]
    public void B2buaBridgesTwoUasOverTls()
    {
        using var b2bua = new Server("b2bua",
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--tls-ca", _pki.CaFile,
            "--tls-only", "--users", _users, "--domain", "example.test");
        (UaRun alice, string bob, int bobExit) = Call(b2bua);
        Assert.Multiple(() =>
        {
            Assert.That(alice.ExitCode, Is.EqualTo(0), alice.ToString() + "\n--- bob\n" + bob + "\n--- b2bua\n" + b2bua.Out);
            Assert.That(alice.Stdout, Does.Contain("Established 200"));
            Assert.That(bobExit, Is.EqualTo(0), bob);
            // Both legs end at the B2BUA's TLS Contact (transport=tls): the BYE crossed it over TLS.
            Assert.That(bob, Does.Contain("Ended 0 BYE from the peer (remote)"));
        });
    }

    [Test]
    public void TlsOnlyProxyDropsUdpAndRefusesTcpWith403()
    {
        using var proxy = new Server("proxy", TlsOnlyProxy());
        string Register(string transport, int port, string branch) =>
            $"REGISTER sip:example.test SIP/2.0\r\nVia: SIP/2.0/{transport} 127.0.0.1:{port};branch=z9hG4bK{branch};rport\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@example.test>;tag=1\r\nTo: <sip:alice@example.test>\r\nCall-ID: {branch}@test\r\nCSeq: 1 REGISTER\r\n" +
            $"Contact: <sip:alice@127.0.0.1:{port}>\r\nContent-Length: 0\r\n\r\n";

        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        udp.ReceiveTimeout = 1000;
        udp.SendTo(Encoding.ASCII.GetBytes(Register("UDP", ((IPEndPoint)udp.LocalEndPoint!).Port, "udp1")), proxy.Of(TransportProtocol.Udp).ToEndPoint());
        var buffer = new byte[8192];
        SocketException? silence = Assert.Throws<SocketException>(() => udp.Receive(buffer), "TLS-only: a UDP request is dropped without an answer");
        Assert.That(silence!.SocketErrorCode, Is.EqualTo(SocketError.TimedOut));

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Connect(proxy.Of(TransportProtocol.Tcp).ToEndPoint());
        tcp.ReceiveTimeout = 5000;
        tcp.Send(Encoding.ASCII.GetBytes(Register("TCP", ((IPEndPoint)tcp.LocalEndPoint!).Port, "tcp1")));
        int n = tcp.Receive(buffer);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Does.StartWith("SIP/2.0 403 "), "TLS-only: a TCP request is refused with 403");

        // Plain SIP to the TLS port: the handshake fails, the connection is closed and the server says so in its log.
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        plain.Connect(proxy.Of(TransportProtocol.Tls).ToEndPoint());
        plain.ReceiveTimeout = 5000;
        plain.Send(Encoding.ASCII.GetBytes(Register("TLS", ((IPEndPoint)plain.LocalEndPoint!).Port, "plain1")));
        int closed;
        try
        {
            closed = plain.Receive(buffer);
        }
        catch (SocketException)
        {
            closed = 0; // reset instead of FIN: closed all the same
        }
        Assert.That(closed == 0 || buffer[0] == 0x15, Is.True, "closed, or a TLS alert record (content type 21) - never a SIP answer");
        WaitFor(() => proxy.Out.Contains("TLS handshake from TLS:127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.That(proxy.Out, Does.Contain("TLS handshake from TLS:127.0.0.1:").And.Contain("failed: "));
    }

    [Test]
    public void UaTrustingAnotherCaFailsAtOnceWithATlsErrorAnd503()
    {
        using var proxy = new Server("proxy", TlsOnlyProxy());
        string[] args = UaOverTls(proxy.TlsUri, "alice", "wonderland", "--register");
        args[Array.IndexOf(args, "--tls-ca") + 1] = _pki.OtherCaFile;
        UaRun r = UaRun.Start(args, s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Match(@"tls connection to TLS:127\.0\.0\.1:\d+ refused: certificate of 127\.0\.0\.1 refused: CN=sipwire-test-proxy \(issuer CN=Sipwire Test Intermediate\) does not chain to the configured trust anchors"), r.ToString());
            // RFC 3261 §17.1.4 / §8.1.3.1: the refused handshake is a transport error, seen as 503 - not a 32 s Timer F.
            Assert.That(r.Stdout, Does.Contain("register Failed 503"), r.ToString());
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(proxy.Out, Does.Not.Contain("REGISTER"), "nothing reached the proxy");
        });
    }

    [Test]
    public void RegistrarServesTls()
    {
        using var registrar = new Server("registrar",
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--users", _users, "--domain", "example.test");
        UaRun r = UaRun.Start(UaOverTls(registrar.TlsUri, "bob", "builder", "--register"), s_limit, StopWhenRegistered);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + "\n--- registrar\n" + registrar.Out);
            Assert.That(r.Stdout, Does.Contain("register Registered 200 OK"));
            Assert.That(r.Stdout, Does.Contain("register Unregistered 200 OK"));
            Assert.That(registrar.Out, Does.Contain("401").And.Contain("200"), "challenged, then accepted");
        });
    }

    [Test]
    public void PresenceServesSubscribeAndNotifiesOverTls()
    {
        string watchers = _pki.Write("watchers", "bob alice\n");
        var stdoutText = new StringWriter();
        TextWriter stdout = TextWriter.Synchronized(stdoutText);
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] args =
        [
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--tls-ca", _pki.CaFile,
            "--tls-only", "--users", _users, "--watchers", watchers, "--domain", "example.test",
        ];
        Task<int> presence = Task.Factory.StartNew(() => PresenceCommand.Run(args, stdout, TextWriter.Synchronized(stderr), (b, _) => ready.TrySetResult(b), stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.That(Task.WhenAny(ready.Task, presence).Result, Is.SameAs(ready.Task), $"presence started: {stderr}");
        int port = ready.Task.Result[0].Port;
        try
        {
            // The NOTIFY is a new TLS connection from the presence server to alice's tls: listener (validated with --tls-ca).
            UaRun r = UaRun.Start(UaOverTls($"sip:127.0.0.1:{port};transport=tls", "alice", "wonderland", "--subscribe", "sip:bob@example.test", "--exit-after", "20"), s_limit,
                (cts, output) =>
                {
                    if (output.Contains("subscribe Notified Active", StringComparison.Ordinal)) cts.Cancel();
                });
            string log;
            lock (stdout) log = stdoutText.ToString();
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + "\n--- presence\n" + log);
                Assert.That(r.Stdout, Does.Contain("subscribe Notified Active"));
                Assert.That(log, Does.Contain("TLS only: UDP requests dropped, TCP requests refused with 403"));
            });
        }
        finally
        {
            stop.Cancel();
            Assert.That(presence.Wait(TimeSpan.FromSeconds(10)), Is.True, "presence stops when asked");
        }
    }

    [Test]
    public void UaWithoutCertificateRegistersButSaysItsListenerCannotAccept()
    {
        using var registrar = new Server("registrar",
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--domain", "example.test");
        // No --listen: the UA opens a TLS socket of the first hop's transport by itself.
        UaRun r = UaRun.Start(["--tls-ca", _pki.CaFile, "--aor", "sip:carol@example.test", "--outbound-proxy", registrar.TlsUri, "--register"], s_limit, StopWhenRegistered);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain("no --tls-cert: the tls listener cannot accept connections"));
        });
    }

    [Test]
    public void UaMatchesTheCertificateAgainstTheUriHostNotItsAddress()
    {
        Assume.That(System.Net.Dns.GetHostAddresses("localhost").FirstOrDefault(), Is.EqualTo(IPAddress.Loopback),
            "this test needs 'localhost' to resolve to 127.0.0.1 first (/etc/hosts)");
        using var registrar = new Server("registrar",
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.NamedCertFile, "--tls-key", _pki.NamedKeyFile, "--domain", "example.test");
        int port = registrar.Of(TransportProtocol.Tls).Port;
        // RFC 5922 §7.2: the registrar was asked for as "localhost"; its certificate names localhost (DNS SAN only).
        UaRun byName = UaRun.Start(["--tls-ca", _pki.CaFile, "--aor", "sip:erin@example.test", "--outbound-proxy", $"sip:localhost:{port};transport=tls", "--register"],
            s_limit, StopWhenRegistered);
        // The same server asked for by address: the certificate does not name 127.0.0.1.
        UaRun byAddress = UaRun.Start(["--tls-ca", _pki.CaFile, "--aor", "sip:erin@example.test", "--outbound-proxy", registrar.TlsUri, "--register"], s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(byName.ExitCode, Is.EqualTo(0), byName.ToString());
            Assert.That(byName.Stdout, Does.Contain("register Registered 200 OK"));
            Assert.That(byAddress.ExitCode, Is.EqualTo(1), byAddress.ToString());
            Assert.That(byAddress.Stdout, Does.Contain("refused: certificate of 127.0.0.1 refused: it does not name the host we connected to (CN=localhost"));
            Assert.That(byAddress.Stdout, Does.Contain("register Failed 503"));
        });
    }

    [Test]
    public void BadPemFilesExitTwoNamingTheFile()
    {
        string garbage = _pki.Write("garbage.pem", "this is not a certificate\n");
        string missing = Path.Combine(_pki.Folder, "no-such-file.pem");
        (string[] Args, string Message)[] cases =
        [
            (["--tls-cert", garbage, "--tls-key", _pki.ServerKeyFile], $"--tls-cert '{garbage}': no PEM certificate in the file"),
            (["--tls-cert", missing, "--tls-key", _pki.ServerKeyFile], $"--tls-cert '{missing}': cannot read"),
            (["--tls-cert", _pki.ServerChainFile, "--tls-key", garbage], $"--tls-key '{garbage}': no PEM private key"),
            // The UA's RSA key does not belong to the proxy's EC certificate.
            (["--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.UaKeyFile], $"--tls-key '{_pki.UaKeyFile}': the private key does not fit the certificate"),
            (["--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--tls-ca", garbage], $"--tls-ca '{garbage}': no PEM certificate"),
        ];
        foreach ((string[] extra, string message) in cases)
        {
            (int code, _, string stderr) = RunServerExpectingExit("proxy", ["--listen", "tls:127.0.0.1:0", "--domain", "example.test", .. extra]);
            Assert.That(code, Is.EqualTo(2), stderr);
            Assert.That(stderr, Does.Contain("sipwire proxy: " + message));
        }

        UaRun ua = UaRun.Start(["--tls-ca", garbage, "--aor", "sip:a@example.test", "--outbound-proxy", "sip:127.0.0.1:5999;transport=tls", "--register"], s_limit);
        Assert.That(ua.ExitCode, Is.EqualTo(2), ua.ToString());
        Assert.That(ua.Stderr, Does.Contain($"sipwire ua: --tls-ca '{garbage}': no PEM certificate"));
    }

    [TestCase("proxy", new[] { "--listen", "tls:127.0.0.1:0", "--domain", "d.test" }, "a tls: listener needs --tls-cert FILE and --tls-key FILE")]
    [TestCase("proxy", new[] { "--listen", "udp:127.0.0.1:0", "--domain", "d.test", "--tls-only" }, "--tls-only needs a --listen tls:IP:PORT")]
    [TestCase("registrar", new[] { "--listen", "tls:127.0.0.1:0", "--domain", "d.test", "--tls-cert", "x.pem" }, "--tls-cert needs --tls-key")]
    [TestCase("proxy", new[] { "--listen", "sctp:127.0.0.1:0", "--domain", "d.test" }, "expected udp:IP:PORT, tcp:IP:PORT or tls:IP:PORT")]
    public void TlsUsageErrorsExitTwo(string role, string[] args, string message)
    {
        (int code, _, string stderr) = RunServerExpectingExit(role, args);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(stderr, Does.Contain("--tls-cert FILE"), "the usage lists the TLS flags");
    }

    [Test]
    public void UaTlsUsage()
    {
        UaRun noKey = UaRun.Start(["--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.UaCertFile, "--exit-after", "0"], s_limit);
        UaRun noCert = UaRun.Start(["--listen", "tls:127.0.0.1:0", "--exit-after", "0"], s_limit);
        UaRun both = UaRun.Start(["--tls-insecure", "--tls-ca", _pki.CaFile, "--exit-after", "0"], s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(noKey.ExitCode, Is.EqualTo(2));
            Assert.That(noKey.Stderr, Does.Contain("--tls-cert needs --tls-key"));
            Assert.That(noCert.ExitCode, Is.EqualTo(2));
            Assert.That(noCert.Stderr, Does.Contain("a tls: listener needs --tls-cert"));
            Assert.That(both.ExitCode, Is.EqualTo(2));
            Assert.That(both.Stderr, Does.Contain("--tls-insecure and --tls-ca contradict"));
            Assert.That(both.Stderr, Does.Contain("--tls-insecure    accept any server certificate: for labs only"));
        });
    }

    [Test]
    public void UaConfigFileTakesTheTlsKeys()
    {
        using var registrar = new Server("registrar",
            "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki.ServerChainFile, "--tls-key", _pki.ServerKeyFile, "--domain", "example.test");
        string config = _pki.Write("ua.conf",
            "listen = tls:127.0.0.1:0\n" +
            $"tls-cert = {_pki.UaCertFile}\n" +
            $"tls-key = {_pki.UaKeyFile}\n" +
            "tls-insecure = yes\n" +
            "aor = sip:dave@example.test\n" +
            $"outbound-proxy = {registrar.TlsUri}\n" +
            "register = yes\n" +
            "exit-after = 20\n");
        UaRun r = UaRun.Start(["--config", config], s_limit, StopWhenRegistered);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Contain("WARNING: --tls-insecure"));
            Assert.That(r.Stdout, Does.Contain("register Registered 200 OK"));
        });
    }
}
