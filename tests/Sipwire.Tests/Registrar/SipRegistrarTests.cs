// The registrar against RFC 3261 §10.3 step by step, RFC 3327 Path, RFC 5627 GRUU and the RFC 4475 registrar vectors.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Tests.Sip;

namespace Sipwire.Tests.Registrar;

[TestFixture]
public sealed class SipRegistrarTests
{
    private static RegistrarResponse Vector(string file, bool auth, out RegistrarHarness h)
    {
        // The RFC 4475 registrar vectors register at example.com.
        h = new RegistrarHarness(auth, domain: "example.com");
        return h.Registrar.Process(RegistrarHarness.Parse(SipVectors.Read(file)), RegistrarHarness.Source, h.NowMs, RegistrarHarness.Epoch);
    }

    private static int ParseError(byte[] request)
    {
        SipParseResult r = SipParser.Parse(request.AsMemory(), SipFraming.Datagram, new SipMessage());
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Invalid));
        return SipErrors.ToStatusCode(r.Error);
    }

    private static string Text(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    [Test]
    public void Rfc4475_unksm2_NonSipToIs400()
    {
        // RFC 4475 §3.3.4: To isbn:... is not a SIP address-of-record; a registrar rejects with 400, before authentication.
        RegistrarResponse r = Vector("rfc4475/unksm2.dat", auth: true, out RegistrarHarness h);
        Assert.That(r.StatusCode, Is.EqualTo(400));
        Assert.That(r.Reason, Does.Contain("Address-of-Record"));
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void Rfc4475_regaut01_UnknownSchemeGetsDigestChallenge()
    {
        // RFC 4475 §3.3.7: credentials of an unknown scheme; the registrar challenges with a scheme it knows.
        RegistrarResponse r = Vector("rfc4475/regaut01.dat", auth: true, out RegistrarHarness h);
        Assert.That(r.StatusCode, Is.EqualTo(401));
        Assert.That(DigestChallenge.TryParse(r.GetHeader("WWW-Authenticate")!, out DigestChallenge? c, out _), Is.True);
        Assert.That(c!.Realm, Is.EqualTo("example.com"));
        Assert.That(c.Stale, Is.False);
        Assert.That(r.Verdict, Is.Null, "the unknown scheme is not judged as Digest");
        Assert.That(h.Location.AddressOfRecordCount, Is.Zero);
    }

    [TestCase("rfc4475/cparam01.dat", "sip:watson@example.com", "sip:+19725552222@gw1.example.net", ";unknownparam")]
    [TestCase("rfc4475/cparam02.dat", "sip:watson@example.com", "sip:+19725552222@gw1.example.net;unknownparam", "")]
    [TestCase("rfc4475/regescrt.dat", "sip:user@example.com", "sip:user@example.com?Route=%3Csip:sip.example.com%3E", "")]
    public void Rfc4475_ContactParameterVersusUriParameter(string file, string aor, string contact, string headerParams)
    {
        // RFC 4475 §3.3.12-14: without <> a parameter belongs to the Contact header; inside <> to the URI; the
        // escaped ?Route= header is part of the registered URI.
        RegistrarResponse r = Vector(file, auth: false, out RegistrarHarness h);
        Assert.That(r.StatusCode, Is.EqualTo(200), r.Reason);
        var list = new List<LocationBinding>();
        h.Location.Lookup(aor, h.NowMs, list);
        Assert.That(list, Has.Count.EqualTo(1));
        Assert.That(list[0].ContactText, Is.EqualTo(contact));
        Assert.That(Text(list[0].ContactParameters), Is.EqualTo(headerParams));
        Assert.That(r.GetHeader("Contact"), Is.EqualTo($"<{contact}>;expires=3600{headerParams}"));
        // The 200 parses and its Contact URI round-trips.
        SipMessage ok = RegistrarHarness.Written(r, SipVectors.Read(file));
        Assert.That(Text(ok.Contact.Uri), Is.EqualTo(contact));
    }

    [Test]
    public void AuthenticatedRegistrationListsContactsWithExpiresAndDate()
    {
        var h = new RegistrarHarness();
        string[] headers = ["Contact: <sip:alice@192.0.2.1:5062>;expires=600"];
        RegistrarResponse r = h.RegisterWithAuth("alice", "wonderland", headers);
        Assert.That(r.StatusCode, Is.EqualTo(200), r.Reason);
        Assert.That(r.User, Is.EqualTo("alice"));
        Assert.That(r.Verdict, Is.EqualTo(DigestVerdict.Ok));
        Assert.That(r.GetHeader("Contact"), Is.EqualTo("<sip:alice@192.0.2.1:5062>;expires=600"));
        Assert.That(r.GetHeader("Date"), Is.EqualTo("Fri, 02 Jan 2026 03:04:05 GMT"));
        Assert.That(h.Contacts(), Is.EqualTo(new[] { "sip:alice@192.0.2.1:5062" }));
        var list = new List<LocationBinding>();
        h.Location.Lookup("sip:alice@example.test", h.NowMs, list);
        Assert.That(Text(list[0].Received), Is.EqualTo("udp:192.0.2.1:5062"));

        byte[] request = h.Register("alice", headers);
        SipMessage written = RegistrarHarness.Written(r, request);
        Assert.That(written.StatusCode, Is.EqualTo(200));
        Assert.That(written.To.HasTag, Is.True, "§8.2.6.2: the registrar adds a To tag");
        Assert.That(Text(written.TopVia.Received), Is.EqualTo("192.0.2.1").Or.Empty);
        Assert.That(Text(written.TopVia.Value), Does.Contain("rport=5062"));
        Assert.That(written.Contact.Expires, Is.EqualTo(600));

        // Later the remaining interval is reported, rounded up.
        h.NowMs += 100_500;
        RegistrarResponse q = h.RegisterWithAuth("alice", "wonderland", []);
        Assert.That(q.GetHeader("Contact"), Is.EqualTo("<sip:alice@192.0.2.1:5062>;expires=500"));
    }

    [Test]
    public void ExpiresComesFromContactThenHeaderThenDefaultAndIsClamped()
    {
        var h = new RegistrarHarness(auth: false);
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=120", "Expires: 900"])).GetHeader("Contact"),
            Is.EqualTo("<sip:a@192.0.2.1>;expires=120"));
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>", "Expires: 900"])).GetHeader("Contact"),
            Is.EqualTo("<sip:a@192.0.2.1>;expires=900"));
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>"])).GetHeader("Contact"),
            Is.EqualTo("<sip:a@192.0.2.1>;expires=3600"));
        // §10.3 step 7: "The registrar MAY shorten the interval" - to MaxExpires.
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=4294967295"])).GetHeader("Contact"),
            Is.EqualTo("<sip:a@192.0.2.1>;expires=3600"));
        // A malformed contact expires never reaches the registrar: the parser answers 400 (Malformed Contact).
        Assert.That(ParseError(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=soon"])), Is.EqualTo(400));
    }

    [Test]
    public void TooBriefIntervalIs423WithMinExpiresAndChangesNothing()
    {
        var h = new RegistrarHarness(auth: false);
        h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=300"]));
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=300", "Contact: <sip:b@192.0.2.2>;expires=30"]));
        Assert.That(r.StatusCode, Is.EqualTo(423));
        Assert.That(r.GetHeader("Min-Expires"), Is.EqualTo("60"));
        Assert.That(h.Contacts(), Is.EqualTo(new[] { "sip:a@192.0.2.1" }));
        // Zero is a removal, never "too brief".
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=0"])).StatusCode, Is.EqualTo(200));
        Assert.That(h.Contacts(), Is.Empty);
    }

    [Test]
    public void WildcardNeedsExpiresZeroAndNoOtherContact()
    {
        var h = new RegistrarHarness(auth: false);
        h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>", "Contact: <sip:b@192.0.2.2>"]));
        Assert.That(h.Process(h.Register("alice", ["Contact: *"])).StatusCode, Is.EqualTo(400));
        Assert.That(h.Process(h.Register("alice", ["Contact: *", "Expires: 60"])).StatusCode, Is.EqualTo(400));
        Assert.That(h.Process(h.Register("alice", ["Contact: *", "Contact: <sip:c@192.0.2.3>", "Expires: 0"])).StatusCode, Is.EqualTo(400));
        Assert.That(h.Contacts(), Has.Length.EqualTo(2));
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: *", "Expires: 0"]));
        Assert.That(r.StatusCode, Is.EqualTo(200));
        Assert.That(r.GetHeader("Contact"), Is.Null);
        Assert.That(h.Contacts(), Is.Empty);
    }

    [Test]
    public void SameCallIdWithCSeqNotHigherFails()
    {
        var h = new RegistrarHarness(auth: false);
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=300"], cseq: 10)).StatusCode, Is.EqualTo(200));
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=0"], cseq: 9));
        Assert.That(r.StatusCode, Is.EqualTo(500));
        Assert.That(r.Reason, Does.Contain("Out Of Order"));
        Assert.That(h.Process(h.Register("alice", ["Contact: *", "Expires: 0"], cseq: 10)).StatusCode, Is.EqualTo(500));
        Assert.That(h.Contacts(), Has.Length.EqualTo(1));
        // Another Call-ID (a rebooted UA) may restart at 1.
        h.CallId = "reboot@192.0.2.1";
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=0"], cseq: 1)).StatusCode, Is.EqualTo(200));
        Assert.That(h.Contacts(), Is.Empty);
    }

    [Test]
    public void OkListsContactsByQWithTheirParameters()
    {
        var h = new RegistrarHarness(auth: false);
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:low@192.0.2.1>;q=0.1, <sip:high@192.0.2.2>;q=0.9;+sip.foo", "Contact: <sip:none@192.0.2.3>"]));
        Assert.That(r.StatusCode, Is.EqualTo(200));
        string[] contacts = r.Headers.Where(x => x.Key == "Contact").Select(x => x.Value).ToArray();
        Assert.That(contacts, Is.EqualTo(new[]
        {
            "<sip:none@192.0.2.3>;expires=3600", "<sip:high@192.0.2.2>;expires=3600;q=0.9;+sip.foo", "<sip:low@192.0.2.1>;expires=3600;q=0.1",
        }));
        // q above 1 (§25.1 qvalue) is rejected by the parser with 400 before the registrar sees it.
        Assert.That(ParseError(h.Register("alice", ["Contact: <sip:x@192.0.2.1>", "Contact: <sip:y@192.0.2.1>;q=1.5"])), Is.EqualTo(400));
    }

    [Test]
    public void QueryWithoutContactListsBindings()
    {
        var h = new RegistrarHarness(auth: false);
        h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;expires=300"]));
        RegistrarResponse r = h.Process(h.Register("alice", []));
        Assert.That(r.StatusCode, Is.EqualTo(200));
        Assert.That(r.GetHeader("Contact"), Is.EqualTo("<sip:a@192.0.2.1>;expires=300"));
    }

    [Test]
    public void PathIsStoredAndReturnedWhenSupported()
    {
        // RFC 3327 §5.3.
        var h = new RegistrarHarness(auth: false);
        RegistrarResponse r = h.Process(h.Register("alice", ["Path: <sip:p1.example.test;lr>", "Path: <sip:p2.example.test;lr>", "Supported: path", "Contact: <sip:a@192.0.2.1>"]));
        Assert.That(r.StatusCode, Is.EqualTo(200));
        Assert.That(r.GetHeader("Path"), Is.EqualTo("<sip:p1.example.test;lr>, <sip:p2.example.test;lr>"));
        Assert.That(r.GetHeader("Supported"), Does.Contain("path"));
        var list = new List<LocationBinding>();
        h.Location.Lookup("sip:alice@example.test", h.NowMs, list);
        Assert.That(Text(list[0].Path), Is.EqualTo("<sip:p1.example.test;lr>, <sip:p2.example.test;lr>"));
        // Without Supported: path the Path is still stored but not echoed.
        RegistrarResponse r2 = h.Process(h.Register("alice", ["Path: <sip:p3.example.test;lr>", "Contact: <sip:a@192.0.2.1>"]));
        Assert.That(r2.GetHeader("Path"), Is.Null);
        Assert.That(h.Process(h.Register("alice", ["Path: <sip:p3.example.test;lr", "Contact: <sip:a@192.0.2.1>"])).StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void GruuSupportGivesPublicGruu()
    {
        // RFC 5627 §3.1 / §5: pub-gruu = AoR;gr=<instance ID without angle brackets>.
        var h = new RegistrarHarness(auth: false);
        const string instance = "+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"";
        RegistrarResponse r = h.Process(h.Register("alice", ["Supported: gruu", $"Contact: <sip:a@192.0.2.1>;{instance}"]));
        Assert.That(r.StatusCode, Is.EqualTo(200));
        Assert.That(r.GetHeader("Contact"), Does.Match(
            $"^<sip:a@192\\.0\\.2\\.1>;expires=3600;{Regex.Escape(instance)};pub-gruu=\"sip:alice@example\\.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""
            + ";temp-gruu=\"sip:tgruu\\.[A-Za-z0-9_-]+@example\\.test;gr\"$"));
        RegistrarResponse plain = h.Process(h.Register("alice", [$"Contact: <sip:a@192.0.2.1>;{instance}"]));
        Assert.That(plain.GetHeader("Contact"), Does.Not.Contain("pub-gruu"));
        Assert.That(plain.GetHeader("Contact"), Does.Not.Contain("temp-gruu"));
    }

    [Test]
    public void InstanceAndRegIdReplaceAChangedContact()
    {
        // RFC 5626 §6: after a NAT rebinding the same instance/reg-id flow replaces the old contact.
        var h = new RegistrarHarness(auth: false);
        const string inst = ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1";
        h.Process(h.Register("alice", [$"Contact: <sip:a@192.0.2.1:5062>{inst}"]));
        h.Process(h.Register("alice", [$"Contact: <sip:a@198.51.100.9:40001>{inst}"]));
        Assert.That(h.Contacts(), Is.EqualTo(new[] { "sip:a@198.51.100.9:40001" }));
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>;+sip.instance=\"<urn:x>\";reg-id=0"])).StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void RequireWithUnknownTagIs420()
    {
        var h = new RegistrarHarness(auth: false);
        RegistrarResponse r = h.Process(h.Register("alice", ["Require: path, foo, bar", "Contact: <sip:a@192.0.2.1>"]));
        Assert.That(r.StatusCode, Is.EqualTo(420));
        Assert.That(r.GetHeader("Unsupported"), Is.EqualTo("foo, bar"));
        Assert.That(h.Process(h.Register("alice", ["Require: path", "Supported: path", "Contact: <sip:a@192.0.2.1>"])).StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void OtherDomainsAreNotServed()
    {
        var h = new RegistrarHarness(auth: false);
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>"], requestUri: "sip:elsewhere.test"));
        Assert.That(r.StatusCode, Is.EqualTo(404));
        Assert.That(r.NotForThisDomain, Is.True);
        // Step 5: the AoR's domain must be the Request-URI's.
        var h2 = new RegistrarHarness(auth: false, options: new RegistrarOptions { Domains = ["example.test", "other.test"], RequireAuthentication = false });
        RegistrarResponse r2 = h2.Process(h2.Register("alice", ["Contact: <sip:a@192.0.2.1>"], requestUri: "sip:other.test"));
        Assert.That(r2.StatusCode, Is.EqualTo(404));
        Assert.That(r2.NotForThisDomain, Is.False);
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>"], requestUri: "tel:+1555")).StatusCode, Is.EqualTo(416));
    }

    [Test]
    public void UnknownAddressOfRecordIs404()
    {
        var h = new RegistrarHarness(auth: false, options: new RegistrarOptions
        {
            Domains = [RegistrarHarness.Domain], RequireAuthentication = false, AddressOfRecordExists = aor => aor == "sip:alice@example.test",
        });
        Assert.That(h.Process(h.Register("carol", ["Contact: <sip:c@192.0.2.1>"])).StatusCode, Is.EqualTo(404));
        Assert.That(h.Process(h.Register("alice", ["Contact: <sip:a@192.0.2.1>"])).StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void CanonicalAddressOfRecordDropsParametersAndEscapes()
    {
        // RFC 3261 §10.3 step 5.
        Assert.That(SipUri.TryParse("sip:%61lice@EXAMPLE.test;user=phone?X=1", out SipUri? u), Is.True);
        Assert.That(SipRegistrar.Canonical(u!), Is.EqualTo("sip:alice@example.test"));
    }

    [Test]
    public void StaleNonceGetsStaleTrue()
    {
        var h = new RegistrarHarness();
        string[] headers = ["Contact: <sip:alice@192.0.2.1:5062>"];
        RegistrarResponse first = h.Process(h.Register("alice", headers));
        string credentials = RegistrarHarness.Answer(first, "alice", "wonderland");
        h.NowMs += 31_000;
        RegistrarResponse r = h.Process(h.Register("alice", headers, credentials));
        Assert.That(r.StatusCode, Is.EqualTo(401));
        Assert.That(r.Verdict, Is.EqualTo(DigestVerdict.StaleNonce));
        Assert.That(DigestChallenge.TryParse(r.GetHeader("WWW-Authenticate")!, out DigestChallenge? c, out _), Is.True);
        Assert.That(c!.Stale, Is.True);
        Assert.That(h.Contacts(), Is.Empty);
    }

    [Test]
    public void AuthenticationIsOnByDefault()
    {
        var options = new RegistrarOptions { Domains = ["example.test"] };
        Assert.That(options.RequireAuthentication, Is.True);
        Assert.Throws<ArgumentException>(() => _ = new SipRegistrar(options, new InMemoryLocationService()));
        Assert.Throws<ArgumentException>(() => _ = new SipRegistrar(new RegistrarOptions { Domains = [] , RequireAuthentication = false }, new InMemoryLocationService()));
    }

    [Test]
    public void WriteReportsATooSmallBuffer()
    {
        var h = new RegistrarHarness(auth: false);
        byte[] request = h.Register("alice", ["Contact: <sip:a@192.0.2.1>"]);
        RegistrarResponse r = h.Process(request);
        Assert.That(r.Write(RegistrarHarness.Parse(request), RegistrarHarness.Source, new byte[64]), Is.EqualTo(-1));
    }

    [Test]
    public void NonRegisterIs405()
    {
        var h = new RegistrarHarness(auth: false);
        byte[] options = Encoding.ASCII.GetBytes("OPTIONS sip:example.test SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@example.test>;tag=1\r\nTo: <sip:a@example.test>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        RegistrarResponse r = h.Process(options);
        Assert.That(r.StatusCode, Is.EqualTo(405));
        Assert.That(r.GetHeader("Allow"), Is.EqualTo("REGISTER"));
    }
}
