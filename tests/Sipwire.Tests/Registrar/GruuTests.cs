// RFC 5627 GRUUs at the registrar: pub-gruu and stateless temp-gruu in the 200 (§5.2), their validity (§3.2) and targeting (§6.1).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Tests.Sip;

namespace Sipwire.Tests.Registrar;

[TestFixture]
public sealed class GruuTests
{
    private const string Instance1 = "<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>";
    private const string Instance2 = "<urn:uuid:00000000-0000-1000-8000-000a95a0e128>";

    private static string Inst(string instance) => $";+sip.instance=\"{instance}\"";

    /// <summary>The pub-gruu and temp-gruu the 200 gives the Contact <paramref name="contactUri"/>.</summary>
    private static (string? Pub, string? Temp) Gruus(RegistrarResponse r, string contactUri)
    {
        Assert.That(r.StatusCode, Is.EqualTo(200));
        foreach (string c in r.GetHeaders("Contact"))
        {
            Assert.That(SipNameAddressHeader.TryParse(Encoding.UTF8.GetBytes(c), out SipNameAddressHeader? h), Is.True, c);
            if (h!.Uri!.ToString() != contactUri) continue;
            return (h.GetParameter("pub-gruu"), h.GetParameter("temp-gruu"));
        }
        Assert.Fail($"no Contact {contactUri} in the 200");
        return default;
    }

    private static GruuLookupResult Find(RegistrarHarness h, string uri, out string[] contacts)
    {
        Assert.That(SipUri.TryParse(uri, out SipUri? target), Is.True, uri);
        var list = new List<LocationBinding>();
        GruuLookupResult result = h.Registrar.Gruus.Find(h.Location, target!, h.NowMs, list, out _);
        contacts = list.Select(b => b.ContactText).ToArray();
        return result;
    }

    private static Dictionary<string, string> Expect(string file)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Path.Combine(SipVectors.Directory, file)))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0) d[line[..colon]] = line[(colon + 2)..];
        }
        return d;
    }

    [Test]
    public void Rfc5627Section9RegisterGetsThePubGruuOfTheRfcAndAnOpaqueTempGruu()
    {
        Dictionary<string, string> expect = Expect("gruu/rfc5627-register-200.kv");
        var h = new RegistrarHarness(auth: false, domain: "example.com");
        SipMessage request = RegistrarHarness.Parse(SipVectors.Read("gruu/rfc5627-register.dat"));
        RegistrarResponse r = h.Registrar.Process(request, RegistrarHarness.Source, h.NowMs, RegistrarHarness.Epoch);
        Assert.That(r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expect["status"]));
        (string? pub, string? temp) = Gruus(r, "sips:callee@192.0.2.1");
        Assert.That(pub, Is.EqualTo(expect["pub-gruu"]));
        Assert.That(temp, Is.Not.Null);
        Assert.That(SipUri.TryParse(temp!, out SipUri? t), Is.True, temp);
        Assert.That(t!.SchemeText, Is.EqualTo(expect["temp-gruu-scheme"]));
        Assert.That(t.Host, Is.EqualTo(expect["temp-gruu-host"]));
        Assert.That(t.Parameters.Select(p => (p.Name, p.Value)), Is.EqualTo(new[] { (expect["temp-gruu-uri-parameter"], (string?)null) }),
            "§3.1.2: gr without a value");
        // §3.1.2: the temp-gruu hides the AoR and the instance.
        Assert.That(temp, Does.Not.Contain("callee").And.Not.Contain("f81d4fae"));

        // §6.1: both reach this instance's contact.
        Assert.That(Find(h, pub!, out string[] viaPub), Is.EqualTo(GruuLookupResult.Found));
        Assert.That(viaPub, Is.EqualTo(new[] { "sips:callee@192.0.2.1" }));
        Assert.That(Find(h, temp!, out string[] viaTemp), Is.EqualTo(GruuLookupResult.Found));
        Assert.That(viaTemp, Is.EqualTo(new[] { "sips:callee@192.0.2.1" }));
        Assert.That(h.Registrar.Gruus.Temporary.TryOpen(t.User!, out string aor, out string instance, out _), Is.True);
        Assert.That((aor, instance), Is.EqualTo((expect["address-of-record"], expect["instance"])));
    }

    [Test]
    public void EveryRefreshGetsANewTempGruuAndAllOfThemStayValidUntilTheCallIdChanges()
    {
        var h = new RegistrarHarness(auth: false);
        string[] headers = ["Supported: gruu", $"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}"];
        var temps = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            (string? pub, string? temp) = Gruus(h.Process(h.Register("alice", headers)), "sip:alice@192.0.2.1");
            Assert.That(pub, Is.EqualTo("sip:alice@example.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), "the pub-gruu never changes");
            temps.Add(temp!);
            h.NowMs += 60_000;
        }
        Assert.That(temps.Distinct().Count(), Is.EqualTo(3), "§5.2: a new temp-gruu for every REGISTER");
        foreach (string temp in temps)
        {
            Assert.That(Find(h, temp, out string[] c), Is.EqualTo(GruuLookupResult.Found), "§3.2: all issued under this Call-ID stay valid");
            Assert.That(c, Is.EqualTo(new[] { "sip:alice@192.0.2.1" }));
        }

        // The UA restarts and registers with another Call-ID: every earlier temp-gruu stops working (§3.2).
        h.CallId = "after-reboot@192.0.2.1";
        (_, string? fresh) = Gruus(h.Process(h.Register("alice", headers)), "sip:alice@192.0.2.1");
        foreach (string temp in temps) Assert.That(Find(h, temp, out _), Is.EqualTo(GruuLookupResult.Invalid));
        Assert.That(Find(h, fresh!, out string[] now), Is.EqualTo(GruuLookupResult.Found));
        Assert.That(now, Is.EqualTo(new[] { "sip:alice@192.0.2.1" }));
        Assert.That(Find(h, "sip:alice@example.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", out _), Is.EqualTo(GruuLookupResult.Found),
            "the pub-gruu survives the new Call-ID");
    }

    [Test]
    public void AGruuReachesOnlyItsOwnInstance()
    {
        var h = new RegistrarHarness(auth: false);
        (string? pub1, string? temp1) = Gruus(h.Process(h.Register("alice", ["Supported: gruu", $"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}"])), "sip:alice@192.0.2.1");
        h.CallId = "desk-phone@198.51.100.7";
        RegistrarResponse second = h.Process(h.Register("alice", ["Supported: gruu", $"Contact: <sip:alice@198.51.100.7>{Inst(Instance2)};q=0.9"]));
        Assert.That(second.GetHeaders("Contact").Count(), Is.EqualTo(2));
        Assert.That(h.Contacts(), Has.Length.EqualTo(2), "the AoR forks to both");
        Assert.That(Find(h, pub1!, out string[] a), Is.EqualTo(GruuLookupResult.Found));
        Assert.That(a, Is.EqualTo(new[] { "sip:alice@192.0.2.1" }));
        Assert.That(Find(h, temp1!, out string[] b), Is.EqualTo(GruuLookupResult.Found), "the other device's registration does not touch this one's temp-gruus");
        Assert.That(b, Is.EqualTo(new[] { "sip:alice@192.0.2.1" }));
        Assert.That(Find(h, "sip:alice@example.test;gr=urn:uuid:00000000-0000-1000-8000-000A95A0E128", out string[] c), Is.EqualTo(GruuLookupResult.Found),
            "urn:uuid hex compares case-insensitively");
        Assert.That(c, Is.EqualTo(new[] { "sip:alice@198.51.100.7" }));
        Assert.That(Find(h, "sip:alice@example.test", out string[] none), Is.EqualTo(GruuLookupResult.NotGruu));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public void ForgedAlteredForeignOrMisplacedTempGruusAreNotValid()
    {
        var h = new RegistrarHarness(auth: false);
        (_, string? temp) = Gruus(h.Process(h.Register("alice", ["Supported: gruu", $"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}"])), "sip:alice@192.0.2.1");
        Assert.That(SipUri.TryParse(temp!, out SipUri? t), Is.True);
        string user = t!.User!;
        // Every single-character change of the token is refused (MAC), never mis-routed.
        string token = user[TemporaryGruu.UserPrefix.Length..];
        for (int i = 0; i < token.Length; i++)
        {
            char other = token[i] == 'A' ? 'B' : 'A';
            string altered = TemporaryGruu.UserPrefix + token[..i] + other + token[(i + 1)..];
            Assert.That(Find(h, $"sip:{altered}@example.test;gr", out string[] c), Is.EqualTo(GruuLookupResult.Invalid), $"position {i}");
            Assert.That(c, Is.Empty);
        }
        Assert.That(Find(h, $"sip:{user[..^4]}@example.test;gr", out _), Is.EqualTo(GruuLookupResult.Invalid), "truncated");
        Assert.That(Find(h, $"sip:{user}@other.test;gr", out _), Is.EqualTo(GruuLookupResult.Invalid), "under another domain");
        Assert.That(Find(h, "sip:tgruu.7hsjd7vnzga5w7fajsc7-ajd6fabz0f8g5@example.test;gr", out _), Is.EqualTo(GruuLookupResult.Invalid), "a token of another registrar (RFC 5627 §9's, without its '==') is not ours");
        Assert.That(Find(h, "sip:alice@example.test;gr", out _), Is.EqualTo(GruuLookupResult.Invalid), "gr without a value needs our token");

        // Another registrar (another secret) cannot open it; one sharing the secret can (several nodes, one store).
        var foreign = new RegistrarHarness(auth: false, location: h.Location);
        Assert.That(Find(foreign, temp!, out _), Is.EqualTo(GruuLookupResult.Invalid));
        byte[] secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var node1 = new RegistrarHarness(location: new InMemoryLocationService(), options: new RegistrarOptions { Domains = [RegistrarHarness.Domain], RequireAuthentication = false, GruuSecret = secret });
        var node2 = new RegistrarHarness(location: node1.Location, options: new RegistrarOptions { Domains = [RegistrarHarness.Domain], RequireAuthentication = false, GruuSecret = secret });
        (_, string? shared) = Gruus(node1.Process(node1.Register("alice", ["Supported: gruu", $"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}"])), "sip:alice@192.0.2.1");
        Assert.That(Find(node2, shared!, out string[] n2), Is.EqualTo(GruuLookupResult.Found));
        Assert.That(n2, Is.EqualTo(new[] { "sip:alice@192.0.2.1" }));
        Assert.That(() => new RegistrarOptions { Domains = ["x"], GruuSecret = new byte[8] }.Validate(), Throws.ArgumentException);
    }

    [Test]
    public void ExpiredOrUnregisteredInstanceGets480AndUnknownAddressGets404()
    {
        var h = new RegistrarHarness(auth: false);
        string[] headers = ["Supported: gruu", $"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}", "Expires: 60"];
        (string? pub, string? temp) = Gruus(h.Process(h.Register("alice", headers)), "sip:alice@192.0.2.1");
        h.NowMs += 61_000;
        Assert.That(Find(h, pub!, out string[] a), Is.EqualTo(GruuLookupResult.NoContacts), "§6.1: 480 when the instance has no contact");
        Assert.That(a, Is.Empty);
        Assert.That(Find(h, temp!, out _), Is.EqualTo(GruuLookupResult.NoContacts));
        // Explicit unregistration of the contact: the same.
        h.Process(h.Register("alice", headers));
        h.Process(h.Register("alice", ["Contact: <sip:alice@192.0.2.1>", "Expires: 0"]));
        Assert.That(h.Contacts(), Is.Empty);
        Assert.That(Find(h, "sip:nobody@example.test;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", out _), Is.EqualTo(GruuLookupResult.Invalid),
            "§6.1: not a GRUU this registrar issued: 404");
    }

    [Test]
    public void NoGruusWithoutSupportedGruuOrInstanceAndNoneForSipsWhenTooLong()
    {
        var h = new RegistrarHarness(auth: false);
        (string? p1, string? t1) = Gruus(h.Process(h.Register("alice", [$"Contact: <sip:alice@192.0.2.1>{Inst(Instance1)}"])), "sip:alice@192.0.2.1");
        Assert.That((p1, t1), Is.EqualTo(((string?)null, (string?)null)), "§5.2: only for a UA that said Supported: gruu");
        (string? p2, string? t2) = Gruus(h.Process(h.Register("alice", ["Supported: gruu", "Contact: <sip:alice@192.0.2.9>"])), "sip:alice@192.0.2.9");
        Assert.That((p2, t2), Is.EqualTo(((string?)null, (string?)null)), "§5.2: only for a Contact with +sip.instance");
        string huge = "<urn:uuid:" + new string('a', 600) + ">";
        Assert.That(h.Registrar.Gruus.Temporary.CreateUser("sip:alice@example.test", Encoding.ASCII.GetBytes(huge), "c"u8), Is.Null);
        Assert.That(Regex.IsMatch(h.Registrar.Gruus.Temporary.CreateUser("sip:alice@example.test", Encoding.ASCII.GetBytes(Instance1), "c"u8)!,
            "^tgruu\\.[A-Za-z0-9_-]+$"), Is.True, "only unreserved characters in the user part (RFC 3261 §25.1)");
    }
}
