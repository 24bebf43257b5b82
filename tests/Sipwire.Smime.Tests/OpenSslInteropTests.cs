// Interop with an independent CMS implementation: the openssl CLI verifies and decrypts what we produce,
// and produces what we verify and decrypt.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Text;
using NUnit.Framework;
using Sipwire.UserAgent;

namespace Sipwire.Smime.Tests;

[TestFixture]
[NonParallelizable]
public sealed class OpenSslInteropTests
{
    private const string AliceUri = "sip:alice@example.test";
    private const string BobUri = "sip:bob@example.test";
    private const string Text = "Hello from the other side.\r\nSecond line.\r\n";
    private OpenSsl _ssl = null!;

    private static TestPki Pki => TestPki.Shared;

    [SetUp]
    public void SetUp()
    {
        _ssl = new OpenSsl();
        _ssl.WritePem("ca", Pki.Ca);
        _ssl.WritePem("alice", Pki.Alice, withKey: true);
        _ssl.WritePem("bob", Pki.Bob, withKey: true);
        _ssl.WritePem("carol", Pki.Carol, withKey: true);
    }

    [TearDown]
    public void TearDown() => _ssl.Dispose();

    private static SmimeBodyProtector Alice(SmimeSignatureFormat format = SmimeSignatureFormat.MultipartSigned, SmimeTransferEncoding encoding = SmimeTransferEncoding.Base64) =>
        new(new SmimeOptions
        {
            Certificate = Pki.Alice,
            TrustAnchors = [Pki.Ca],
            PeerCertificates = [.. TestPki.PublicOnly([Pki.Bob])],
            SignatureFormat = format,
            TransferEncoding = encoding,
        });

    private static SmimeBodyProtector Bob() => new(new SmimeOptions { Certificate = Pki.Bob, TrustAnchors = [Pki.Ca] });

    private void Ok(params string[] args)
    {
        (int code, string output) = _ssl.Run(args);
        Assert.That(code, Is.Zero, "openssl " + string.Join(' ', args) + ": " + output);
    }

    private byte[] Read(string name) => File.ReadAllBytes(_ssl.PathOf(name));

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(_ssl.PathOf(name), bytes);

    private static string Entity(string type, string body) => "Content-Type: " + type + "\r\n\r\n" + body;

    // A SIP message carries the MIME headers as SIP headers; openssl wants a MIME message.
    private static byte[] AsMimeMessage(BodyProtectResult r)
    {
        byte[] head = Encoding.ASCII.GetBytes("MIME-Version: 1.0\r\nContent-Type: " + r.ContentType + "\r\n\r\n");
        return [.. head, .. r.Body];
    }

    // The reverse: openssl's MIME output split into the Content-Type header and the body.
    private static (string ContentType, byte[] Body) FromMimeMessage(byte[] message)
    {
        string text = Encoding.Latin1.GetString(message);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThan(0), "openssl output has no header section");
        string headers = text[..end].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        string? type = null;
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) type = line["Content-Type:".Length..].Trim();
        }
        Assert.That(type, Is.Not.Null, "openssl output has no Content-Type");
        return (type!, message[(end + 4)..]);
    }

    [Test]
    public void OpenSslVerifiesOurMultipartSigned()
    {
        BodyProtectResult sent = Alice().Protect(BodyProtection.Sign, "text/plain", Encoding.UTF8.GetBytes(Text), AliceUri, BobUri);
        Write("signed.eml", AsMimeMessage(sent));
        // Not -binary: OpenSSL 3.0 in binary mode strips only the LF of the CRLF that belongs to the boundary
        // delimiter (RFC 2046 §5.1.1) and then fails on any correct multipart/signed. Text mode canonicalizes
        // to CRLF, which our content already is, so the signed octets are the same.
        Ok("cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-out", "content.out");
        Assert.That(Encoding.UTF8.GetString(Read("content.out")), Is.EqualTo(Entity("text/plain", Text)));
    }

    [Test]
    public void OpenSslVerifiesOurOpaqueSignedData()
    {
        BodyProtectResult sent = Alice(SmimeSignatureFormat.Opaque).Protect(BodyProtection.Sign, "application/sdp", "v=0\r\n"u8, AliceUri, BobUri);
        Write("signed.der", sent.Body);
        Ok("cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "ca.pem", "-binary", "-out", "content.out");
        Assert.That(Encoding.UTF8.GetString(Read("content.out")), Is.EqualTo(Entity("application/sdp", "v=0\r\n")));
        // The signature carries the SHA-256 digest and the signing time (RFC 8551 §2.1, §2.5.1).
        (int _, string dump) = _ssl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", "signed.der");
        Assert.That(dump, Does.Contain("sha256").And.Contain("signingTime"));
    }

    [Test]
    public void OpenSslRejectsOurSignatureOverAlteredContent()
    {
        BodyProtectResult sent = Alice().Protect(BodyProtection.Sign, "text/plain", Encoding.UTF8.GetBytes(Text), AliceUri, BobUri);
        byte[] message = AsMimeMessage(sent);
        int at = Encoding.Latin1.GetString(message).IndexOf("Hello", StringComparison.Ordinal);
        message[at] = (byte)'J';
        Write("signed.eml", message);
        (int code, string _) = _ssl.Run("cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-out", "content.out");
        Assert.That(code, Is.Not.Zero);
    }

    [Test]
    public void OpenSslDecryptsOurEnvelopedData()
    {
        BodyProtectResult sent = Alice().Protect(BodyProtection.Encrypt, "text/plain", Encoding.UTF8.GetBytes(Text), AliceUri, BobUri);
        Write("enc.der", sent.Body);
        Ok("cms", "-decrypt", "-inform", "DER", "-in", "enc.der", "-recip", "bob.pem", "-inkey", "bob.key", "-binary", "-out", "inner.out");
        Assert.That(Encoding.UTF8.GetString(Read("inner.out")), Is.EqualTo(Entity("text/plain", Text)));
        // Carol holds the wrong key: openssl cannot open it either.
        (int code, string _) = _ssl.Run("cms", "-decrypt", "-inform", "DER", "-in", "enc.der", "-recip", "carol.pem", "-inkey", "carol.key", "-out", "x.out");
        Assert.That(code, Is.Not.Zero);
    }

    [TestCase(SmimeSignatureFormat.MultipartSigned)]
    [TestCase(SmimeSignatureFormat.Opaque)]
    public void OpenSslDecryptsAndVerifiesOurSignThenEncrypt(SmimeSignatureFormat format)
    {
        BodyProtectResult sent = Alice(format).Protect(BodyProtection.SignAndEncrypt, "text/plain", Encoding.UTF8.GetBytes(Text), AliceUri, BobUri);
        Write("enc.der", sent.Body);
        Ok("cms", "-decrypt", "-inform", "DER", "-in", "enc.der", "-recip", "bob.pem", "-inkey", "bob.key", "-binary", "-out", "inner.eml");
        Ok("cms", "-verify", "-in", "inner.eml", "-CAfile", "ca.pem", "-out", "content.out");
        Assert.That(Encoding.UTF8.GetString(Read("content.out")), Is.EqualTo(Entity("text/plain", Text)));
    }

    [Test]
    public void EcdsaSignaturesInteroperateBothWays()
    {
        _ssl.WritePem("ellen", Pki.EcSigner, withKey: true);
        var ellen = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.EcSigner, TransferEncoding = SmimeTransferEncoding.Base64 });
        BodyProtectResult sent = ellen.Protect(BodyProtection.Sign, "text/plain", Encoding.UTF8.GetBytes(Text), "sip:ellen@example.test", BobUri);
        Write("signed.eml", AsMimeMessage(sent));
        // -purpose any: the test certificate has no emailProtection EKU.
        Ok("cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-purpose", "any", "-out", "content.out");
        Assert.That(Encoding.UTF8.GetString(Read("content.out")), Is.EqualTo(Entity("text/plain", Text)));

        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        Ok("cms", "-sign", "-in", "entity.txt", "-signer", "ellen.pem", "-inkey", "ellen.key", "-md", "sha256", "-binary", "-crlfeol", "-out", "ossl.eml");
        (string type, byte[] body) = FromMimeMessage(Read("ossl.eml"));
        Assert.That(Bob().Unprotect(type, null, body, "sip:ellen@example.test").Signature, Is.EqualTo(SignatureVerdict.Valid));
    }

    [Test]
    public void OpenSslReadsOurCertsOnly()
    {
        BodyProtectResult certs = Alice().CertificatesOnly();
        Write("certs.p7c", certs.Body);
        (int code, string output) = _ssl.Run("pkcs7", "-inform", "DER", "-in", "certs.p7c", "-print_certs", "-noout");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("subject=CN = alice"));
    }

    [Test]
    public void WeVerifyOpenSslMultipartSigned()
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        Ok("cms", "-sign", "-in", "entity.txt", "-signer", "alice.pem", "-inkey", "alice.key", "-md", "sha256", "-binary", "-crlfeol", "-out", "signed.eml");
        (string type, byte[] body) = FromMimeMessage(Read("signed.eml"));
        Assert.That(type, Does.StartWith("multipart/signed"));
        BodyUnprotectResult got = Bob().Unprotect(type, null, body, "<sip:alice@example.test>;tag=a");
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
            Assert.That(got.ContentType, Is.EqualTo("text/plain"));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Text));
        });

        // The same bytes with one letter of the content changed must not verify.
        int at = Encoding.Latin1.GetString(body).IndexOf("Hello", StringComparison.Ordinal);
        body[at] = (byte)'J';
        Assert.That(Bob().Unprotect(type, null, body, AliceUri).Status, Is.EqualTo(BodyUnprotectStatus.SignatureInvalid));
    }

    [Test]
    public void WeVerifyOpenSslOpaqueSignedData()
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("application/sdp", "v=0\r\ns=-\r\n")));
        Ok("cms", "-sign", "-nodetach", "-in", "entity.txt", "-signer", "alice.pem", "-inkey", "alice.key", "-md", "sha256", "-binary", "-outform", "DER", "-out", "signed.der");
        BodyUnprotectResult got = Bob().Unprotect("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m", "attachment; handling=required", Read("signed.der"), AliceUri);
        Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid), got.Reason);
        Assert.That(got.ContentType, Is.EqualTo("application/sdp"));
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo("v=0\r\ns=-\r\n"));
    }

    [TestCase("-aes128", null)]
    [TestCase("-aes256", null)]
    [TestCase("-aes128", "rsa_padding_mode:oaep")]
    public void WeDecryptOpenSslEnvelopedData(string cipher, string? keyopt)
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        string[] args = keyopt is null
            ? ["cms", "-encrypt", cipher, "-binary", "-in", "entity.txt", "-outform", "DER", "-out", "enc.der", "-recip", "bob.pem"]
            : ["cms", "-encrypt", cipher, "-binary", "-in", "entity.txt", "-outform", "DER", "-out", "enc.der", "-recip", "bob.pem", "-keyopt", keyopt];
        Ok(args);
        BodyUnprotectResult got = Bob().Unprotect("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", null, Read("enc.der"), AliceUri);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
        Assert.That(got.WasEncrypted, Is.True);
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Text));
    }

    [TestCase(SmimeContentEncryption.Aes128Gcm)]
    [TestCase(SmimeContentEncryption.Aes256Gcm)]
    public void OpenSslDecryptsOurAuthEnvelopedData(SmimeContentEncryption algorithm)
    {
        var alice = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Alice, PeerCertificates = [.. TestPki.PublicOnly([Pki.Bob])], ContentEncryption = algorithm });
        BodyProtectResult sent = alice.Protect(BodyProtection.Encrypt, "text/plain", Encoding.UTF8.GetBytes(Text), AliceUri, BobUri);
        Write("enc.der", sent.Body);
        Ok("cms", "-decrypt", "-inform", "DER", "-in", "enc.der", "-recip", "bob.pem", "-inkey", "bob.key", "-binary", "-out", "inner.out");
        Assert.That(Encoding.UTF8.GetString(Read("inner.out")), Is.EqualTo(Entity("text/plain", Text)));
        (int _, string dump) = _ssl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", "enc.der");
        Assert.That(dump, Does.Contain(algorithm == SmimeContentEncryption.Aes128Gcm ? "aes-128-gcm" : "aes-256-gcm"));
    }

    [TestCase("-aes-128-gcm", null)]
    [TestCase("-aes-256-gcm", null)]
    [TestCase("-aes-128-gcm", "rsa_padding_mode:oaep")]
    public void WeDecryptOpenSslAuthEnvelopedData(string cipher, string? keyopt)
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        string[] args = keyopt is null
            ? ["cms", "-encrypt", cipher, "-binary", "-in", "entity.txt", "-outform", "DER", "-out", "enc.der", "-recip", "bob.pem"]
            : ["cms", "-encrypt", cipher, "-binary", "-in", "entity.txt", "-outform", "DER", "-out", "enc.der", "-recip", "bob.pem", "-keyopt", keyopt];
        Ok(args);
        BodyUnprotectResult got = Bob().Unprotect("application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m", null, Read("enc.der"), AliceUri);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
        Assert.That(got.WasEncrypted, Is.True);
        Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Text));
        BodyUnprotectResult carol = new SmimeBodyProtector(new SmimeOptions { Certificate = Pki.Carol }).Unprotect("application/pkcs7-mime", null, Read("enc.der"), AliceUri);
        Assert.That(carol.SipStatus, Is.EqualTo(493));
    }

    [Test]
    public void WeDecryptAndVerifyOpenSslSignThenEncrypt()
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        Ok("cms", "-sign", "-in", "entity.txt", "-signer", "alice.pem", "-inkey", "alice.key", "-md", "sha256", "-binary", "-crlfeol", "-out", "signed.eml");
        Ok("cms", "-encrypt", "-aes128", "-binary", "-in", "signed.eml", "-outform", "DER", "-out", "enc.der", "-recip", "bob.pem");
        BodyUnprotectResult got = Bob().Unprotect("application/pkcs7-mime; smime-type=enveloped-data", null, Read("enc.der"), AliceUri);
        Assert.Multiple(() =>
        {
            Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Unwrapped), got.Reason);
            Assert.That(got.WasEncrypted, Is.True);
            Assert.That(got.Signature, Is.EqualTo(SignatureVerdict.Valid));
            Assert.That(Encoding.UTF8.GetString(got.Body), Is.EqualTo(Text));
        });
    }

    [Test]
    public void OpenSslBodyForSomeoneElseGets493()
    {
        Write("entity.txt", Encoding.UTF8.GetBytes(Entity("text/plain", Text)));
        Ok("cms", "-encrypt", "-aes128", "-binary", "-in", "entity.txt", "-outform", "DER", "-out", "enc.der", "-recip", "carol.pem");
        BodyUnprotectResult got = Bob().Unprotect("application/pkcs7-mime; smime-type=enveloped-data", null, Read("enc.der"), AliceUri);
        Assert.That(got.Status, Is.EqualTo(BodyUnprotectStatus.Undecipherable));
        Assert.That(got.SipStatus, Is.EqualTo(493));
    }
}
