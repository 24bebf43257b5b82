// baresip registers to our `sipwire proxy` (registrar of its domain, digest on) and calls our UA through it (407 answered); we call baresip back.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;
using Sipwire.Interop.Tests.Peers;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Interop.Tests.Presence;

[TestFixture]
public sealed class BaresipThroughOurProxyTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(10);

    [Test]
    public void BaresipRegistersWithDigestAndCallsOurUaThroughOurProxy()
    {
        string users = Path.GetTempFileName();
        File.WriteAllText(users, "alice wonderland\nbob builder\n");
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource<IReadOnlyList<PeerAddress>>(TaskCreationOptions.RunContinuationsAsynchronously);
        TextWriter log = TextWriter.Synchronized(stdout);
        Task<int> proxyTask = Task.Factory.StartNew(() => ServerCommand.Run("proxy", ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--users", users],
            log, log, b => ready.TrySetResult(b), stop.Token), TaskCreationOptions.LongRunning);
        BaresipProcess? baresip = null;
        try
        {
            Assert.That(Task.WhenAny(ready.Task, proxyTask).Result, Is.SameAs(ready.Task), "the proxy starts: " + stdout);
            PeerAddress proxy = ready.Task.Result[0];
            using var endpoint = new Endpoint(new EndpointOptions());
            PeerAddress local = endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
            string hostPort = $"127.0.0.1:{local.Port}";
            UserAgentCore alice = endpoint.CreateUserAgent(new UserAgentOptions
            {
                LocalUri = "sip:alice@example.test",
                ContactUri = $"sip:alice@{hostPort}",
                LocalSentBy = hostPort,
                MediaAddress = IPAddress.Loopback,
                RtpPortBase = 46200,
                // The proxy challenges its own users' calls (RFC 3261 §22.3): alice answers its 407.
                Credentials = [new SipCredentials("alice", "wonderland")],
            });
            var incoming = new List<SipCall>();
            var events = new List<CallEvent>();
            alice.IncomingCall += c =>
            {
                incoming.Add(c);
                c.Changed += events.Add;
                c.Answer();
            };
            Registration r = alice.AddRegistration(new RegistrationOptions
            {
                AddressOfRecord = "sip:alice@example.test",
                ContactUri = $"sip:alice@{hostPort}",
                Destination = proxy,
                LocalSentBy = hostPort,
                Expires = 600,
                Credentials = [new SipCredentials("alice", "wonderland")],
            });
            r.Start();
            void Poll() => endpoint.Poll(TimeSpan.FromMilliseconds(20));

            // baresip: bob/builder with our proxy as outbound proxy (digest challenged by our registrar).
            baresip = new BaresipProcess(proxy.Port, autoAnswer: true);
            baresip.Connect(s_step);
            baresip.WaitFor(() => r.State == RegistrationState.Registered, s_step, "alice's registration\n" + stdout, Poll);
            // baresip may register before ctrl_tcp is connected, so its REGISTER_OK event can be gone; its
            // console line for the 200 (stdout, unbuffered) is always there.
            baresip.WaitFor(() => baresip.HasEvent("REGISTER_OK") || baresip.Output.Contains("bob@example.test: {0/UDP/v4} 200 OK", StringComparison.Ordinal), s_step, "baresip's registration with digest\n" + stdout + "\n--- baresip\n" + baresip.Output, Poll);
            Assert.That(stdout.ToString(), Does.Contain("401"), "the registrar challenged");

            // baresip calls alice: the proxy finds her binding and forwards; we answer.
            baresip.Command("dial", "sip:alice@example.test", Poll);
            baresip.WaitFor(() => events.Exists(e => e.Kind == CallEventKind.Established), s_step, "baresip's call through the proxy\n" + stdout + "\n--- baresip\n" + string.Join('\n', baresip.Messages), Poll);
            baresip.WaitFor(() => baresip.HasEvent("CALL_ESTABLISHED"), s_step, "baresip to see the call up", Poll);
            Assert.That(incoming, Has.Count.EqualTo(1));
            // baresip's INVITE from bob@example.test was challenged with 407 and answered with its account's credentials.
            Assert.That(stdout.ToString(), Does.Contain("INVITE sip:alice@example.test").And.Contain("-> 407 proxy-auth: no credentials for realm example.test"));
            Assert.That(stdout.ToString(), Does.Contain("-> proxy-auth: authenticated bob (ok)"));
            Assert.That(incoming[0].Hangup(), Is.True);
            baresip.WaitFor(() => events.Exists(e => e.Kind == CallEventKind.Ended), s_step, "our BYE through the proxy", Poll);
            baresip.WaitFor(() => baresip.HasEvent("CALL_CLOSED"), s_step, "baresip to see the BYE", Poll);

            // And the other way: alice calls bob (baresip auto-answers) through the proxy.
            SipCall call = alice.Invite("sip:bob@example.test", proxy);
            var outEvents = new List<CallEvent>();
            call.Changed += outEvents.Add;
            baresip.WaitFor(() => outEvents.Exists(e => e.Kind == CallEventKind.Established), s_step, "our call to baresip\n" + stdout, Poll);
            Assert.That(stdout.ToString(), Does.Contain("-> proxy-auth: authenticated alice (ok)"), "our UA answered the proxy's 407");
            Assert.That(call.Hangup(), Is.True);
            baresip.WaitFor(() => outEvents.Exists(e => e.Kind == CallEventKind.Ended), s_step, "the BYE's answer", Poll);
        }
        finally
        {
            baresip?.Dispose();
            stop.Cancel();
            Assert.That(proxyTask.Wait(TimeSpan.FromSeconds(10)), Is.True);
            File.Delete(users);
        }
    }
}
