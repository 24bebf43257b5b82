// PUBLISH error paths of the event state compositor (RFC 3903 §6) with raw requests: 412, 489, 415, 400, 404, 423.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;

namespace Sipwire.Tests.PresenceAgent;

[TestFixture]
public sealed class PresencePublishErrorTests
{
    private static readonly PeerAddress s_client = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.99:5060");

    private static string Publish(string requestUri, string extraHeaders, string contentType, string body, int cseq) =>
        $"PUBLISH {requestUri} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP 10.0.0.99:5060;branch=z9hG4bK-raw{cseq}\n" +
        "Max-Forwards: 70\n" +
        "From: <sip:alice@example.test>;tag=raw1\n" +
        $"To: <{requestUri}>\n" +
        $"Call-ID: raw-publish-{cseq}@10.0.0.99\n" +
        $"CSeq: {cseq} PUBLISH\n" +
        extraHeaders +
        (contentType.Length > 0 ? $"Content-Type: {contentType}\n" : "") +
        $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\n\n" + body;

    private static string Pidf(string note) => System.Text.Encoding.UTF8.GetString(new PidfDocument
    {
        Entity = "sip:alice@example.test",
        Tuples = [new PidfTuple { Id = "t1", Basic = PresenceBasic.Open, Notes = [new PidfNote(note)] }],
    }.ToXml());

    private static string Answer(PresenceServerNode server, SimNetwork net, string request)
    {
        int before = server.ResponsesTo(s_client).Length;
        server.SendRaw(s_client, request);
        net.RunFor(TimeSpan.FromSeconds(1));
        string[] all = server.ResponsesTo(s_client);
        Assert.That(all, Has.Length.EqualTo(before + 1), "one final response");
        return all[^1];
    }

    private static string Header(string response, string name) =>
        response.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    [Test]
    public void EveryRuleOfSection6()
    {
        var net = new SimNetwork(6201) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060", authenticate: false);
        const string Event = "Event: presence\n";

        // An unknown entity-tag: 412 Conditional Request Failed (§6 step 4).
        Assert.That(Answer(server, net, Publish("sip:alice@example.test", Event + "SIP-If-Match: nosuchtag\nExpires: 60\n", "", "", 1)), Does.StartWith("SIP/2.0 412 "));
        // Event package we do not compose: 489 with Allow-Events (§6 step 2).
        string r = Answer(server, net, Publish("sip:alice@example.test", "Event: dialog\n", "application/dialog-info+xml", "<x/>", 2));
        Assert.That(r, Does.StartWith("SIP/2.0 489 "));
        Assert.That(Header(r, "Allow-Events"), Is.EqualTo("presence"));
        // No Event at all: 400.
        Assert.That(Answer(server, net, Publish("sip:alice@example.test", "", PidfDocument.ContentType, Pidf("x"), 3)), Does.StartWith("SIP/2.0 400 "));
        // A body in a format the presence package does not use: 415 with Accept (§6 step 6).
        r = Answer(server, net, Publish("sip:alice@example.test", Event, "text/plain", "I am here", 4));
        Assert.That(r, Does.StartWith("SIP/2.0 415 "));
        Assert.That(Header(r, "Accept"), Is.EqualTo(PidfDocument.ContentType));
        // Malformed PIDF: 400, nothing stored.
        Assert.That(Answer(server, net, Publish("sip:alice@example.test", Event, PidfDocument.ContentType, "<presence", 5)), Does.StartWith("SIP/2.0 400 "));
        // Initial PUBLISH without a body: 400 (§6 step 4).
        Assert.That(Answer(server, net, Publish("sip:alice@example.test", Event, "", "", 6)), Does.StartWith("SIP/2.0 400 "));
        // Another domain's presentity: 404 (§6 step 1).
        Assert.That(Answer(server, net, Publish("sip:alice@elsewhere.test", Event, PidfDocument.ContentType, Pidf("x"), 7)), Does.StartWith("SIP/2.0 404 "));
        // Too brief: 423 with Min-Expires (§6 step 5).
        r = Answer(server, net, Publish("sip:alice@example.test", Event + "Expires: 5\n", PidfDocument.ContentType, Pidf("x"), 8));
        Assert.That(r, Does.StartWith("SIP/2.0 423 "));
        Assert.That(Header(r, "Min-Expires"), Is.EqualTo("60"));
        Assert.That(server.Server.Agent.Compositor.Count, Is.Zero, "bad input loses nothing and stores nothing");

        // A good one: 200 with SIP-ETag and the Expires granted (longer than the maximum is shortened).
        r = Answer(server, net, Publish("sip:alice@example.test", Event + "Expires: 999999\n", PidfDocument.ContentType, Pidf("here"), 9));
        Assert.That(r, Does.StartWith("SIP/2.0 200 "));
        string etag = Header(r, "SIP-ETag");
        Assert.That(Header(r, "Expires"), Is.EqualTo("86400"));
        // A refresh of alice's entity-tag for bob's presentity is still 412: tags are per resource.
        Assert.That(Answer(server, net, Publish("sip:bob@example.test", Event + $"SIP-If-Match: {etag}\n", "", "", 10)), Does.StartWith("SIP/2.0 412 "));
        // Refresh without Expires: the default (3600), a new tag; the old one is then unknown.
        r = Answer(server, net, Publish("sip:alice@example.test", Event + $"SIP-If-Match: {etag}\n", "", "", 11));
        Assert.That(Header(r, "Expires"), Is.EqualTo("3600"));
        string next = Header(r, "SIP-ETag");
        Assert.That(next, Is.Not.EqualTo(etag));
        Assert.That(Answer(server, net, Publish("sip:alice@example.test", Event + $"SIP-If-Match: {etag}\n", "", "", 12)), Does.StartWith("SIP/2.0 412 "));
        // Remove: Expires 0 with the current tag.
        r = Answer(server, net, Publish("sip:alice@example.test", Event + $"SIP-If-Match: {next}\nExpires: 0\n", "", "", 13));
        Assert.That(r, Does.StartWith("SIP/2.0 200 "));
        Assert.That(Header(r, "Expires"), Is.EqualTo("0"));
        Assert.That(server.Server.Agent.Compositor.Count, Is.Zero);
        Assert.That(server.Log, Has.Count.EqualTo(13), "one log line per transaction");
    }

    [TestCase("text/plain", 406)]
    [TestCase("application/xml", 406)]
    [TestCase("application/*", 200)]
    [TestCase("application/cpim-pidf+xml, application/pidf+xml;q=0.5", 200)]
    public void SubscribeWhoseAcceptExcludesPidfGets406(string accept, int status)
    {
        var net = new SimNetwork(6203) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060", authenticate: false);
        string subscribe = "SUBSCRIBE sip:alice@example.test SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.99:5060;branch=z9hG4bK-s1\nMax-Forwards: 70\n" +
            "From: <sip:alice@example.test>;tag=s1\nTo: <sip:alice@example.test>\nCall-ID: s1@10.0.0.99\nCSeq: 1 SUBSCRIBE\nContact: <sip:alice@10.0.0.99:5060>\n" +
            $"Event: presence\nAccept: {accept}\nExpires: 600\nContent-Length: 0\n\n";
        Assert.That(Answer(server, net, subscribe), Does.StartWith($"SIP/2.0 {status} "));
        Assert.That(server.Server.Core.NotifierSubscriptions, Has.Count.EqualTo(status == 200 ? 1 : 0));
    }

    [Test]
    public void MethodsOutsideTheRoleGet405WithAllow()
    {
        var net = new SimNetwork(6202) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060", authenticate: false);
        string message = "MESSAGE sip:alice@example.test SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.99:5060;branch=z9hG4bK-m1\nMax-Forwards: 70\n" +
            "From: <sip:bob@example.test>;tag=m1\nTo: <sip:alice@example.test>\nCall-ID: m1@10.0.0.99\nCSeq: 1 MESSAGE\nContent-Type: text/plain\nContent-Length: 2\n\nhi";
        string r = Answer(server, net, message);
        Assert.That(r, Does.StartWith("SIP/2.0 405 "));
        Assert.That(Header(r, "Allow"), Does.Contain("PUBLISH").And.Contain("SUBSCRIBE").And.Contain("REGISTER"));
    }
}
