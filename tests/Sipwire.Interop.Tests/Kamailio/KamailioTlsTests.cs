// `sipwire ua` over TLS against a real Kamailio with kamailio-tls-modules: register with digest, call through it, refuse a server from an untrusted CA.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;
using Sipwire.Interop.Tests.Cli;
using Sipwire.Interop.Tests.Peers;

namespace Sipwire.Interop.Tests.Kamailio;

[TestFixture]
[NonParallelizable]
public sealed class KamailioTlsTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private TestPki? _pki;
    private KamailioTlsProcess? _kamailio;

    [OneTimeSetUp]
    public void StartKamailio()
    {
        _pki = new TestPki();
        // Kamailio presents the same chain as our proxy does in ServerTlsTests: leaf for 127.0.0.1 + intermediate.
        _kamailio = new KamailioTlsProcess(_pki.ServerChainFile, _pki.ServerKeyFile);
    }

    [OneTimeTearDown]
    public void StopKamailio()
    {
        _kamailio?.Dispose();
        _pki?.Dispose();
    }

    private string[] Ua(string user, string password, params string[] rest) =>
    [
        "--listen", "tls:127.0.0.1:0", "--tls-cert", _pki!.UaCertFile, "--tls-key", _pki.UaKeyFile, "--tls-ca", _pki.CaFile,
        "--aor", $"sip:{user}@example.test", "--user", user, "--password", password, "--outbound-proxy", _kamailio!.TlsUri, .. rest,
    ];

    [Test]
    public void RegistersOverTlsValidatingKamailiosChainAndUnregisters()
    {
        KamailioTlsProcess k = _kamailio!;
        UaRun r = UaRun.Start(Ua("alice", "wonderland", "--register"), s_limit,
            (stop, output) =>
            {
                if (output.Contains("register Registered 200", StringComparison.Ordinal)) stop.Cancel();
            });
        k.WaitFor(() => Regex.IsMatch(k.Output, "SAVE user=alice proto=tls expires=0"), TimeSpan.FromSeconds(5), "Kamailio's log of the unregister");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + k.Output);
            Assert.That(r.Stdout, Does.Contain("register Registered 200"));
            Assert.That(r.Stdout, Does.Contain("register Unregistered 200"));
            Assert.That(k.Output, Does.Match(@"SAVE user=alice proto=tls expires=\S* contact=<sip:alice@127\.0\.0\.1:\d+;transport=tls>"), "the binding is a TLS contact");
        });
    }

    [Test]
    public void CallsThroughKamailioOverTls()
    {
        KamailioTlsProcess k = _kamailio!;
        var bobText = new StringWriter();
        TextWriter bobOut = TextWriter.Synchronized(bobText);
        string Bob()
        {
            lock (bobOut) return bobText.ToString();
        }
        using var stopBob = new CancellationTokenSource();
        string[] bobArgs = Ua("bob", "builder", "--register", "--auto-answer");
        Task<int> bob = Task.Factory.StartNew(() => UaCommand.Run(bobArgs, bobOut, TextWriter.Null, stopBob.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        k.WaitFor(() => Bob().Contains("register Registered 200", StringComparison.Ordinal) || bob.IsCompleted, TimeSpan.FromSeconds(15), "bob's registration");

        UaRun alice = UaRun.Start(Ua("alice", "wonderland", "--call", "sip:bob@example.test", "--duration", "0.5"), s_limit);
        var sw = Stopwatch.StartNew();
        while (!Bob().Contains("BYE from the peer", StringComparison.Ordinal) && sw.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(20);
        stopBob.Cancel();
        Assert.That(bob.Wait(TimeSpan.FromSeconds(15)), Is.True, "bob stops on the signal");
        // Kamailio's log reaches Output through a pipe read on another thread.
        k.WaitFor(() => k.Output.Contains("RELAY INVITE to sip:bob@127.0.0.1", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "Kamailio's relay log line");
        Assert.Multiple(() =>
        {
            Assert.That(alice.ExitCode, Is.EqualTo(0), alice.ToString() + "\n--- bob\n" + Bob() + "\n--- kamailio\n" + k.Output);
            Assert.That(alice.Stdout, Does.Contain("Established 200"));
            Assert.That(Bob(), Does.Contain("Incoming"));
            // Kamailio's Record-Route named its TLS socket, so the BYE came back over TLS through it.
            Assert.That(Bob(), Does.Contain("Ended 0 BYE from the peer (remote)"));
            Assert.That(bob.Result, Is.EqualTo(0), Bob());
        });
    }

    [Test]
    public void KamailioFromAnUntrustedCaIsRefusedWith503()
    {
        string[] args = Ua("alice", "wonderland", "--register");
        args[Array.IndexOf(args, "--tls-ca") + 1] = _pki!.OtherCaFile;
        UaRun r = UaRun.Start(args, s_limit);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stdout, Does.Contain("does not chain to the configured trust anchors"));
            Assert.That(r.Stdout, Does.Contain("register Failed 503"));
            Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }
}
