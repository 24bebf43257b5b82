// The ua-profile provisioning server (RFC 6080) against the UA's UaProfileClient over the simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Presence;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.UserAgent;

namespace Sipwire.Tests.PresenceAgent;

[TestFixture]
public sealed class ProvisioningServerTests
{
    private static (UaProfileClient Client, List<UaProfileUpdate> Updates, List<SubscriptionEvent> Events) Device(UaNode ua, PresenceServerNode server, string target,
        string type = "device", string? vendor = "acme", string? model = "ata-2", IReadOnlyList<SipCredentials>? credentials = null)
    {
        var client = new UaProfileClient(ua.Core, new UaProfileOptions
        {
            TargetUri = target,
            Destination = server.Address,
            ProfileType = type,
            Vendor = vendor,
            Model = model,
            Version = "1.0.3",
            Credentials = credentials ?? [],
        });
        var updates = new List<UaProfileUpdate>();
        var events = new List<SubscriptionEvent>();
        client.Updated += updates.Add;
        client.SubscriptionChanged += events.Add;
        client.Start();
        return (client, updates, events);
    }

    [TestCase(0.0, 6301)]
    [TestCase(0.2, 6302)]
    public void DeviceGetsItsUrlAtStartUpAndEveryUpdate(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        ProvisioningServer prov = server.Server.Provisioning;
        prov.UpdateProfile(new UaProfile { ProfileType = "device", Vendor = "acme", Url = "http://10.0.0.9/acme/default.xml", ContentType = "application/xml" });
        prov.UpdateProfile(new UaProfile { ProfileType = "device", Vendor = "acme", Resource = "sip:001122334455@example.test", Url = "http://10.0.0.9/acme/001122334455.xml", ContentType = "application/xml" });
        var ata = new UaNode(net, "10.0.0.1:5060", "001122334455");
        var other = new UaNode(net, "10.0.0.2:5060", "66778899aabb");
        (_, List<UaProfileUpdate> mine, _) = Device(ata, server, "sip:001122334455@example.test");
        (_, List<UaProfileUpdate> generic, _) = Device(other, server, "sip:66778899aabb@example.test");
        net.RunFor(TimeSpan.FromSeconds(30));
        // RFC 6080 §6 / RFC 4483 §4.2: the NOTIFY carries the URL by content indirection; the most specific entry wins.
        Assert.That(mine.Single(), Is.EqualTo(new UaProfileUpdate("http://10.0.0.9/acme/001122334455.xml", "application/xml", default, null, -1, null)), string.Join("\n", server.Log));
        Assert.That(generic.Single().Url, Is.EqualTo("http://10.0.0.9/acme/default.xml"));

        // RFC 6080 §5.1.2: a changed profile is notified to the devices it concerns, only to them.
        int sent = prov.UpdateProfile(new UaProfile { ProfileType = "device", Vendor = "acme", Resource = "sip:001122334455@example.test", Url = "http://10.0.0.9/acme/001122334455-v2.xml", ContentType = "application/xml" });
        Assert.That(sent, Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(mine.Select(u => u.Url), Is.EqualTo(new[] { "http://10.0.0.9/acme/001122334455.xml", "http://10.0.0.9/acme/001122334455-v2.xml" }));
        Assert.That(generic, Has.Count.EqualTo(1));
        prov.UpdateProfile(new UaProfile { ProfileType = "device", Vendor = "acme", Url = "http://10.0.0.9/acme/default-v2.xml", ContentType = "application/xml" });
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(generic.Last().Url, Is.EqualTo("http://10.0.0.9/acme/default-v2.xml"));
        Assert.That(mine, Has.Count.EqualTo(2));
    }

    [Test]
    public void NoProfileIs404AndRemovedProfileEndsWithNoresource()
    {
        var net = new SimNetwork(6303) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        var profile = new UaProfile { ProfileType = "device", Vendor = "acme", Url = "https://prov.example.test/acme.cfg" };
        server.Server.Provisioning.UpdateProfile(profile);
        var stranger = new UaNode(net, "10.0.0.1:5060", "aabbccddeeff");
        var ata = new UaNode(net, "10.0.0.2:5060", "001122334455");
        (UaProfileClient lost, _, List<SubscriptionEvent> lostEvents) = Device(stranger, server, "sip:aabbccddeeff@example.test", vendor: "other");
        (UaProfileClient served, List<UaProfileUpdate> updates, List<SubscriptionEvent> events) = Device(ata, server, "sip:001122334455@example.test");
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(lostEvents.Last().StatusCode, Is.EqualTo(404));
        Assert.That(lost.Subscription!.State, Is.EqualTo(SubscriptionState.Terminated));
        Assert.That(updates.Single().Url, Is.EqualTo("https://prov.example.test/acme.cfg"));
        Assert.That(server.Server.Provisioning.RemoveProfile(profile), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(events.Any(e => e.Kind == SubscriptionEventKind.Notified && e.State == SubscriptionState.Terminated && e.Reason == "noresource"), Is.True, string.Join("\n", events));
        Assert.That(served.Subscription!.State, Is.EqualTo(SubscriptionState.Terminated));
    }

    [Test]
    public void UserProfileNeedsTheUsersCredentials()
    {
        var net = new SimNetwork(6304) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        server.Server.Provisioning.UpdateProfile(new UaProfile { ProfileType = "user", Resource = "sip:alice@example.test", Url = "https://prov.example.test/users/alice.xml" });
        var phone = new UaNode(net, "10.0.0.1:5060", "alice");
        var thief = new UaNode(net, "10.0.0.2:5060", "alice");
        (_, List<UaProfileUpdate> updates, _) = Device(phone, server, "sip:alice@example.test", type: "user", vendor: null, model: null, credentials: [new SipCredentials("alice", "wonderland")]);
        (_, List<UaProfileUpdate> stolen, List<SubscriptionEvent> thiefEvents) = Device(thief, server, "sip:alice@example.test", type: "user", vendor: null, model: null);
        net.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(updates.Single().Url, Is.EqualTo("https://prov.example.test/users/alice.xml"));
        Assert.That(stolen, Is.Empty);
        Assert.That(thiefEvents.Last().StatusCode, Is.EqualTo(401));
    }

    [Test]
    public void BadProfilesAreRefused()
    {
        var net = new SimNetwork(6305);
        var server = new PresenceServerNode(net, "10.0.0.5:5060");
        Assert.Throws<ArgumentException>(() => server.Server.Provisioning.UpdateProfile(new UaProfile { ProfileType = "phone", Url = "http://x/y" }));
        Assert.Throws<ArgumentException>(() => server.Server.Provisioning.UpdateProfile(new UaProfile { ProfileType = "device", Url = "http://x/\"y" }));
        Assert.Throws<ArgumentException>(() => server.Server.Provisioning.UpdateProfile(new UaProfile { ProfileType = "device", Url = "not a url" }));
        Assert.That(server.Server.Provisioning.Profiles, Is.Empty);
    }
}
