// Several contacts in one client registration (RFC 3261 §10.2.1, §10.2.4), against the real SipRegistrar over the simulated network.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class RegistrationContactsTests
{
    private const long Second = 1_000_000;
    private const string Desk = "sip:alice@10.0.0.1:5060";
    private const string Mobile = "sip:alice@10.0.0.1:5070;transport=tcp";
    private const string Instance = "<urn:uuid:00000000-0000-1000-8000-0000000000a1>";

    [Test]
    public void TwoContactsWithDifferentQGoInOneRegisterAndAreRefreshedAtHalfTheSmallerGrant()
    {
        var net = new SimNetwork(601);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var ua = new UaNode(net, "10.0.0.1:5060");
        // Desk asks for 3000 s (refreshed 600 s early on its own), Mobile for 600 s (half-way): the 600 s grant rules.
        Registration r = Register(ua, registrar.Address, expires: 3000,
            new RegistrationContact(Desk) { QMillis = 1000 },
            new RegistrationContact(Mobile) { QMillis = 500, Expires = 600 });
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(700));

        Assert.That(events.Select(e => e.Event.Kind), Is.All.EqualTo(RegistrationEventKind.Registered), string.Join("\n", events));
        long[] at = events.Select(e => (e.At - events[0].At + Second / 2) / Second).ToArray();
        Assert.That(at, Is.EqualTo(new long[] { 0, 300, 600 }), "§10.2.4: refreshed before the shorter binding lapses");
        Assert.That(events.Select(e => e.Event.Expires), Is.All.EqualTo(600));
        Assert.That(r.GrantedExpires, Is.EqualTo(600));

        // One REGISTER per attempt carries both Contact header fields (§10.2.1), q as a qvalue (§20.10).
        string first200 = registrar.Requests.First(q => q.Status == 200).Text;
        Assert.That(Regex.Matches(first200, "^Contact:", RegexOptions.Multiline), Has.Count.EqualTo(2), first200);
        Assert.That(first200, Does.Contain($"Contact: <{Desk}>;q=1;expires=3000\r\n"));
        Assert.That(first200, Does.Contain($"Contact: <{Mobile}>;q=0.5;expires=600\r\n"));
        Assert.That(registrar.Requests.Select(q => q.Status).ToArray(), Is.EqualTo(new[] { 401, 200, 401, 200, 401, 200 }), "one REGISTER per refresh, not one per contact");
        Assert.That(registrar.Contacts("alice"), Is.EquivalentTo(new[] { Desk, Mobile }));

        RegistrationBinding[] bindings = events[0].Event.Bindings.ToArray();
        Assert.That(bindings, Has.Length.EqualTo(2));
        Assert.That(bindings.All(b => b.IsOurs), Is.True);
        RegistrationBinding desk = bindings.Single(b => b.Uri == Desk);
        RegistrationBinding mobile = bindings.Single(b => b.Uri == Mobile);
        Assert.That((desk.Expires, desk.QMillis), Is.EqualTo((3000, 1000)));
        Assert.That((mobile.Expires, mobile.QMillis), Is.EqualTo((600, 500)));
        Assert.That(r.Bindings, Is.EqualTo(events[^1].Event.Bindings));
    }

    [Test]
    public void AnotherDevicesBindingIsListedButNotCountedAsOurs()
    {
        var net = new SimNetwork(602);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var other = new UaNode(net, "10.0.0.2:5060");
        other.Register(registrar.Address, "alice", "wonderland", expires: 120);
        net.RunFor(TimeSpan.FromSeconds(5));
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = Register(ua, registrar.Address, expires: 600,
            new RegistrationContact(Desk) { InstanceId = Instance },
            new RegistrationContact(Mobile) { QMillis = 100 });
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(5));

        RegistrationEvent e = events.Single().Event;
        Assert.That(e.Kind, Is.EqualTo(RegistrationEventKind.Registered));
        // The other device's 120 s binding does not shorten our refresh: only our grants count (§10.2.4).
        Assert.That(e.Expires, Is.EqualTo(600));
        Assert.That(r.NextDeadline - events[0].At, Is.EqualTo(300 * Second).Within(Second));
        Assert.That(e.Bindings, Has.Count.EqualTo(3));
        RegistrationBinding also = e.Bindings.Single(b => !b.IsOurs);
        Assert.That(also.Uri, Is.EqualTo("sip:alice@10.0.0.2:5060"));
        Assert.That(also.Expires, Is.InRange(110, 120));
        Assert.That(e.Bindings.Single(b => b.Uri == Desk).InstanceId, Is.EqualTo(Instance), "RFC 5626 §4.2: +sip.instance goes out and comes back");
        Assert.That(registrar.Requests.Last().Text, Does.Contain($"Contact: <{Desk}>;expires=600;+sip.instance=\"{Instance}\"\r\n"));
    }

    [Test]
    public void UnregisterRemovesOnlyOurContactsAndLeavesTheOtherDevice()
    {
        var net = new SimNetwork(603);
        var registrar = new RegistrarNode(net, "10.0.0.9:5060");
        var other = new UaNode(net, "10.0.0.2:5060");
        other.Register(registrar.Address, "alice", "wonderland");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = Register(ua, registrar.Address, expires: 600, new RegistrationContact(Desk), new RegistrationContact(Mobile));
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(registrar.Contacts("alice"), Has.Length.EqualTo(3));

        r.Stop();
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(registrar.Contacts("alice"), Is.EqualTo(new[] { "sip:alice@10.0.0.2:5060" }));
        string unregister = registrar.Requests.Last().Text;
        // §10.2.2: each of our contacts at expires=0; "*" would remove the other device as well.
        Assert.That(unregister, Does.Contain($"Contact: <{Desk}>;expires=0\r\n").And.Contain($"Contact: <{Mobile}>;expires=0\r\n"));
        Assert.That(unregister, Does.Not.Contain("Contact: *"));
        RegistrationEvent last = events[^1].Event;
        Assert.That((last.Kind, last.StatusCode), Is.EqualTo((RegistrationEventKind.Unregistered, 200)));
        Assert.That(last.Bindings.Select(b => (b.Uri, b.IsOurs)), Is.EqualTo(new[] { ("sip:alice@10.0.0.2:5060", false) }));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Stopped));
    }

    [Test]
    public void DroppedContactRaisesAnEventAndIsRegisteredAgainAtOnce()
    {
        var net = new SimNetwork(604);
        var registrar = new ContactDroppingRegistrarNode(net, "10.0.0.9:5060") { Drop = Mobile, DropsLeft = 1 };
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = Register(ua, registrar.Address, expires: 600, new RegistrationContact(Desk), new RegistrationContact(Mobile));
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(5));

        Assert.That(events.Select(e => e.Event.Kind), Is.EqualTo(new[]
        {
            RegistrationEventKind.Registered, RegistrationEventKind.ContactDropped, RegistrationEventKind.Registered,
        }), string.Join("\n", events));
        Assert.That(events[0].Event.Bindings.Select(b => b.Uri), Is.EqualTo(new[] { Desk }));
        RegistrationEvent dropped = events[1].Event;
        Assert.That(dropped.Contact, Is.EqualTo(Mobile));
        Assert.That(dropped.StatusCode, Is.EqualTo(200));
        Assert.That(dropped.RetryIn, Is.EqualTo(TimeSpan.Zero));
        Assert.That(dropped.ToString(), Does.Contain("ContactDropped").And.Contain(Mobile));
        Assert.That(events[2].Event.Bindings.Select(b => b.Uri), Is.EquivalentTo(new[] { Desk, Mobile }));
        Assert.That(events[2].At - events[1].At, Is.LessThan(Second), "re-REGISTER at once");
        Assert.That(registrar.Answers.Select(a => a.Status).ToArray(), Is.EqualTo(new[] { 401, 200, 200 }));
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));
        // Back on the normal refresh: half of 600 s after the complete 2xx.
        Assert.That(r.NextDeadline - events[2].At, Is.EqualTo(300 * Second).Within(Second));
    }

    [Test]
    public void RegistrarThatKeepsDroppingAContactGetsBackOffNotALoop()
    {
        var net = new SimNetwork(605);
        var registrar = new ContactDroppingRegistrarNode(net, "10.0.0.9:5060") { Drop = Mobile };
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = Register(ua, registrar.Address, expires: 3600, new RegistrationContact(Desk), new RegistrationContact(Mobile));
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(600));

        RegistrationEvent[] drops = events.Select(e => e.Event).Where(e => e.Kind == RegistrationEventKind.ContactDropped).ToArray();
        Assert.That(drops, Has.Length.InRange(3, 7), string.Join("\n", events));
        Assert.That(drops[0].RetryIn, Is.EqualTo(TimeSpan.Zero));
        // RFC 5626 §4.5 with base 30 s: 50..100 % of min(1800, 30 * 2^n) s after the n-th drop in a row.
        for (int i = 1; i < drops.Length; i++)
        {
            double cap = Math.Min(1800, 30 * Math.Pow(2, i));
            Assert.That(drops[i].RetryIn.TotalSeconds, Is.InRange(cap / 2, cap), $"drop {i + 1}");
        }
        Assert.That(events.Count(e => e.Event.Kind == RegistrationEventKind.Failed), Is.Zero, "Desk stays registered meanwhile");
        Assert.That(r.State, Is.EqualTo(RegistrationState.Registered));

        // Once the registrar keeps it again, the next attempt completes and the back-off ends.
        registrar.Drop = null;
        net.RunFor(TimeSpan.FromSeconds(600));
        RegistrationEvent last = events[^1].Event;
        Assert.That(last.Kind, Is.EqualTo(RegistrationEventKind.Registered));
        Assert.That(last.Bindings.Select(b => b.Uri), Is.EquivalentTo(new[] { Desk, Mobile }));
        Assert.That(r.NextDeadline - events[^1].At, Is.EqualTo(3000 * Second).Within(Second));
    }

    [Test]
    public void NoneOfOurContactsListedIsAFailureWithBackOff()
    {
        var net = new SimNetwork(606);
        var registrar = new ContactDroppingRegistrarNode(net, "10.0.0.9:5060") { Drop = Desk };
        var other = new UaNode(net, "10.0.0.2:5060");
        other.Register(registrar.Address, "alice", "wonderland");
        var ua = new UaNode(net, "10.0.0.1:5060");
        Registration r = Register(ua, registrar.Address, expires: 600, new RegistrationContact(Desk));
        var events = Record(r, net);
        net.RunFor(TimeSpan.FromSeconds(5));
        // The 2xx lists the other device only (§10.2.4): our one contact was not kept.
        RegistrationEvent e = events.Single().Event;
        Assert.That((e.Kind, e.StatusCode), Is.EqualTo((RegistrationEventKind.Failed, 200)));
        Assert.That(e.Bindings.Select(b => (b.Uri, b.IsOurs)), Is.EqualTo(new[] { ("sip:alice@10.0.0.2:5060", false) }));
        Assert.That(e.Reason, Does.Contain("not among the bindings"));
        Assert.That(e.RetryIn, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(r.State, Is.EqualTo(RegistrationState.RetryWait));
    }

    [Test]
    public void InvalidContactListsAreRefusedWithTheReason()
    {
        var net = new SimNetwork(607);
        var ua = new UaNode(net, "10.0.0.1:5060");
        PeerAddress to = PeerAddress.Parse(TransportProtocol.Udp, "10.0.0.9:5060");
        Assert.That(() => Register(ua, to, 600, new RegistrationContact("sip:alice@Host.test"), new RegistrationContact("sip:alice@host.TEST")),
            Throws.ArgumentException.With.Message.Contains("§19.1.4"));
        Assert.That(() => Register(ua, to, 600, new RegistrationContact(Desk) { QMillis = 1001 }), Throws.ArgumentException.With.Message.Contains("QMillis"));
        Assert.That(() => Register(ua, to, 600, new RegistrationContact(Desk) { Expires = 0 }), Throws.ArgumentException.With.Message.Contains("Expires"));
        Assert.That(() => Register(ua, to, 600, new RegistrationContact("sip:a@h>\r\nX: y")), Throws.ArgumentException);
        Assert.That(() => Register(ua, to, 600, new RegistrationContact(Desk) { InstanceId = Instance, RegId = 1 }, new RegistrationContact(Mobile) { InstanceId = Instance, RegId = 1 }),
            Throws.ArgumentException.With.Message.Contains("RFC 5626 §4.2"));
        Assert.That(() => ua.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            ContactUri = Desk,
            Contacts = [new RegistrationContact(Mobile)],
            Destination = to,
            LocalSentBy = "10.0.0.1:5060",
        }), Throws.ArgumentException.With.Message.Contains("not both"));
        Assert.That(() => ua.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            Destination = to,
            LocalSentBy = "10.0.0.1:5060",
        }), Throws.ArgumentException.With.Message.Contains("contact is required"));
    }

    [TestCase(1000, "1")]
    [TestCase(500, "0.5")]
    [TestCase(125, "0.125")]
    [TestCase(50, "0.05")]
    [TestCase(0, "0")]
    public void QValueIsWrittenAsAnRfc3261QValue(int millis, string text) =>
        Assert.That(new RegistrationContact(Desk) { QMillis = millis }.QText, Is.EqualTo(text));

    private static Registration Register(UaNode ua, PeerAddress registrar, int expires, params RegistrationContact[] contacts) =>
        ua.Core.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = "sip:alice@example.test",
            Contacts = contacts,
            Destination = registrar,
            LocalSentBy = "10.0.0.1:5060",
            Expires = expires,
            Credentials = [new SipCredentials("alice", "wonderland")],
        }, new Random(3));

    private static List<(long At, RegistrationEvent Event)> Record(Registration r, SimNetwork net)
    {
        var list = new List<(long At, RegistrationEvent Event)>();
        r.Changed += e => list.Add((net.Clock.NowMicros, e));
        r.Start();
        return list;
    }
}
