// Our UA registers to a real Kamailio (Debian): 401 challenge, digest, refresh before expiry, unregister; and `sipwire ua --register` against it.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sipwire.Interop.Tests.Cli;
using Sipwire.Interop.Tests.Peers;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Kamailio;

[TestFixture]
[NonParallelizable]
public sealed class KamailioRegistrationTests
{
    private KamailioProcess? _kamailio;

    [SetUp]
    public void SetUp() => _kamailio = new KamailioProcess(minExpires: 4);

    [TearDown]
    public void TearDown() => _kamailio?.Dispose();

    [Test]
    public void RegistersWithDigestRefreshesAndUnregisters()
    {
        KamailioProcess k = _kamailio!;
        using var endpoint = new Endpoint(new EndpointOptions());
        PeerAddress local = endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        UserAgentCore core = endpoint.CreateUserAgent();
        string hostPort = $"127.0.0.1:{local.Port}";
        Registration r = core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = $"sip:alice@{hostPort}",
            Destination = PeerAddress.Parse(TransportProtocol.Udp, $"127.0.0.1:{k.Port}"),
            LocalSentBy = hostPort,
            Expires = 4,
            Credentials = [new SipCredentials("alice", "wonderland")],
        });
        int registered = 0;
        int unregistered = 0;
        var failures = new System.Collections.Generic.List<RegistrationEvent>();
        r.Changed += e =>
        {
            if (e.Kind == RegistrationEventKind.Registered) registered++;
            else if (e.Kind == RegistrationEventKind.Unregistered) unregistered++;
            else failures.Add(e);
        };
        r.Start();
        void Poll() => endpoint.Poll(TimeSpan.FromMilliseconds(20));

        k.WaitFor(() => registered >= 1, TimeSpan.FromSeconds(10), "the first registration", Poll);
        Assert.That(r.GrantedExpires, Is.EqualTo(4), k.Output);
        // RFC 3261 §10.2.4: refreshed before the 4 s binding runs out (Endpoint.Poll alone drives it).
        k.WaitFor(() => registered >= 2, TimeSpan.FromSeconds(6), "the refresh", Poll);
        r.Stop();
        k.WaitFor(() => unregistered == 1, TimeSpan.FromSeconds(5), "the unregister", Poll);

        // Kamailio logs before it answers, but its stderr reaches us asynchronously.
        k.WaitFor(() => Regex.IsMatch(k.Output, "SAVE user=alice .*expires=0"), TimeSpan.FromSeconds(5), "Kamailio's log of the unregister");
        string log = k.Output;
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            // Kamailio challenged the first REGISTER (401) and stored the binding after digest.
            Assert.That(Regex.Count(log, "CHALLENGE .* user=alice"), Is.GreaterThanOrEqualTo(1), log);
            Assert.That(Regex.Count(log, "SAVE user=alice expires=4 "), Is.GreaterThanOrEqualTo(2), log);
            Assert.That(Regex.Count(log, "SAVE user=alice .*expires=0"), Is.EqualTo(1), log);
        });
    }

    [Test]
    public void WrongPasswordIsAFailedEventWithStatusAndReason()
    {
        KamailioProcess k = _kamailio!;
        UaRun run = UaRun.Start(
            ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "not-it",
             "--outbound-proxy", k.Uri, "--register"], TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stdout, Does.Match(@"register Failed 401 \S"), run.ToString());
        });
    }

    [Test]
    public void CliRegistersThroughKamailioAndExitsZero()
    {
        KamailioProcess k = _kamailio!;
        UaRun run = UaRun.Start(
            ["--listen", "udp:127.0.0.1:0", "--aor", "sip:alice@example.test", "--user", "alice", "--password", "wonderland",
             "--outbound-proxy", k.Uri, "--register", "--exit-after", "0.5"], TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString() + k.Output);
            Assert.That(run.Stdout, Does.Contain("register Registered 200"));
            Assert.That(run.Stdout, Does.Contain("register Unregistered 200"));
        });
    }
}
