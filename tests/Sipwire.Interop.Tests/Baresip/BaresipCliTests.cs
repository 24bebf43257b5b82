// `sipwire ua` against baresip through Kamailio: a call with --duration, --auto-answer for baresip's call, MESSAGE to baresip.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Interop.Tests.Cli;
using Sipwire.Interop.Tests.Peers;

namespace Sipwire.Interop.Tests.Baresip;

[TestFixture]
[NonParallelizable]
public sealed class BaresipCliTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(40);
    private KamailioProcess? _kamailio;
    private BaresipProcess? _baresip;

    [SetUp]
    public void SetUp()
    {
        _kamailio = new KamailioProcess();
    }

    [TearDown]
    public void TearDown()
    {
        _baresip?.Dispose();
        _kamailio?.Dispose();
    }

    private void StartBaresip(bool autoAnswer, bool sipTrace = false)
    {
        _baresip = new BaresipProcess(_kamailio!.Port, autoAnswer, sipTrace);
        _baresip.Connect(TimeSpan.FromSeconds(10));
        _kamailio.WaitFor(() => _kamailio.Output.Contains("SAVE user=bob", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "bob's (baresip's) registration");
    }

    private string[] Alice(params string[] more) =>
        ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
         "--outbound-proxy", _kamailio!.Uri, "--register", .. more];

    [Test]
    public void CallsBaresipForOneSecondAndExitsZero()
    {
        StartBaresip(autoAnswer: true);
        UaRun r = UaRun.Start(Alice("--call", "sip:bob@example.test", "--duration", "1"), s_limit);
        _kamailio!.WaitFor(() => _baresip!.HasEvent("CALL_CLOSED"), TimeSpan.FromSeconds(5), "baresip to see our BYE");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + _kamailio.Output);
            Assert.That(r.Stdout, Does.Contain("register Registered 200"));
            Assert.That(r.Stdout, Does.Contain("Established 200"));
            Assert.That(r.Stdout, Does.Contain("Ended 0 Hung up (local)"));
            Assert.That(r.Stdout, Does.Contain("register Unregistered 200"));
        });
    }

    [Test]
    public void AutoAnswersBaresipsCallAndExitsZeroAfterExitAfter()
    {
        StartBaresip(autoAnswer: false);
        bool dialled = false;
        UaRun r = UaRun.Start(Alice("--auto-answer=0.3", "--exit-after", "4"), s_limit, (_, _) =>
        {
            // Dial once our binding is in Kamailio's location table.
            if (!dialled && _kamailio!.Output.Contains("SAVE user=alice expires=3600", StringComparison.Ordinal))
            {
                dialled = true;
                _baresip!.Command("dial", "sip:alice@example.test", null);
            }
        });
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + string.Join('\n', _baresip!.Messages));
            Assert.That(r.Stdout, Does.Contain("Incoming"));
            Assert.That(r.Stdout, Does.Contain("Established 200"));
            Assert.That(_baresip!.HasEvent("CALL_ESTABLISHED"), Is.True);
        });
    }

    [Test]
    public void MessageToBaresipIsDelivered()
    {
        StartBaresip(autoAnswer: true, sipTrace: true);
        UaRun r = UaRun.Start(Alice("--message", "sip:bob@example.test", "hello from sipwire"), s_limit);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString() + _kamailio!.Output);
        Assert.That(r.Stdout, Does.Contain("message Delivered 200"));
        // baresip's SIP trace shows the MESSAGE it received (through Kamailio) and its 200.
        _kamailio.WaitFor(() => _baresip!.Output.Contains("hello from sipwire", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "baresip's trace of the MESSAGE\n" + _baresip!.Output);
        Assert.That(_baresip!.Output, Does.Contain("MESSAGE sip:bob-"), "the MESSAGE reached baresip's registered contact");
    }

    [Test]
    public void MessageFromBaresipIsPrinted()
    {
        StartBaresip(autoAnswer: true);
        bool sent = false;
        UaRun r = UaRun.Start(Alice("--exit-after", "3"), s_limit, (_, _) =>
        {
            if (!sent && _kamailio!.Output.Contains("SAVE user=alice expires=3600", StringComparison.Ordinal))
            {
                sent = true;
                _baresip!.Command("contact_next", "", null);
                _baresip.Command("message", "hello from baresip", null);
            }
        });
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout, Does.Match(@"message from sip:bob@example\.test text/plain\S*: hello from baresip"));
        });
    }
}
