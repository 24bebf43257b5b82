// SIP/SIPS/tel URI parsing, serialization and comparison, with the RFC 3261 §19.1.4 examples.
// SPDX-License-Identifier: MIT

using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class SipUriTests
{
    private static SipUri U(string s)
    {
        Assert.That(SipUri.TryParse(s, out SipUri? u), Is.True, s);
        return u!;
    }

    // RFC 3261 §19.1.4, the equivalent pairs, plus RFC 4475 §3.1.1.3 escaping.
    [TestCase("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")]
    [TestCase("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")]
    [TestCase("sip:carol@chicago.com", "sip:carol@chicago.com;security=on")]
    [TestCase("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5")]
    [TestCase("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")]
    [TestCase("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")]
    [TestCase("sip:%75se%72@example.com", "sip:user@example.com")]
    [TestCase("tel:+1-201-555-0123", "tel:+12015550123")]
    [TestCase("tel:7042;phone-context=example.com", "tel:7042;Phone-Context=EXAMPLE.com")]
    public void EquivalentUris(string a, string b)
    {
        Assert.That(U(a), Is.EqualTo(U(b)));
        Assert.That(U(b), Is.EqualTo(U(a)));
        Assert.That(U(a).GetHashCode(), Is.EqualTo(U(b).GetHashCode()));
    }

    // RFC 3261 §19.1.4, the non-equivalent pairs.
    [TestCase("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")]
    [TestCase("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")]
    [TestCase("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")]
    [TestCase("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp")]
    [TestCase("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")]
    [TestCase("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")]
    [TestCase("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off")]
    [TestCase("sip:alice@atlanta.com", "sips:alice@atlanta.com")]
    [TestCase("tel:+12015550123", "tel:+12015550123;ext=1")]
    public void DifferentUris(string a, string b) => Assert.That(U(a), Is.Not.EqualTo(U(b)));

    [TestCase("sip:user:pw@[2001:db8::10]:5070;lr;transport=tcp?x=y")]
    [TestCase("sips:example.com")]
    [TestCase("tel:+1-201-555-0123;phone-context=+1")]
    [TestCase("isbn:2983792873")]
    public void SerializationReproducesTheText(string s) => Assert.That(U(s).ToString(), Is.EqualTo(s));

    [Test]
    public void ComponentsAreExposed()
    {
        SipUri u = U("sip:user;par=u%40example.net@example.com:5080;lr;maddr=239.255.255.1");
        Assert.That(u.Scheme, Is.EqualTo(SipUriScheme.Sip));
        Assert.That(u.User, Is.EqualTo("user;par=u%40example.net"));
        Assert.That(u.Host, Is.EqualTo("example.com"));
        Assert.That(u.Port, Is.EqualTo(5080));
        Assert.That(u.HasParameter("lr"), Is.True);
        Assert.That(u.GetParameter("maddr"), Is.EqualTo("239.255.255.1"));
        Assert.That(SipUri.Unescape("null-%00-null"), Is.EqualTo("null-\0-null"));
    }

    [TestCase("sip:user@2001:db8::10")]
    [TestCase("sip:user@[2001:db8::10")]
    [TestCase("sip:user@example.com:99999")]
    [TestCase("sip:us%zzer@example.com")]
    [TestCase("sip:@example.com")]
    [TestCase("sip:user@example.com;;lr")]
    [TestCase("tel:7042")]
    [TestCase("tel:+")]
    [TestCase("no-colon")]
    [TestCase("sip:user@exa mple.com")]
    public void MalformedUrisAreRejected(string s) => Assert.That(SipUri.TryParse(s, out _), Is.False);

    [Test]
    public void RepeatedParameterNamesCompareByFirstOccurrence()
    {
        // Seeded fuzz finding: a URI with a repeated parameter was not equal to itself.
        const string Repeated = "sip:+13035551111@ift.client.example.net;user=phot;user=phone";
        SipUri u = U(Repeated);
        Assert.That(u.Equals(U(Repeated)), Is.True);
        Assert.That(u.Equals(u), Is.True);
        const string RepeatedHeader = "sip:a@b.example?x=1&x=2";
        Assert.That(U(RepeatedHeader).Equals(U(RepeatedHeader)), Is.True);
    }

    [Test]
    public void BuiltUriSerializes() =>
        Assert.That(new SipUri(secure: true, "alice", "atlanta.example.com", 5061).ToString(), Is.EqualTo("sips:alice@atlanta.example.com:5061"));
}
