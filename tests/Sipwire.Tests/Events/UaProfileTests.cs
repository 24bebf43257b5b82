// The ua-profile package (RFC 6080): start-up subscription with device parameters, URL and inline profile notices, updates.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Events;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class UaProfileTests
{
    /// <summary>A provisioning server's package: a URL per device, or an inline profile.</summary>
    private sealed class ProfilePackage : IEventPackage
    {
        public string Name => "ua-profile";

        public int MinExpires => 60;

        public int MaxExpires => 86400;

        public int DefaultExpires => 86400;

        public string Url { get; set; } = "http://10.0.0.9/profiles/001122334455.xml";

        public string? Inline { get; set; }

        public List<NotifierSubscription> Seen { get; } = [];

        public SubscriptionDecision Authorize(NotifierSubscription subscription)
        {
            Seen.Add(subscription);
            return SubscriptionDecision.Active;
        }

        public EventBody? GetState(NotifierSubscription subscription)
        {
            if (Inline is not null) return new EventBody("application/xml", Encoding.UTF8.GetBytes(Inline));
            // RFC 4483 §5 content indirection: parameters on the Content-Type, the referenced type inside.
            return new EventBody($"message/external-body;access-type=\"URL\";expiration=\"Mon, 24 June 2030 09:00:00 GMT\";URL=\"{Url}\";size=4242",
                "Content-Type: application/xml\r\nContent-ID: <p1@10.0.0.9>\r\n\r\n"u8.ToArray());
        }
    }

    [TestCase(0.0, 1301)]
    [TestCase(0.2, 1302)]
    public void StartUpSubscriptionGetsTheUrlAndEveryUpdate(double loss, int seed)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        var phone = new UaNode(net, "10.0.0.1:5060", "phone");
        var server = new UaNode(net, "10.0.0.9:5060", "prov");
        var package = new ProfilePackage();
        server.Core.AddEventPackage(package);
        var client = new UaProfileClient(phone.Core, new UaProfileOptions
        {
            TargetUri = $"sip:001122334455@{server.HostPort}", Destination = server.Address, Vendor = "Acme Phones", Model = "X1", Version = "2.4.1",
        });
        var updates = new List<UaProfileUpdate>();
        client.Updated += updates.Add;
        Assert.That(client.Start(), Is.True);
        Assert.That(client.Start(), Is.False);
        net.RunFor(TimeSpan.FromSeconds(30));
        string subscribe = Encoding.UTF8.GetString(net.Sent.First(p => Encoding.UTF8.GetString(p.Data).StartsWith("SUBSCRIBE ", StringComparison.Ordinal)).Data);
        Assert.That(subscribe, Does.Contain("\r\nEvent: ua-profile;profile-type=device;vendor=\"Acme Phones\";model=X1;version=2.4.1\r\n"));
        Assert.That(subscribe, Does.Contain("\r\nAccept: message/external-body, application/xml, text/plain\r\n"));
        NotifierSubscription ns = package.Seen.Single();
        Assert.That(ns.Event.GetParameter("vendor"), Is.EqualTo("Acme Phones"));
        Assert.That(updates.Single(), Is.EqualTo(new UaProfileUpdate("http://10.0.0.9/profiles/001122334455.xml", "application/xml", default, "Mon, 24 June 2030 09:00:00 GMT", 4242, null)));
        // The server moves the profile: the phone hears of it.
        package.Url = "http://10.0.0.9/profiles/v2/001122334455.xml";
        server.Core.NotifyAll("ua-profile");
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(updates.Last().Url, Is.EqualTo(package.Url));
        // An inline profile.
        package.Inline = "<profile><proxy>10.0.0.9</proxy></profile>";
        server.Core.NotifyAll("ua-profile");
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(updates.Last().Url, Is.Null);
        Assert.That(updates.Last().ContentType, Is.EqualTo("application/xml"));
        Assert.That(Encoding.UTF8.GetString(updates.Last().Content.Span), Is.EqualTo(package.Inline));
        Assert.That(client.Current, Is.SameAs(updates.Last()));
        Assert.That(updates, Has.Count.EqualTo(3));
        Assert.That(client.Stop(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(30));
        Assert.That(client.Subscription!.State, Is.EqualTo(SubscriptionState.Terminated));
    }

    [TestCase("message/external-body;access-type=\"anon-ftp\";site=\"ftp.example.test\";name=\"p.xml\"", "not URL")]
    [TestCase("message/external-body;access-type=URL", "without a usable URL")]
    [TestCase("message/external-body;access-type=URL;URL=\"not a url\"", "without a usable URL")]
    [TestCase("message/external-body;access-type=\"URL", "malformed Content-Type")]
    public void UnusableExternalBodiesAreReported(string contentType, string problem)
    {
        UaProfileUpdate u = UaProfileClient.Interpret(contentType, "Content-Type: application/xml\r\n\r\n"u8.ToArray());
        Assert.That(u.Url, Is.Null);
        Assert.That(u.Problem, Does.Contain(problem));
    }

    [Test]
    public void BadOptionsAreRefused()
    {
        var net = new SimNetwork(1303);
        var phone = new UaNode(net, "10.0.0.1:5060", "phone");
        Assert.Throws<ArgumentException>(() => new UaProfileClient(phone.Core, new UaProfileOptions { TargetUri = "sip:a@b", Destination = phone.Address, ProfileType = "toaster" }));
        Assert.Throws<ArgumentException>(() => new UaProfileClient(phone.Core, new UaProfileOptions { TargetUri = "sip:a@b", Destination = phone.Address, Vendor = "a\"b" }));
    }
}
