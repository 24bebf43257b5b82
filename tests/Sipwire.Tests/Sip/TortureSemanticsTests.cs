// What the RFC 4475 / RFC 5118 texts say each valid message means: hot fields and the §3.3 UAS/proxy answers.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class TortureSemanticsTests
{
    private static readonly string[] s_supportedTags = ["100rel", "timer", "replaces"];
    private static readonly string[] s_sdp = ["application/sdp"];

    private static SipMessage Parse(string file)
    {
        var m = new SipMessage();
        SipParseResult r = SipParser.Parse(SipVectors.Read(file).AsMemory(), SipFraming.Datagram, m);
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Done), $"{r.Error} at {r.Position}");
        return m;
    }

    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    [Test]
    public void ShortTortuousInvite()
    {
        // RFC 4475 §3.1.1.1.
        SipMessage m = Parse("rfc4475/wsinv.dat");
        Assert.That(m.Method, Is.EqualTo(SipMethod.Invite));
        Assert.That(T(m.To.Tag), Is.EqualTo("1918181833n"));
        Assert.That(T(m.From.Tag), Is.EqualTo("98asjd8"));
        Assert.That(T(m.From.DisplayName), Is.EqualTo("\"J Rosenberg \\\\\\\"\""));
        Assert.That(m.MaxForwards, Is.EqualTo(68));
        Assert.That(m.CSeqNumber, Is.EqualTo(9u));
        Assert.That(m.CSeqMethod, Is.EqualTo(SipMethod.Invite));
        Assert.That(m.ViaCount, Is.EqualTo(3));
        Assert.That(T(m.TopVia.Branch), Is.EqualTo("390skdjuw"));
        Assert.That(T(m.TopVia.Transport), Is.EqualTo("UDP"));
        Assert.That(m.Contact.QMillis, Is.EqualTo(330));
        Assert.That(m.ContentLength, Is.EqualTo(150));
        int n = 0;
        string[] branches = ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"];
        foreach (SipVia v in m.Vias) Assert.That(T(v.Branch), Is.EqualTo(branches[n++]));
        Assert.That(n, Is.EqualTo(3));
        Assert.That(T(m.GetHeaderValue(m.IndexOfHeader("NewFangledHeader"u8))), Is.EqualTo("newfangled value\r\n continued newfangled value"));
    }

    [Test]
    public void PercentIsNotAnEscapeInMethodOrHeaderName()
    {
        // RFC 4475 §3.1.1.5: RE%47IST%45R is an unknown method; C%6Fntact is an unknown header.
        SipMessage m = Parse("rfc4475/esc02.dat");
        Assert.That(m.Method, Is.EqualTo(SipMethod.Extension));
        Assert.That(T(m.MethodName), Is.EqualTo("RE%47IST%45R"));
        Assert.That(m.ContactCount, Is.EqualTo(2));
        Assert.That(m.IndexOfHeader("C%6Fntact"u8), Is.GreaterThan(0));
        Assert.That(m.GetHeader(m.IndexOfHeader("C%6Fntact"u8)).Kind, Is.EqualTo(SipHeaderKind.Unknown));
    }

    [Test]
    public void SemicolonInUserPart()
    {
        // RFC 4475 §3.1.1.9.
        SipMessage m = Parse("rfc4475/semiuri.dat");
        Assert.That(SipUri.TryParse(m.RequestUri, out SipUri? u), Is.True);
        Assert.That(u!.User, Is.EqualTo("user;par=u%40example.net"));
        Assert.That(u.Host, Is.EqualTo("example.com"));
    }

    [Test]
    public void ExtraOctetsInDatagramAreIgnored()
    {
        // RFC 4475 §3.1.1.8.
        SipMessage m = Parse("rfc4475/dblreq.dat");
        Assert.That(m.Method, Is.EqualTo(SipMethod.Register));
        Assert.That(m.Body.Length, Is.Zero);
        Assert.That(m.Length, Is.LessThan(SipVectors.Read("rfc4475/dblreq.dat").Length));
    }

    [TestCase("rfc4475/cparam01.dat", "sip:+19725552222@gw1.example.net", "unknownparam")]
    [TestCase("rfc4475/cparam02.dat", "sip:+19725552222@gw1.example.net;unknownparam", "")]
    [TestCase("rfc4475/regescrt.dat", "sip:user@example.com?Route=%3Csip:sip.example.com%3E", "")]
    public void ContactUriAndHeaderParameters(string file, string uri, string parameters)
    {
        // RFC 4475 §3.3.12-14: without <> the parameter belongs to the header, inside <> to the URI.
        SipMessage m = Parse(file);
        Assert.That(T(m.Contact.Uri), Is.EqualTo(uri));
        Assert.That(T(m.Contact.Parameters), Is.EqualTo(parameters));
    }

    [TestCase("rfc5118/port-ambiguous.dat", "[2001:db8::10:5070]", -1)]
    [TestCase("rfc5118/port-unambiguous.dat", "[2001:db8::10]", 5070)]
    public void Ipv6PortAmbiguity(string file, string host, int port)
    {
        // RFC 5118 §4.3 / §4.4.
        SipMessage m = Parse(file);
        Assert.That(SipUri.TryParse(m.RequestUri, out SipUri? u), Is.True);
        Assert.That(u!.Host, Is.EqualTo(host));
        Assert.That(u.Port, Is.EqualTo(port));
    }

    [TestCase("rfc5118/via-received-param-with-delim.dat", "[2001:db8::9:255]")]
    [TestCase("rfc5118/via-received-param-no-delim.dat", "2001:db8::9:255")]
    public void ViaReceivedWithAndWithoutBrackets(string file, string received)
    {
        SipMessage m = Parse(file);
        Assert.That(T(m.TopVia.Host), Is.EqualTo("[2001:db8::9:1]"));
        Assert.That(T(m.TopVia.Received), Is.EqualTo(received));
    }

    [Test]
    public void MultipleAddressesInVia()
    {
        // RFC 5118 §4.7.
        SipMessage m = Parse("rfc5118/mult-ip-in-header.dat");
        string[] hosts = ["[2001:db8::9:1]", "192.0.2.1", "[2001:db8::9:255]"];
        int n = 0;
        foreach (SipVia v in m.Vias) Assert.That(T(v.Host), Is.EqualTo(hosts[n++]));
        Assert.That(n, Is.EqualTo(3));
        Assert.That(m.TopVia.Port, Is.EqualTo(6050));
    }

    [Test]
    public void Rfc2543Invite()
    {
        // RFC 4475 §3.4.1: no branch, no Max-Forwards, no Content-Length; body runs to the datagram end.
        SipMessage m = Parse("rfc4475/inv2543.dat");
        Assert.That(m.TopVia.HasBranch, Is.False);
        Assert.That(m.MaxForwards, Is.EqualTo(-1));
        Assert.That(m.ContentLength, Is.EqualTo(-1));
        Assert.That(m.Body.StartsWith("v=0"u8), Is.True);
    }

    [Test]
    public void BranchWithOnlyTheCookie()
    {
        // RFC 4475 §3.2.1.
        SipMessage m = Parse("rfc4475/badbranch.dat");
        Assert.That(T(m.TopVia.Branch), Is.EqualTo("z9hG4bK"));
        Assert.That(m.TopVia.HasMagicCookie, Is.True);
    }

    // RFC 4475 §3.3: the UAS / proxy answers to well-formed requests.
    [TestCase("rfc4475/unkscm.dat", 416)]
    [TestCase("rfc4475/novelsc.dat", 416)]
    public void UnknownRequestUriSchemeGets416(string file, int status) =>
        Assert.That(SipErrors.ToStatusCode(SipRequestChecks.CheckRequestUriScheme(Parse(file))), Is.EqualTo(status));

    [Test]
    public void SipRequestUriPassesTheSchemeCheck() =>
        Assert.That(SipRequestChecks.CheckRequestUriScheme(Parse("rfc4475/wsinv.dat")), Is.EqualTo(SipParseError.None));

    [Test]
    public void UnknownSchemesInHeadersAreRejectedByARegistrar()
    {
        SipMessage m = Parse("rfc4475/unksm2.dat");
        Assert.That(T(m.To.Uri), Is.EqualTo("isbn:2983792873"));
        Assert.That(SipErrors.ToStatusCode(SipRequestChecks.CheckAddressOfRecord(m)), Is.EqualTo(400));
    }

    [Test]
    public void UnknownRequireAndProxyRequireGet420()
    {
        SipMessage m = Parse("rfc4475/bext01.dat");
        Assert.That(SipRequestChecks.CheckRequire(m, asProxy: false, s_supportedTags, out ByteRange uas), Is.EqualTo(SipParseError.BadExtension));
        Assert.That(T(uas.Slice(m.Span)), Is.EqualTo("nothingSupportsThis"));
        Assert.That(SipRequestChecks.CheckRequire(m, asProxy: true, s_supportedTags, out ByteRange proxy), Is.EqualTo(SipParseError.BadExtension));
        Assert.That(T(proxy.Slice(m.Span)), Is.EqualTo("noProxiesSupportThis"));
        Assert.That(SipErrors.ToStatusCode(SipParseError.BadExtension), Is.EqualTo(420));
    }

    [Test]
    public void UnknownContentTypeGets415()
    {
        SipMessage m = Parse("rfc4475/invut.dat");
        Assert.That(SipErrors.ToStatusCode(SipRequestChecks.CheckContentType(m, s_sdp)), Is.EqualTo(415));
        Assert.That(SipRequestChecks.CheckContentType(Parse("typical/invite-sdp.dat"), s_sdp), Is.EqualTo(SipParseError.None));
    }

    [Test]
    public void UnacceptableAcceptGets406()
    {
        Assert.That(SipErrors.ToStatusCode(SipRequestChecks.CheckAccept(Parse("rfc4475/sdp01.dat"), s_sdp)), Is.EqualTo(406));
        Assert.That(SipRequestChecks.CheckAccept(Parse("rfc4475/semiuri.dat"), s_sdp), Is.EqualTo(SipParseError.None));
    }

    [Test]
    public void MaxForwardsZeroGets483AtAProxy()
    {
        Assert.That(SipErrors.ToStatusCode(SipRequestChecks.CheckMaxForwards(Parse("rfc4475/zeromf.dat"))), Is.EqualTo(483));
        Assert.That(SipRequestChecks.CheckMaxForwards(Parse("rfc4475/wsinv.dat")), Is.EqualTo(SipParseError.None));
    }

    [Test]
    public void BroadcastViaIsParsedForTheTransportToRefuse()
    {
        SipMessage m = Parse("rfc4475/bcast.dat");
        int n = 0;
        foreach (SipVia v in m.Vias) if (n++ == 1) Assert.That(T(v.Host), Is.EqualTo("255.255.255.255"));
        Assert.That(n, Is.EqualTo(2));
    }

    [Test]
    public void UnknownAuthorizationSchemeParses()
    {
        SipMessage m = Parse("rfc4475/regaut01.dat");
        Assert.That(m.TryGetHeaderValue(SipHeaderKind.Authorization, out ReadOnlySpan<byte> v), Is.True);
        Assert.That(T(v), Is.EqualTo("NoOneKnowsThisScheme opaque-data=here"));
    }
}
