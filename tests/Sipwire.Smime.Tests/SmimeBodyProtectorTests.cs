// Round trips, tampering, wrong keys, signer identity and malformed input for SmimeBodyProtector.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.UserAgent;

namespace Sipwire.Smime.Tests;

[TestFixture]
public sealed class SmimeBodyProtectorTests
{
    private const string AliceUri = "sip:alice@example.test";
    private const string BobUri = "sip:bob@example.test";
    private const string Sdp = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static TestPki Pki => TestPki.Shared;

    private static SmimeBodyProtector AliceSide(Func<SmimeOptions, SmimeOptions>? change = null)
    {
        SmimeOptions o = Pki.Options(Pki.Alice, Pki.Bob);
        return new SmimeBodyProtector(change is null ? o : change(o));
    }

    private static SmimeBodyProtector BobSide() => new(Pki.Options(Pki.Bob, Pki.Alice));

    private static BodyProtectResult Protect(SmimeBodyProtector p, BodyProtection how, string type = "application/sdp", string body = Sdp)
    {
        BodyProtectResult r = p.Protect(how, type, Encoding.UTF8.GetBytes(body), AliceUri, BobUri);
        Assert.That(r.Success, Is.True, r.Error);
        return r;
    }

    private static BodyUnprotectResult Receive(SmimeBodyProtector p, BodyProtectResult sent, string from = AliceUri) =>
        p.Unprotect(sent.ContentType, sent.ContentDisposition, sent.Body, from);

    [TestCase(SmimeSignatureFormat.MultipartSigned, SmimeTransferEncoding.Binary)]
    [TestCase(SmimeSignatureFormat.MultipartSigned, SmimeTransferEncoding.Base64)]
    [TestCase(SmimeSignatureFormat.Opaque, SmimeTransferEncoding.Binary)]
    public void SignedBodyVerifiesAndUnwraps(SmimeSignatureFormat format, SmimeTransferEncoding encoding)
    {
        SmimeBodyProtector alice = AliceSide(o => new SmimeOptions { Certificate = o.Certificate, TrustAnchors = o.TrustAnchors, PeerCertificates = o.PeerCertificates, SignatureFormat = format, TransferEncoding = encoding });
        BodyProtectResult sent = Protect(alice, BodyProtection.Sign);
        if (format == SmimeSignatureFormat.MultipartSigned)
        {
            Assert.That(sent.ContentType, Does.StartWith("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary="));
            Assert.That(sent.ContentDisposition, Is.Null);
            // RFC 3261 §23.4.1.1: the content stays readable in the clear.
            Assert.That(Encoding.UTF8.GetString(sent.Body), Does.Contain("Content-Type: application/sdp\r\n\r\nv=0\r\n"));
        }
        else
        {
            Assert.That(sent.ContentType, Is.EqualTo("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m"));
            Assert.That(sent.ContentDisposition, Is.EqualTo("attachment; filename=smime.p7m; handling=required"));
        }

        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
            Assert.That(got.Signer, Is.EqualTo(AliceUri));
            Assert.That(got.WasEncrypted, Is.False);
            Assert.That(got.ContentType, Is.EqualTo("application/sdp"));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Sdp));
            Assert.That(got.IsRejected, Is.False);
        });
    }

    [TestCase(SmimeContentEncryption.Aes128Cbc, "2.16.840.1.101.3.4.1.2")]
    [TestCase(SmimeContentEncryption.Aes256Cbc, "2.16.840.1.101.3.4.1.42")]
    public void EncryptedBodyDecryptsWithTheRecipientKey(SmimeContentEncryption algorithm, string oid)
    {
        SmimeBodyProtector alice = AliceSide(o => new SmimeOptions { Certificate = o.Certificate, TrustAnchors = o.TrustAnchors, PeerCertificates = o.PeerCertificates, ContentEncryption = algorithm });
        BodyProtectResult sent = Protect(alice, BodyProtection.Encrypt, "text/plain; charset=utf-8", "Hello Bob \u00e9");
        Assert.That(sent.ContentType, Is.EqualTo("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m"));
        Assert.That(sent.ContentDisposition, Is.EqualTo("attachment; filename=smime.p7m; handling=required"));
        Assert.That(Encoding.UTF8.GetString(sent.Body), Does.Not.Contain("Hello"));
        var cms = new System.Security.Cryptography.Pkcs.EnvelopedCms();
        cms.Decode(sent.Body);
        Assert.That(cms.ContentEncryptionAlgorithm.Oid.Value, Is.EqualTo(oid));

        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.WasEncrypted, Is.True);
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.None));
            Assert.That(got.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo("Hello Bob \u00e9"));
        });
    }

    [TestCase(SmimeContentEncryption.Aes128Gcm, BodyProtection.Encrypt)]
    [TestCase(SmimeContentEncryption.Aes256Gcm, BodyProtection.Encrypt)]
    [TestCase(SmimeContentEncryption.Aes128Gcm, BodyProtection.SignAndEncrypt)]
    public void AuthEnvelopedGcmBodyRoundTrips(SmimeContentEncryption algorithm, BodyProtection how)
    {
        SmimeBodyProtector alice = AliceSide(o => new SmimeOptions { Certificate = o.Certificate, TrustAnchors = o.TrustAnchors, PeerCertificates = o.PeerCertificates, ContentEncryption = algorithm });
        BodyProtectResult sent = Protect(alice, how);
        Assert.That(sent.ContentType, Is.EqualTo("application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m"));
        string oid = new System.Formats.Asn1.AsnReader(sent.Body, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
        Assert.That(oid, Is.EqualTo("1.2.840.113549.1.9.16.1.23")); // id-ct-authEnvelopedData (RFC 5083 §1.1)
        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.WasEncrypted, Is.True);
            Assert.That(got.Signature, Is.EqualTo(how == BodyProtection.Encrypt ? SignatureVerdict.None : SignatureVerdict.Valid));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Sdp));
        });
        // Without smime-type the ContentInfo type tells what it is (RFC 8551 §3.2.2).
        Assert.That(BobSide().Unprotect("application/pkcs7-mime", null, sent.Body, AliceUri).Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped));
    }

    [Test]
    public void AlteredGcmCiphertextIsRejectedAndWrongRecipientGets493()
    {
        SmimeBodyProtector alice = AliceSide(o => new SmimeOptions { Certificate = o.Certificate, PeerCertificates = o.PeerCertificates, ContentEncryption = SmimeContentEncryption.Aes128Gcm });
        BodyProtectResult sent = Protect(alice, BodyProtection.Encrypt);
        byte[] body = (byte[])sent.Body.Clone();
        body[^40] ^= 0x20; // inside the ciphertext, before the 16-octet tag
        BodyUnprotectResult altered = BobSide().Unprotect(sent.ContentType, null, body, AliceUri);
        Assert.That(altered.Status, Is.EqualTo(BodyUnprotectStatus.Malformed));
        Assert.That(altered.Reason, Does.Contain("altered"));
        var carol = new SmimeBodyProtector(Pki.Options(Pki.Carol));
        BodyUnprotectResult wrong = Receive(carol, sent);
        Assert.That(wrong.Status, Is.EqualTo(BodyUnprotectStatus.Undecipherable));
        Assert.That(wrong.SipStatus, Is.EqualTo(493));
    }

    [TestCase(SmimeSignatureFormat.MultipartSigned, SmimeTransferEncoding.Binary)]
    [TestCase(SmimeSignatureFormat.MultipartSigned, SmimeTransferEncoding.Base64)]
    [TestCase(SmimeSignatureFormat.Opaque, SmimeTransferEncoding.Binary)]
    [TestCase(SmimeSignatureFormat.Opaque, SmimeTransferEncoding.Base64)]
    public void SignThenEncryptRoundTrips(SmimeSignatureFormat format, SmimeTransferEncoding encoding)
    {
        SmimeBodyProtector alice = AliceSide(o => new SmimeOptions { Certificate = o.Certificate, TrustAnchors = o.TrustAnchors, PeerCertificates = o.PeerCertificates, SignatureFormat = format, TransferEncoding = encoding });
        BodyProtectResult sent = Protect(alice, BodyProtection.SignAndEncrypt);
        Assert.That(sent.ContentType, Does.StartWith("application/pkcs7-mime; smime-type=enveloped-data"));
        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.WasEncrypted, Is.True);
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
            Assert.That(got.ContentType, Is.EqualTo("application/sdp"));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Sdp));
        });
    }

    [Test]
    public void TextIsCanonicalizedToCrlfBeforeSigning()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.Sign, "text/plain", "line one\nline two\rline three");
        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo("line one\r\nline two\r\nline three"));
    }

    [Test]
    public void AlteredSignedContentIsRejected()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.Sign);
        byte[] body = (byte[])sent.Body.Clone();
        int at = Encoding.ASCII.GetString(body).IndexOf("49170", StringComparison.Ordinal);
        body[at] = (byte)'5'; // a proxy redirects the media port
        BodyUnprotectResult got = BobSide().Unprotect(sent.ContentType, null, body, AliceUri);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.SignatureInvalid));
            Assert.That(got.SipStatus, Is.EqualTo(400));
            Assert.That(got.IsRejected, Is.True);
            Assert.That(got.Body, Is.Empty);
        });
    }

    [Test]
    public void AlteredSignatureValueIsRejected()
    {
        BodyProtectResult sent = Protect(AliceSide(o => new SmimeOptions { Certificate = o.Certificate, TrustAnchors = o.TrustAnchors, SignatureFormat = SmimeSignatureFormat.Opaque }), BodyProtection.Sign);
        byte[] body = (byte[])sent.Body.Clone();
        body[^5] ^= 0x01; // the signature value is the last field of SignerInfo
        BodyUnprotectResult got = BobSide().Unprotect(sent.ContentType, sent.ContentDisposition, body, AliceUri);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.SignatureInvalid));
        Assert.That(got.SipStatus, Is.EqualTo(400));
    }

    [Test]
    public void BodyEncryptedToSomeoneElseGets493()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.SignAndEncrypt);
        var carol = new SmimeBodyProtector(Pki.Options(Pki.Carol, Pki.Alice));
        BodyUnprotectResult got = Receive(carol, sent);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Undecipherable));
            Assert.That(got.SipStatus, Is.EqualTo(493));
            Assert.That(got.Body, Is.Empty);
        });
    }

    [Test]
    public void SignerThatIsNotTheFromAorIsReportedAsMismatch()
    {
        // Carol's certificate is valid and trusted, but the request claims to be from Alice (§23.2).
        var carol = new SmimeBodyProtector(Pki.Options(Pki.Carol, Pki.Bob));
        BodyProtectResult sent = Protect(carol, BodyProtection.Sign);
        BodyUnprotectResult got = Receive(BobSide(), sent, from: "\"Alice\" <sip:alice@example.test>;tag=1928301774");
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped));
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.SignerMismatch));
            Assert.That(got.Signer, Is.EqualTo("sip:carol@example.test"));
        });
        // The same body with Carol's own From is valid: the match is on the AoR, display name and tag aside.
        Assert.That(Receive(BobSide(), sent, from: "<sip:carol@EXAMPLE.test;transport=tcp>;tag=x").Signature, Is.EqualTo(SignatureVerdict.Valid));
    }

    [Test]
    public void UserPartIsCaseSensitive()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.Sign);
        Assert.That(Receive(BobSide(), sent, from: "sip:Alice@example.test").Signature, Is.EqualTo(SignatureVerdict.SignerMismatch));
    }

    [TestCase(SmimeSignatureFormat.MultipartSigned)]
    [TestCase(SmimeSignatureFormat.Opaque)]
    public void EcdsaP256SignatureVerifies(SmimeSignatureFormat format)
    {
        var ellen = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.EcSigner, SignatureFormat = format });
        BodyProtectResult sent = Protect(ellen, BodyProtection.Sign);
        BodyUnprotectResult got = Receive(BobSide(), sent, from: "sip:ellen@example.test");
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid), got.Reason);
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Sdp));
    }

    [Test]
    public void EmailSubjectAltNameMatchesTheAor()
    {
        var dave = new SmimeBodyProtector(Pki.Options(Pki.MailOnly));
        BodyProtectResult sent = Protect(dave, BodyProtection.Sign);
        BodyUnprotectResult got = Receive(BobSide(), sent, from: "sips:dave@example.test");
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
        Assert.That(got.Signer, Is.EqualTo("dave@example.test"));
    }

    [Test]
    public void SignerFromAnotherCaIsUntrusted()
    {
        // Mallory's certificate claims sip:alice@example.test but is issued by a root Bob does not trust.
        var mallory = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Mallory, TrustAnchors = [Pki.ForeignCa] });
        BodyProtectResult sent = Protect(mallory, BodyProtection.Sign);
        BodyUnprotectResult got = Receive(BobSide(), sent);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped));
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Untrusted));
    }

    [Test]
    public void ExpiredSignerIsUntrusted()
    {
        var erin = new SmimeBodyProtector(Pki.Options(Pki.Expired));
        BodyProtectResult sent = Protect(erin, BodyProtection.Sign);
        Assert.That(Receive(BobSide(), sent, from: "sip:erin@example.test").Signature, Is.EqualTo(SignatureVerdict.Untrusted));
        // At a time inside its validity the same signature chains.
        var past = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca], Clock = () => Pki.Expired.NotAfter.AddDays(-10) });
        Assert.That(Receive(past, sent, from: "sip:erin@example.test").Signature, Is.EqualTo(SignatureVerdict.Valid));
    }

    [Test]
    public void NoTrustAnchorsMeansUntrusted()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.Sign);
        var bob = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Bob });
        Assert.That(Receive(bob, sent).Signature, Is.EqualTo(SignatureVerdict.Untrusted));
    }

    [Test]
    public void VerifiedSignerCertificateIsLearnedForEncryption()
    {
        var bob = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca] });
        Assert.That(bob.Protect(BodyProtection.Encrypt, "text/plain", "x"u8, BobUri, AliceUri).Success, Is.False);
        Assert.That(Receive(bob, Protect(AliceSide(), BodyProtection.Sign)).Signature, Is.EqualTo(SignatureVerdict.Valid));
        BodyProtectResult answer = bob.Protect(BodyProtection.SignAndEncrypt, "text/plain", "hi Alice"u8, BobUri, AliceUri);
        Assert.That(answer.Success, Is.True, answer.Error);
        BodyUnprotectResult got = AliceSide().Unprotect(answer.ContentType, answer.ContentDisposition, answer.Body, BobUri);
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo("hi Alice"));
    }

    [Test]
    public void CertsOnlyFromA493TeachesTheCertificateOfTheRightAorOnly()
    {
        var alice = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Alice, TrustAnchors = [Pki.Ca] });
        BodyProtectResult certs = BobSide().CertificatesOnly();
        Assert.That(certs.ContentType, Is.EqualTo("application/pkcs7-mime; smime-type=certs-only; name=smime.p7c"));
        // Carol's node answered for Bob: a certificate that does not name the AoR is not kept.
        BodyProtectResult carols = new SmimeBodyProtector(Pki.Options(Pki.Carol)).CertificatesOnly();
        Assert.That(alice.Unprotect(carols.ContentType, carols.ContentDisposition, carols.Body, BobUri).IsRejected, Is.False);
        Assert.That(alice.FindPeerCertificate(BobUri), Is.Null);
        // Mallory's certificate names Alice but does not chain to Bob's anchors.
        var bob = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca] });
        BodyProtectResult mallorys = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Mallory }).CertificatesOnly();
        bob.Unprotect(mallorys.ContentType, null, mallorys.Body, AliceUri);
        Assert.That(bob.FindPeerCertificate(AliceUri), Is.Null);

        BodyUnprotectResult got = alice.Unprotect(certs.ContentType, certs.ContentDisposition, certs.Body, "<sip:bob@example.test>;tag=9");
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped));
        Assert.That(got.Body, Is.Empty);
        Assert.That(alice.FindPeerCertificate(BobUri)?.Thumbprint, Is.EqualTo(Pki.Bob.Thumbprint));
        Assert.That(alice.Protect(BodyProtection.Encrypt, "text/plain", "now I can"u8, AliceUri, BobUri).Success, Is.True);
    }

    [Test]
    public void UntrustedSignerCertificateIsNotLearned()
    {
        var bob = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca] });
        var mallory = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Mallory });
        Receive(bob, Protect(mallory, BodyProtection.Sign));
        Assert.That(bob.FindPeerCertificate(AliceUri), Is.Null);
    }

    [Test]
    public void EncryptingWithoutThePeerCertificateFailsWithoutClearText()
    {
        BodyProtectResult r = AliceSide().Protect(BodyProtection.SignAndEncrypt, "text/plain", "secret"u8, AliceUri, "sip:zoe@example.test");
        Assert.That(r.Success, Is.False);
        Assert.That(r.Error, Does.Contain("sip:zoe@example.test"));
        Assert.That(r.Body, Is.Empty);
    }

    [Test]
    public void ProtectRejectsBadArguments()
    {
        SmimeBodyProtector alice = AliceSide();
        Assert.That(alice.Protect(BodyProtection.Sign, "", "x"u8, AliceUri, BobUri).Success, Is.False);
        Assert.That(alice.Protect(BodyProtection.Sign, "text/plain; charset=\"utf-8", "x"u8, AliceUri, BobUri).Success, Is.False);
        Assert.That(alice.Protect((BodyProtection)8, "text/plain", "x"u8, AliceUri, BobUri).Success, Is.False);
        Assert.That(alice.Protect(BodyProtection.Sign, "text/plain", new byte[70_000], AliceUri, BobUri).Success, Is.False);
        BodyProtectResult none = alice.Protect(BodyProtection.None, "text/plain", "x"u8, AliceUri, BobUri);
        Assert.That(none.Success && none.ContentType == "text/plain" && none.Body.Length == 1, Is.True);
    }

    [Test]
    public void OptionsAreValidated()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Pki.Alice.RawData);
        Assert.Throws<ArgumentException>(() => _ = new SmimeBodyProtector(new SmimeOptions { Certificate = publicOnly }));
        Assert.Throws<ArgumentException>(() => _ = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Alice, MaxBodyLength = 10 }));
        Assert.Throws<ArgumentException>(() => _ = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Alice, ContentEncryption = (SmimeContentEncryption)9 }));
    }

    [Test]
    public void UnprotectedBodyPassesThrough()
    {
        BodyUnprotectResult got = BobSide().Unprotect("application/sdp", "session", Encoding.ASCII.GetBytes(Sdp), AliceUri);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.NotProtected));
            Assert.That(got.ContentType, Is.EqualTo("application/sdp"));
            Assert.That(got.ContentDisposition, Is.EqualTo("session"));
            Assert.That(Encoding.ASCII.GetString(got.Body), Is.EqualTo(Sdp));
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.None));
        });
    }

    [TestCase("application/pkcs7-mime; smime-type=enveloped-data", "not a CMS object")]
    [TestCase("application/pkcs7-mime; smime-type=signed-data", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")]
    [TestCase("multipart/signed; protocol=\"application/pkcs7-signature\"", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")]
    [TestCase("multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")]
    [TestCase("multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\nAAAA")]
    [TestCase("multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: text/plain\r\n\r\nAAAA\r\n--b--")]
    [TestCase("multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--b--")]
    [TestCase("multipart/signed; protocol=application/pkcs7-signature; boundary=b", "--b\r\n")]
    [TestCase("application/pkcs7-mime; smime-type=\"enveloped-data", "MIIB")]
    public void MalformedProtectedBodyGets400(string contentType, string body)
    {
        BodyUnprotectResult got = BobSide().Unprotect(contentType, null, Encoding.ASCII.GetBytes(body), AliceUri);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Malformed), got.Reason);
            Assert.That(got.SipStatus, Is.EqualTo(400));
            Assert.That(got.Reason, Is.Not.Empty);
        });
    }

    [Test]
    public void UnknownSmimeTypeFollowsHandling()
    {
        byte[] der = Protect(AliceSide(o => new SmimeOptions { Certificate = o.Certificate, SignatureFormat = SmimeSignatureFormat.Opaque }), BodyProtection.Sign).Body;
        const string type = "application/pkcs7-mime; smime-type=compressed-data";
        BodyUnprotectResult required = BobSide().Unprotect(type, "attachment; handling=required", der, AliceUri);
        Assert.That(required.Status, Is.EqualTo(BodyUnprotectStatus.Unsupported));
        Assert.That(required.SipStatus, Is.EqualTo(415));
        // RFC 3261 §20.11: a missing handling parameter means required.
        Assert.That(BobSide().Unprotect(type, null, der, AliceUri).SipStatus, Is.EqualTo(415));
        BodyUnprotectResult optional = BobSide().Unprotect(type, "attachment; handling=optional", der, AliceUri);
        Assert.That(optional.Status, Is.EqualTo(BodyUnprotectStatus.NotProtected));
        Assert.That(optional.Body, Is.Empty);
        Assert.That(BobSide().Unprotect("multipart/signed; protocol=\"application/pgp-signature\"; boundary=b", null, "--b\r\n"u8, AliceUri).SipStatus, Is.EqualTo(415));
    }

    [Test]
    public void Base64TopLevelBodyIsAccepted()
    {
        BodyProtectResult sent = Protect(AliceSide(), BodyProtection.SignAndEncrypt);
        byte[] b64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(sent.Body, Base64FormattingOptions.InsertLineBreaks));
        BodyUnprotectResult got = BobSide().Unprotect(sent.ContentType, sent.ContentDisposition, b64, AliceUri);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
    }

    [Test]
    public void MutatedBodiesNeverThrowAndNeverPassAsValid()
    {
        var random = new Random(8591);
        SmimeBodyProtector bob = BobSide();
        BodyProtectResult[] samples =
        [
            Protect(AliceSide(), BodyProtection.Sign),
            Protect(AliceSide(), BodyProtection.SignAndEncrypt),
            Protect(AliceSide(o => new SmimeOptions { Certificate = o.Certificate, PeerCertificates = o.PeerCertificates, SignatureFormat = SmimeSignatureFormat.Opaque, TransferEncoding = SmimeTransferEncoding.Base64 }), BodyProtection.SignAndEncrypt),
            Protect(AliceSide(o => new SmimeOptions { Certificate = o.Certificate, PeerCertificates = o.PeerCertificates, ContentEncryption = SmimeContentEncryption.Aes256Gcm }), BodyProtection.SignAndEncrypt),
        ];
        int rejected = 0;
        for (int i = 0; i < 2000; i++)
        {
            BodyProtectResult s = samples[i % samples.Length];
            byte[] body = (byte[])s.Body.Clone();
            if (random.Next(4) == 0)
            {
                Array.Resize(ref body, random.Next(body.Length));
            }
            else
            {
                int flips = 1 + random.Next(3);
                for (int k = 0; k < flips; k++) body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
            }
            BodyUnprotectResult got = bob.Unprotect(s.ContentType, s.ContentDisposition, body, AliceUri);
            if (got.IsRejected)
            {
                rejected++;
                Assert.That(got.SipStatus, Is.AnyOf(400, 415, 493));
                Assert.That(got.Body, Is.Empty);
            }
            else if (got.Signature == SignatureVerdict.Valid)
            {
                // A flip that lands in the multipart preamble-free padding or an unsigned header may survive;
                // the signed content itself must then be intact.
                Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Sdp));
            }
        }
        Assert.That(rejected, Is.GreaterThan(1400));
    }
}
