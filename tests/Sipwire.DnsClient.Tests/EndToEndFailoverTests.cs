// RFC 3263 end to end on loopback: dnsmasq NAPTR/SRV/A, SipServerLocator, TargetFailover over real TCP sockets.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using NUnit.Framework;
using Sipwire.Dns;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.DnsClient.Tests;

[TestFixture]
public sealed class EndToEndFailoverTests
{
    [Test]
    public void RefusedFirstSrvTarget_TheSecondAnswersOptions()
    {
        using var server = new Endpoint(new EndpointOptions());
        PeerAddress listening = server.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        int refused = Dnsmasq.FreePort(); // nothing listens there: the TCP connect is refused
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        using Dnsmasq dns = Dnsmasq.Start(
        [
            "local=/failover.test/",
            "naptr-record=failover.test,10,50,s,SIP+D2T,,_sip._tcp.failover.test",
            $"srv-host=_sip._tcp.failover.test,dead.failover.test,{I(refused)},10,0",
            $"srv-host=_sip._tcp.failover.test,live.failover.test,{I(listening.Port)},20,0",
            "host-record=dead.failover.test,127.0.0.1",
            "host-record=live.failover.test,127.0.0.1",
        ]);
        var options = new DnsClientResolverOptions { AddressPreference = AddressPreference.IPv4Only };
        options.NameServers.Add(dns.EndPoint);
        var targets = new SipServerLocator(new DnsClientResolver(options)).Locate("sip:echo@failover.test");
        Assert.That(targets.ConvertAll(t => t.ToString()), Is.EqualTo(new[] { $"TCP:127.0.0.1:{I(refused)}", $"TCP:127.0.0.1:{I(listening.Port)}" }));

        using var client = new Endpoint(new EndpointOptions());
        PeerAddress local = client.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        var outcome = new Outcome();
        client.User = new FailoverTransactionUser(outcome);
        var failover = new TargetFailover(client.Transactions, targets, (in PeerAddress target, ReadOnlySpan<byte> branch, Span<byte> destination) =>
        {
            byte[] r = Encoding.ASCII.GetBytes(
                "OPTIONS sip:echo@failover.test SIP/2.0\r\n" +
                $"Via: SIP/2.0/TCP 127.0.0.1:{I(local.Port)};branch={Encoding.ASCII.GetString(branch)};rport\r\n" +
                "Max-Forwards: 70\r\n" +
                "From: <sip:probe@failover.test>;tag=p1\r\n" +
                "To: <sip:echo@failover.test>\r\n" +
                "Call-ID: e2e-failover@127.0.0.1\r\n" +
                "CSeq: 1 OPTIONS\r\n" +
                "Content-Length: 0\r\n\r\n");
            if (r.Length > destination.Length) return -1;
            r.CopyTo(destination);
            return r.Length;
        });
        Assert.That(failover.Start(), Is.True);
        var clock = Stopwatch.StartNew();
        while (!failover.IsFinished && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            client.Poll(TimeSpan.FromMilliseconds(5));
            server.Poll(TimeSpan.FromMilliseconds(5));
        }
        Assert.That(failover.IsFinished, Is.True);
        Assert.That(failover.FinalStatusCode, Is.EqualTo(200), "the endpoint's default user answers OPTIONS 200");
        Assert.That(failover.TargetIndex, Is.EqualTo(1));
        Assert.That(failover.Attempts, Is.EqualTo(2));
        Assert.That(outcome.Statuses, Is.EqualTo(new[] { 200 }));
        Assert.That(outcome.Errors, Is.Zero, "the refused connection was consumed by the failover");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "a transport error fails over without waiting for Timer F");
    }

    private sealed class Outcome : ITransactionUser
    {
        public List<int> Statuses { get; } = [];

        public int Errors { get; private set; }

        public void OnResponse(Transaction transaction, SipMessage response) => Statuses.Add(response.StatusCode);

        public void OnError(Transaction transaction, TransactionError failure) => Errors++;

        public void OnRequest(Transaction transaction, SipMessage request)
        {
        }

        public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
        {
        }

        public void OnCancel(Transaction invite, SipMessage cancel)
        {
        }

        public void OnStrayResponse(SipMessage response, in PeerAddress source)
        {
        }

        public void OnTerminated(Transaction transaction)
        {
        }
    }
}
