// Typed §20 header values, from the RFC 3261 §20 / RFC 3665 / RFC 3891 / RFC 4028 / RFC 3262 examples.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Sip.Headers;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class TypedHeaderTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void ContactListWithExpiresAndQ()
    {
        // RFC 3261 §20.10 examples.
        var list = new List<SipNameAddressHeader>();
        Assert.That(SipNameAddressHeader.TryParseList(
            B("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, \"Mr. Watson\" <mailto:watson@bell-telephone.com> ;q=0.1"), list), Is.True);
        Assert.That(list, Has.Count.EqualTo(2));
        Assert.That(list[0].DisplayName, Is.EqualTo("Mr. Watson"));
        Assert.That(list[0].Uri!.Host, Is.EqualTo("worcester.bell-telephone.com"));
        Assert.That(list[0].QMillis, Is.EqualTo(700));
        Assert.That(list[0].Expires, Is.EqualTo(3600u));
        Assert.That(list[1].Uri!.Scheme, Is.EqualTo(SipUriScheme.Other));
        Assert.That(list[1].QMillis, Is.EqualTo(100));
        Assert.That(list[0].ToString(), Is.EqualTo("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600"));
    }

    [Test]
    public void FromWithEscapedQuoteInDisplayName()
    {
        Assert.That(SipNameAddressHeader.TryParse(B("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8"), out SipNameAddressHeader? h), Is.True);
        Assert.That(h!.DisplayName, Is.EqualTo("J Rosenberg \\\""));
        Assert.That(h.Tag, Is.EqualTo("98asjd8"));
        Assert.That(h.ToString(), Is.EqualTo("\"J Rosenberg \\\\\\\"\" <sip:jdrosen@example.com>;tag=98asjd8"));
    }

    [Test]
    public void ContactStar()
    {
        var list = new List<SipNameAddressHeader>();
        Assert.That(SipNameAddressHeader.TryParseList(B("*"), list, allowStar: true), Is.True);
        Assert.That(list.Single().IsStar, Is.True);
        Assert.That(SipNameAddressHeader.TryParseList(B("*"), [], allowStar: false), Is.False);
    }

    [Test]
    public void ViaList()
    {
        // RFC 3261 §20.42 example.
        var list = new List<SipViaHeader>();
        Assert.That(SipViaHeader.TryParseList(B("SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7, SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207;branch=z9hG4bK77asjd;rport=5061;ttl=16;maddr=224.2.0.1"), list), Is.True);
        Assert.That(list[0].Port, Is.EqualTo(5060));
        Assert.That(list[0].Branch, Is.EqualTo("z9hG4bK87asdks7"));
        Assert.That(list[1].Received, Is.EqualTo("192.0.2.207"));
        Assert.That(list[1].RPort, Is.EqualTo(5061));
        Assert.That(list[1].Ttl, Is.EqualTo(16));
        Assert.That(list[1].Maddr, Is.EqualTo("224.2.0.1"));
        Assert.That(list[1].ToString(), Is.EqualTo("SIP/2.0/UDP 192.0.2.1:5060;received=192.0.2.207;branch=z9hG4bK77asjd;rport=5061;ttl=16;maddr=224.2.0.1"));
    }

    [Test]
    public void CSeqAndRAck()
    {
        Assert.That(SipCSeqHeader.TryParse(B("4711 INVITE"), out SipCSeqHeader? c), Is.True);
        Assert.That(c, Is.EqualTo(new SipCSeqHeader(4711, "INVITE")));
        Assert.That(SipCSeqHeader.TryParse(B("4294967296 INVITE"), out _), Is.False);
        // RFC 3262 §7.2 example.
        Assert.That(SipRAckHeader.TryParse(B("776656 1 INVITE"), out SipRAckHeader? r), Is.True);
        Assert.That(r, Is.EqualTo(new SipRAckHeader(776656, 1, "INVITE")));
        Assert.That(SipRAckHeader.TryParseRSeq(B("988789"), out uint rseq) && rseq == 988789, Is.True);
        Assert.That(SipRAckHeader.TryParseRSeq(B("0"), out _), Is.False);
    }

    [Test]
    public void DigestChallengeAndCredentials()
    {
        // RFC 3665 §2.1 style challenge and credentials.
        Assert.That(SipAuthHeader.TryParse(B("Digest realm=\"biloxi.com\", qop=\"auth\", nonce=\"dc3a5ab2530aa93112cf5904ba7d88fa\", opaque=\"\", stale=FALSE, algorithm=MD5"), out SipAuthHeader? ch), Is.True);
        Assert.That(ch!.Scheme, Is.EqualTo("Digest"));
        Assert.That(ch.GetParameter("realm"), Is.EqualTo("biloxi.com"));
        Assert.That(ch.GetParameter("opaque"), Is.EqualTo(string.Empty));
        Assert.That(ch.GetParameter("algorithm"), Is.EqualTo("MD5"));
        Assert.That(SipAuthHeader.TryParse(B("Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dc3a5ab2530aa93112cf5904ba7d88fa\", uri=\"sip:biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"\""), out SipAuthHeader? cr), Is.True);
        Assert.That(cr!.GetParameter("nc"), Is.EqualTo("00000001"));
        Assert.That(cr.GetParameter("uri"), Is.EqualTo("sip:biloxi.com"));
        Assert.That(SipAuthHeader.TryParse(B("NoOneKnowsThisScheme opaque-data=here"), out SipAuthHeader? unknown), Is.True);
        Assert.That(unknown!.Scheme, Is.EqualTo("NoOneKnowsThisScheme"));
        Assert.That(SipAuthHeader.TryParse(B("Digest realm=\"open"), out _), Is.False);
    }

    [Test]
    public void OptionTagsEventsAndSubscriptionState()
    {
        var tags = new List<string>();
        Assert.That(SipTokenHeader.TryParseTokens(B("100rel, timer,\r\n replaces"), tags), Is.True);
        Assert.That(tags, Is.EqualTo((string[])["100rel", "timer", "replaces"]));
        Assert.That(SipTokenHeader.TryParseTokens(B("100rel,,timer"), []), Is.False);
        Assert.That(SipTokenHeader.TryParse(B("presence.winfo;id=1234"), out SipTokenHeader? ev), Is.True);
        Assert.That(ev!.Value, Is.EqualTo("presence.winfo"));
        Assert.That(ev.GetParameter("id"), Is.EqualTo("1234"));
        // RFC 6665 §8.2.3.
        Assert.That(SipTokenHeader.TryParse(B("terminated;reason=timeout;retry-after=30"), out SipTokenHeader? ss), Is.True);
        Assert.That(ss!.Value, Is.EqualTo("terminated"));
        Assert.That(ss.GetUIntParameter("retry-after"), Is.EqualTo(30u));
    }

    [Test]
    public void ReplacesSessionExpiresRetryAfterWarningTimestamp()
    {
        // RFC 3891 §6.1 example.
        Assert.That(SipReplacesHeader.TryParse(B("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff"), out SipReplacesHeader? r), Is.True);
        Assert.That(r, Is.EqualTo(new SipReplacesHeader("98732@sip.example.com", "ff87ff", "r33th4x0r", false)));
        Assert.That(SipReplacesHeader.TryParse(B("98732@sip.example.com;from-tag=r33th4x0r"), out _), Is.False);
        // RFC 4028 §4.
        Assert.That(SipSessionExpiresHeader.TryParse(B("4000;refresher=uac"), out SipSessionExpiresHeader? se), Is.True);
        Assert.That(se!.DeltaSeconds, Is.EqualTo(4000u));
        Assert.That(se.Refresher, Is.EqualTo("uac"));
        Assert.That(SipSessionExpiresHeader.TryParse(B("4000;refresher=me"), out _), Is.False);
        // RFC 3261 §20.33.
        Assert.That(SipRetryAfterHeader.TryParse(B("18000;duration=3600"), out SipRetryAfterHeader? ra), Is.True);
        Assert.That(ra!.Duration, Is.EqualTo(3600u));
        Assert.That(SipRetryAfterHeader.TryParse(B("120 (I'm in a meeting)"), out SipRetryAfterHeader? rb), Is.True);
        Assert.That(rb!.Comment, Is.EqualTo("I'm in a meeting"));
        Assert.That(SipRetryAfterHeader.TryParse(B("949302838503028349304023988"), out _), Is.False);
        // RFC 3261 §20.43.
        var w = new List<SipWarningHeader>();
        Assert.That(SipWarningHeader.TryParseList(B("307 isi.edu \"Session parameter 'foo' not understood\", 301 isi.edu \"Incompatible network address type 'E.164'\""), w), Is.True);
        Assert.That(w.Select(x => x.Code), Is.EqualTo((int[])[307, 301]));
        Assert.That(SipWarningHeader.TryParseList(B("1812 overture \"In Progress\""), []), Is.False);
        Assert.That(SipTimestampHeader.TryParse(B("54.3 0.5"), out SipTimestampHeader? ts) && ts!.Delay == "0.5", Is.True);
    }

    [Test]
    public void MediaTypesAndInfoUris()
    {
        Assert.That(SipMediaTypeHeader.TryParse(B("multipart/signed;protocol=\"application/pkcs7-signature\";micalg=sha1;boundary=boundary42"), out SipMediaTypeHeader? ct), Is.True);
        Assert.That(ct!.Matches("Multipart", "SIGNED"), Is.True);
        Assert.That(ct.GetParameter("protocol"), Is.EqualTo("application/pkcs7-signature"));
        var accept = new List<SipMediaTypeHeader>();
        Assert.That(SipMediaTypeHeader.TryParseList(B("application/sdp;level=1, application/x-private, text/html"), accept), Is.True);
        Assert.That(accept, Has.Count.EqualTo(3));
        var info = new List<SipInfoUriHeader>();
        Assert.That(SipInfoUriHeader.TryParseList(B("<http://wwww.example.com/alice/photo.jpg> ;purpose=icon, <http://www.example.com/alice/> ;purpose=info"), info), Is.True);
        Assert.That(info[1].GetParameter("purpose"), Is.EqualTo("info"));
    }

    [Test]
    public void MessageLevelTypedReads()
    {
        var m = new SipMessage();
        Assert.That(SipParser.Parse(SipVectors.Read("rfc4475/wsinv.dat").AsMemory(), SipFraming.Datagram, m).IsDone);
        var vias = new List<SipViaHeader>();
        Assert.That(SipTypedHeaders.TryGetVias(m, vias), Is.True);
        Assert.That(vias.Select(v => v.Transport), Is.EqualTo((string[])["UDP", "TCP", "UDP"]));
        var routes = new List<SipNameAddressHeader>();
        Assert.That(SipTypedHeaders.TryGetNameAddresses(m, SipHeaderKind.Route, routes), Is.True);
        Assert.That(routes.Single().Uri!.HasParameter("lr"), Is.True);
        var contacts = new List<SipNameAddressHeader>();
        Assert.That(SipTypedHeaders.TryGetNameAddresses(m, SipHeaderKind.Contact, contacts), Is.True);
        Assert.That(contacts.Single().GetParameter("newparam"), Is.EqualTo("newvalue"));
        Assert.That(contacts.Single().DisplayName, Is.EqualTo("Quoted string \"\""));
        var allow = new List<string>();
        var invite = new SipMessage();
        Assert.That(SipParser.Parse(SipVectors.Read("typical/invite-sdp.dat").AsMemory(), SipFraming.Datagram, invite).IsDone);
        Assert.That(SipTypedHeaders.TryGetTokens(invite, SipHeaderKind.Allow, allow), Is.True);
        Assert.That(allow, Has.Count.EqualTo(9));
        Assert.That(invite.TryGetHeaderValue(SipHeaderKind.SessionExpires, out ReadOnlySpan<byte> se), Is.True);
        Assert.That(SipSessionExpiresHeader.TryParse(se, out SipSessionExpiresHeader? s) && s!.DeltaSeconds == 1800, Is.True);
    }

    [Test]
    public void SipDateRoundTrip()
    {
        Assert.That(SipDate.TryParse(B("Sat, 13 Nov 2010 23:29:00 GMT"), out DateTime d), Is.True);
        Assert.That(d, Is.EqualTo(new DateTime(2010, 11, 13, 23, 29, 0, DateTimeKind.Utc)));
        Span<byte> buf = stackalloc byte[29];
        Assert.That(SipDate.Format(d, buf), Is.EqualTo(29));
        Assert.That(Encoding.ASCII.GetString(buf), Is.EqualTo("Sat, 13 Nov 2010 23:29:00 GMT"));
        Assert.That(SipDate.TryParse(B("Fri, 01 Jan 2010 16:00:00 EST"), out _), Is.False);
        Assert.That(SipDate.TryParse(B("Mon, 13 Nov 2010 23:29:00 GMT"), out _), Is.False);
    }
}
