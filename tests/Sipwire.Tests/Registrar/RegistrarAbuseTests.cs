// Abuse of the registrar: no credentials, replayed credentials, hijacking, contact and expires floods, a full table.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;

namespace Sipwire.Tests.Registrar;

[TestFixture]
public sealed class RegistrarAbuseTests
{
    [Test]
    public void RegistrationWithoutCredentialsIs401AndStoresNothing()
    {
        var h = new RegistrarHarness();
        for (int i = 0; i < 5; i++)
        {
            RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:mallory@203.0.113.66>"]));
            Assert.That(r.StatusCode, Is.EqualTo(401));
            Assert.That(r.GetHeader("WWW-Authenticate"), Does.StartWith("Digest "));
        }
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void ReplayedAuthorizationIsRejected()
    {
        // RFC 7616 §3.4 nonce-count: a captured REGISTER replayed verbatim (even with a new CSeq) must not rebind.
        var h = new RegistrarHarness();
        string[] headers = ["Contact: <sip:alice@192.0.2.1:5062>;expires=600"];
        RegistrarResponse first = h.Process(h.Register("alice", headers));
        string credentials = RegistrarHarness.Answer(first, "alice", "wonderland");
        Assert.That(h.Process(h.Register("alice", headers, credentials)).StatusCode, Is.EqualTo(200));

        string[] hijack = ["Contact: <sip:alice@203.0.113.66:5060>;expires=3600"];
        RegistrarResponse replay = h.Process(h.Register("alice", hijack, credentials));
        Assert.That(replay.StatusCode, Is.EqualTo(401));
        Assert.That(replay.Verdict, Is.EqualTo(DigestVerdict.Replayed));
        Assert.That(replay.GetHeader("WWW-Authenticate"), Does.Not.Contain("stale=true"));
        Assert.That(h.Contacts(), Is.EqualTo(new[] { "sip:alice@192.0.2.1:5062" }));
    }

    [Test]
    public void WrongPasswordAndUnknownUserLookAlike()
    {
        var h = new RegistrarHarness();
        RegistrarResponse wrong = h.RegisterWithAuthExpectingFailure("alice", "guess");
        RegistrarResponse unknown = h.RegisterWithAuthExpectingFailure("mallory", "x", asUser: "mallory");
        Assert.That((wrong.StatusCode, wrong.Reason), Is.EqualTo((unknown.StatusCode, unknown.Reason)));
        Assert.That(wrong.StatusCode, Is.EqualTo(401));
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void HijackWithOwnCredentialsIs403()
    {
        // §10.3 step 4: alice's valid credentials do not let her bind bob's address-of-record.
        var h = new RegistrarHarness();
        RegistrarResponse r = h.RegisterWithAuth("alice", "wonderland", ["Contact: <sip:alice@203.0.113.66>"], asUser: "bob");
        Assert.That(r.StatusCode, Is.EqualTo(403));
        Assert.That(r.User, Is.EqualTo("alice"));
        Assert.That(r.Reason, Does.Contain("alice").And.Contain("sip:bob@example.test"));
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
        // A policy may let an assistant register for another user.
        var delegated = new RegistrarHarness(options: new RegistrarOptions
        {
            Domains = [RegistrarHarness.Domain], Authorize = (user, aor) => user == "alice" || aor == "sip:" + user + "@example.test",
        });
        Assert.That(delegated.RegisterWithAuth("alice", "wonderland", ["Contact: <sip:alice@192.0.2.1>"], asUser: "bob").StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void EscapedLineBreaksInTheAddressCannotInjectHeaders()
    {
        // The canonical AoR unescapes the user part (§10.3 step 5); it shows up in the 403 reason phrase.
        var h = new RegistrarHarness();
        byte[] first = h.Register("bob%0D%0AX-Injected%3A%20yes", ["Contact: <sip:x@192.0.2.1>"]);
        RegistrarResponse challenge = h.Process(first);
        string credentials = RegistrarHarness.Answer(challenge, "alice", "wonderland");
        byte[] second = h.Register("bob%0D%0AX-Injected%3A%20yes", ["Contact: <sip:x@192.0.2.1>"], credentials);
        RegistrarResponse r = h.Process(second);
        Assert.That(r.StatusCode, Is.EqualTo(403));
        Assert.That(r.Reason, Does.Not.Contain("\r").And.Not.Contain("\n"));
        var m = RegistrarHarness.Written(r, second);
        Assert.That(m.IndexOfHeader("X-Injected"u8), Is.EqualTo(-1));
    }

    [Test]
    public void TooManyContactsIs403WithTheLimitAndKeepsTheOldOnes()
    {
        var h = new RegistrarHarness(auth: false, limits: new LocationLimits { MaxBindingsPerAddressOfRecord = 3 });
        var contacts = new List<string>();
        for (int i = 0; i < 3; i++) contacts.Add($"Contact: <sip:a{i}@192.0.2.1>");
        Assert.That(h.Process(h.Register("alice", contacts)).StatusCode, Is.EqualTo(200));
        // One more in a later request.
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a9@192.0.2.1>"]));
        Assert.That(r.StatusCode, Is.EqualTo(403));
        Assert.That(r.Reason, Does.Contain("Too Many Contacts").And.Contain("3"));
        // Many in one request.
        contacts.Add("Contact: <sip:a8@192.0.2.1>");
        Assert.That(h.Process(h.Register("alice", contacts)).StatusCode, Is.EqualTo(403));
        Assert.That(h.Contacts(), Has.Length.EqualTo(3));
    }

    [Test]
    public void ExpiresFloodIsBounded()
    {
        // Very short intervals are refused (423) and never stored; huge ones are cut to MaxExpires, so a flood
        // of registrations cannot pin entries forever.
        var h = new RegistrarHarness(auth: false);
        for (int i = 1; i < 60; i++)
        {
            Assert.That(h.Process(h.Register("alice", [$"Contact: <sip:a{i}@192.0.2.1>;expires={i}"])).StatusCode, Is.EqualTo(423));
        }
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>", "Expires: 99999999999"]));
        Assert.That(r.GetHeader("Contact"), Is.EqualTo("<sip:a@192.0.2.1>;expires=3600"));
        h.NowMs += 3_600_000;
        Assert.That(h.Contacts(), Is.Empty);
    }

    [Test]
    public void FullTableIs503WithRetryAfter()
    {
        var h = new RegistrarHarness(auth: false, limits: new LocationLimits { MaxAddressesOfRecord = 20 });
        for (int i = 0; i < 20; i++)
        {
            Assert.That(h.Process(h.Register($"user{i}", ["Contact: <sip:u@192.0.2.1>"])).StatusCode, Is.EqualTo(200));
        }
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>"]));
        Assert.That(r.StatusCode, Is.EqualTo(503));
        Assert.That(r.GetHeader("Retry-After"), Is.EqualTo("60"));
        // Registered users still refresh.
        Assert.That(h.Process(h.Register("user3", ["Contact: <sip:u@192.0.2.1>"])).StatusCode, Is.EqualTo(200));
    }
}
