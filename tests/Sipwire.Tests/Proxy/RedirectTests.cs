// The redirect server (RFC 3261 §8.3) on the simulated network: 302 with the location service's contacts, 404, 480.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Location;
using Sipwire.Redirect;
using Sipwire.Tests.Simulation;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class RedirectTests
{
    private static (SimNetwork Net, SimNode Server, InMemoryLocationService Location, RawClient Client) Setup(int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = 0.2, Delay = TimeSpan.FromMilliseconds(5) } };
        var location = new InMemoryLocationService();
        var redirect = new SipRedirectServer([ProxyNode.Domain], location);
        var user = new RecordingUser();
        var server = new SimNode(net, "10.0.0.9:5060", user: user);
        var buffer = new byte[8192];
        user.OnRequestHook = (tx, req) =>
        {
            int n = redirect.Process(req, tx.Source, net.Clock.NowMicros / 1000, buffer, out _);
            server.Layer.Respond(tx, buffer.AsSpan(0, n));
        };
        return (net, server, location, new RawClient(net, "10.0.0.1:5060"));
    }

    private static void Bind(SimNetwork net, InMemoryLocationService location, string user, string contact, int q, int seconds)
    {
        long now = net.Clock.NowMicros / 1000;
        byte[] callId = Encoding.ASCII.GetBytes("c-" + contact);
        var b = new LocationBinding(Encoding.ASCII.GetBytes(contact), [], callId, 1, q, now + seconds * 1000L, [], [], -1, []);
        Assert.That(location.Update($"sip:{user}@{ProxyNode.Domain}", [b], false, callId, 1, now, null), Is.EqualTo(LocationUpdateStatus.Ok));
    }

    [Test]
    public void RegisteredContactsComeBackIn302WithTheirQ()
    {
        (SimNetwork net, SimNode server, InMemoryLocationService location, RawClient client) = Setup(901);
        Bind(net, location, "bob", "sip:bob@10.0.0.2:5060", 1000, 3600);
        Bind(net, location, "bob", "sip:bob@10.0.0.3:5062;transport=tcp", 500, 600);
        client.Send(server.Address, "INVITE", $"sip:bob@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(10));
        string r = client.Responses.Single(x => !x.StartsWith("SIP/2.0 100", StringComparison.Ordinal));
        Assert.That(r, Does.StartWith("SIP/2.0 302 Moved Temporarily\r\n"));
        string[] contacts = r.Split("\r\n").Where(l => l.StartsWith("Contact:", StringComparison.Ordinal)).ToArray();
        Assert.That(contacts, Is.EqualTo(new[]
        {
            "Contact: <sip:bob@10.0.0.2:5060>;q=1;expires=3600",
            "Contact: <sip:bob@10.0.0.3:5062;transport=tcp>;q=0.5;expires=600",
        }));
        Assert.That(r, Does.Match("\r\nTo: <sip:bob@example.test>;tag=[0-9a-f]+\r\n"));
    }

    [Test]
    public void UnknownAddressGets404AndExpiredBindingsGet480()
    {
        (SimNetwork net, SimNode server, InMemoryLocationService location, RawClient client) = Setup(902);
        Bind(net, location, "carol", "sip:carol@10.0.0.4:5060", -1, 30);
        client.Send(server.Address, "OPTIONS", $"sip:nobody@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(40));
        client.Send(server.Address, "OPTIONS", $"sip:carol@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(client.Responses.Select(x => x[..11]), Is.EqualTo(new[] { "SIP/2.0 404", "SIP/2.0 480" }));
        location.PurgeExpired(net.Clock.NowMicros / 1000);
        client.Send(server.Address, "OPTIONS", $"sip:carol@{ProxyNode.Domain}");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(client.Responses.Last()[..11], Is.EqualTo("SIP/2.0 404"), "once purged, nothing is known about carol");
    }

    [Test]
    public void OtherDomainsAndSchemesAreNotRedirected()
    {
        (SimNetwork net, SimNode server, _, RawClient client) = Setup(903);
        client.Send(server.Address, "OPTIONS", "sip:bob@elsewhere.test");
        client.Send(server.Address, "OPTIONS", "mailto:bob@example.test");
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(client.Responses.Select(x => x[..11]).OrderBy(x => x), Is.EqualTo(new[] { "SIP/2.0 404", "SIP/2.0 416" }));
    }
}
