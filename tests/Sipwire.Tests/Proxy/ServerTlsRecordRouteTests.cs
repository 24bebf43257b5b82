// The proxy's Record-Route names the transport of its listener (transport=tls/tcp) and is a sips: URI for SIPS requests (RFC 3261 §16.6 step 4).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using NUnit.Framework;
using Sipwire.Location;
using Sipwire.Proxy;
using Sipwire.Sip;
using Sipwire.Tests.UserAgent;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ServerTlsRecordRouteTests
{
    private sealed class Capture : ITransportSender
    {
        public List<(string Text, PeerAddress To)> Sent { get; } = [];

        public bool Send(ReadOnlySpan<byte> message, in PeerAddress destination)
        {
            Sent.Add((Encoding.ASCII.GetString(message), destination));
            return true;
        }
    }

    /// <summary>Forwards one INVITE statelessly through a proxy whose Via/Record-Route listener is 192.0.2.1:5061 of <paramref name="listener"/>.</summary>
    private static (string Text, PeerAddress To) Forward(TransportProtocol listener, string requestUri) =>
        Forward(listener, 5061, null, TransportProtocol.Tls, Invite(requestUri, "SIP/2.0/TLS 192.0.2.20:5061", ""));

    private static string Invite(string requestUri, string via, string extra) =>
        $"INVITE {requestUri} SIP/2.0\r\nVia: {via};branch=z9hG4bK-rr1\r\nMax-Forwards: 70\r\n" +
        "From: <sips:alice@example.test>;tag=a1\r\nTo: <sips:bob@example.test>\r\nCall-ID: rr1@test\r\nCSeq: 1 INVITE\r\n" +
        extra + "Contact: <sips:alice@192.0.2.20:5061>\r\nContent-Length: 0\r\n\r\n";

    private static (string Text, PeerAddress To) Forward(TransportProtocol listener, int port, Dictionary<TransportProtocol, int>? others,
        TransportProtocol from, string invite)
    {
        var capture = new Capture();
        var deferred = new DeferredUser();
        var clock = new VirtualClock();
        var layer = new TransactionLayer(new EndpointOptions(), capture, deferred, clock);
        var proxy = new SipProxy(new ProxyOptions
        {
            Domains = ["example.test"],
            LocalHost = "192.0.2.1",
            LocalPort = port,
            LocalTransport = listener,
            TransportPorts = others,
            Stateless = true,
        }, layer, new InMemoryLocationService());
        deferred.Target = proxy;
        var message = new SipMessage();
        Assert.That(SipParser.Parse(Encoding.ASCII.GetBytes(invite).AsMemory(), SipFraming.Datagram, message).IsDone, Is.True);
        proxy.Receive(message, PeerAddress.Parse(from, "192.0.2.20:40000"));
        Assert.That(capture.Sent, Has.Count.EqualTo(1), "forwarded once");
        return capture.Sent[0];
    }

    [Test]
    public void TlsListenerRecordRoutesWithTransportTls()
    {
        (string text, PeerAddress to) = Forward(TransportProtocol.Tls, "sip:bob@192.0.2.30:5061;transport=tls");
        Assert.Multiple(() =>
        {
            Assert.That(to.Protocol, Is.EqualTo(TransportProtocol.Tls));
            Assert.That(text, Does.Contain("\r\nVia: SIP/2.0/TLS 192.0.2.1:5061;branch="));
            // §19.1.1: without transport=tls the UAs would send their in-dialog requests to us over UDP.
            Assert.That(text, Does.Contain("\r\nRecord-Route: <sip:192.0.2.1:5061;transport=tls;lr>\r\n"));
        });
    }

    [Test]
    public void SipsRequestGetsASipsRecordRoute()
    {
        (string text, PeerAddress to) = Forward(TransportProtocol.Tls, "sips:bob@192.0.2.30");
        Assert.Multiple(() =>
        {
            // §26.2.2: sips: goes over TLS (port 5061 by default, RFC 3263 §4.2).
            Assert.That(to.Protocol, Is.EqualTo(TransportProtocol.Tls));
            // §16.6 step 4: "the URI placed into the Record-Route header field MUST be a SIPS URI".
            Assert.That(text, Does.Contain("\r\nRecord-Route: <sips:192.0.2.1:5061;lr>\r\n"));
        });
    }

    [TestCase(TransportProtocol.Tcp, "<sip:192.0.2.1:5061;transport=tcp;lr>")]
    [TestCase(TransportProtocol.Udp, "<sip:192.0.2.1:5061;lr>")]
    public void OtherListenersNameTheirTransport(TransportProtocol listener, string recordRoute)
    {
        (string text, _) = Forward(listener, "sip:bob@192.0.2.30:5060");
        Assert.That(text, Does.Contain("\r\nRecord-Route: " + recordRoute + "\r\n"));
    }

    [Test]
    public void ChangingTransportDoubleRecordRoutes()
    {
        var tls = new Dictionary<TransportProtocol, int> { [TransportProtocol.Tls] = 5061 };
        (string text, PeerAddress to) = Forward(TransportProtocol.Udp, 5060, tls, TransportProtocol.Udp,
            Invite("sip:bob@192.0.2.30:5061;transport=tls", "SIP/2.0/UDP 192.0.2.20:5060", ""));
        Assert.Multiple(() =>
        {
            Assert.That(to.Protocol, Is.EqualTo(TransportProtocol.Tls));
            // §18.1.1: sent-by names the listener of the transport the request leaves on.
            Assert.That(text, Does.Contain("\r\nVia: SIP/2.0/TLS 192.0.2.1:5061;branch="));
            // RFC 5658 §4: bob (TLS) reaches us at the first value, alice (UDP) at the second (her route set is reversed).
            Assert.That(text, Does.Contain("\r\nRecord-Route: <sip:192.0.2.1:5061;transport=tls;lr>, <sip:192.0.2.1:5060;lr>\r\n"));
        });
        (string same, _) = Forward(TransportProtocol.Udp, 5060, tls, TransportProtocol.Udp,
            Invite("sip:carol@192.0.2.31:5060", "SIP/2.0/UDP 192.0.2.20:5060", ""));
        Assert.That(same, Does.Contain("\r\nRecord-Route: <sip:192.0.2.1:5060;lr>\r\n"), "one transport, one value");
    }

    [Test]
    public void InDialogRequestThroughADoubleRecordRouteLosesBothOfOurRoutes()
    {
        var tls = new Dictionary<TransportProtocol, int> { [TransportProtocol.Tls] = 5061 };
        // Alice's BYE (UDP side) with the route set she learnt: both values name us (RFC 5658 §5).
        string bye = Invite("sip:bob@192.0.2.30:5061;transport=tls", "SIP/2.0/UDP 192.0.2.20:5060",
            "Route: <sip:192.0.2.1:5060;lr>, <sip:192.0.2.1:5061;transport=tls;lr>\r\n").Replace("To: <sips:bob@example.test>", "To: <sips:bob@example.test>;tag=b1", StringComparison.Ordinal);
        (string text, PeerAddress to) = Forward(TransportProtocol.Udp, 5060, tls, TransportProtocol.Udp, bye);
        Assert.Multiple(() =>
        {
            Assert.That(to.Protocol, Is.EqualTo(TransportProtocol.Tls));
            Assert.That(to.Port, Is.EqualTo(5061));
            Assert.That(text, Does.Not.Contain("\r\nRoute:"), "both of our Route values are consumed, none is forwarded");
        });
    }
}
