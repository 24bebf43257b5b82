// TLS transport on loopback with a CA made by the test: success, untrusted CA and wrong name are refused.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Tls;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Transport;

[TestFixture]
[NonParallelizable]
public sealed class TlsTransportTests
{
    private static X509Certificate2 MakeCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 MakeServer(X509Certificate2 ca, IPAddress ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=sipwire-test-server", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(ip);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        byte[] serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using X509Certificate2 issued = req.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        // SslStream on Linux needs a key it can reuse: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12, "t"), "t");
    }

    private static byte[] Options(PeerAddress from, string branch) => Encoding.ASCII.GetBytes(
        $"OPTIONS sips:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:{from.Port};branch={branch}\r\n" +
        "Max-Forwards: 70\r\nFrom: <sips:a@test>;tag=1\r\nTo: <sips:b@test>\r\n" +
        $"Call-ID: {branch}@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    private static RecordingUser Exchange(X509Certificate2 serverCert, X509Certificate2 trusted)
    {
        var options = new EndpointOptions { T1 = TimeSpan.FromMilliseconds(20), T2 = TimeSpan.FromMilliseconds(80) };
        using var a = new Endpoint(options);
        using var b = new Endpoint(options);
        var user = new RecordingUser();
        a.User = user;
        a.Transport.TlsProvider = new SslStreamTlsProvider { TrustedRoots = [trusted] };
        b.Transport.TlsProvider = new SslStreamTlsProvider { ServerCertificate = serverCert };
        PeerAddress aAddr = a.Transport.AddTcp(new IPEndPoint(IPAddress.Loopback, 0));
        PeerAddress bAddr = b.Transport.AddTls(new IPEndPoint(IPAddress.Loopback, 0));
        a.Transactions.SendRequest(Options(aAddr, "z9hG4bK-tls1"), bAddr);
        var sw = Stopwatch.StartNew();
        while (user.Responses.Count == 0 && user.Errors.Count == 0 && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            a.Poll(TimeSpan.FromMilliseconds(5));
            b.Poll(TimeSpan.FromMilliseconds(5));
        }
        return user;
    }

    [Test]
    public void OptionsOverTlsWithTestCa()
    {
        using X509Certificate2 ca = MakeCa("Sipwire Test CA");
        using X509Certificate2 server = MakeServer(ca, IPAddress.Loopback);
        RecordingUser user = Exchange(server, ca);
        Assert.That(user.Responses, Is.EqualTo(new[] { 200 }));
    }

    [Test]
    public void ServerFromAnotherCaIsRefused()
    {
        using X509Certificate2 ca = MakeCa("Sipwire Test CA");
        using X509Certificate2 other = MakeCa("Some Other CA");
        using X509Certificate2 server = MakeServer(ca, IPAddress.Loopback);
        RecordingUser user = Exchange(server, other);
        Assert.That(user.Responses, Is.Empty);
        Assert.That(user.Errors, Has.Count.EqualTo(1), "the request never went out");
        // RFC 3261 §17.1.4: the refused handshake is a transport error at once, not a Timer F timeout.
        Assert.That(user.Errors[0].Error, Is.EqualTo(TransactionError.TransportError));
    }

    [Test]
    public void SilentPeerIsDroppedAfterTheHandshakeTimeout()
    {
        using X509Certificate2 ca = MakeCa("Sipwire Test CA");
        using X509Certificate2 server = MakeServer(ca, IPAddress.Loopback);
        var clock = new VirtualClock();
        using var b = new Endpoint(new EndpointOptions(), clock);
        b.Transport.TlsProvider = new SslStreamTlsProvider { ServerCertificate = server };
        var failures = new System.Collections.Generic.List<(PeerAddress Remote, bool Client, string Reason)>();
        b.Transport.TlsHandshakeFailed += (remote, client, reason) => failures.Add((remote, client, reason));
        PeerAddress listener = b.Transport.AddTls(new IPEndPoint(IPAddress.Loopback, 0));
        // A peer that connects and never sends a ClientHello.
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        silent.Connect(listener.ToEndPoint());
        var sw = Stopwatch.StartNew();
        while (b.Transport.ConnectionCount == 0 && sw.Elapsed < TimeSpan.FromSeconds(5)) b.Poll(TimeSpan.FromMilliseconds(10));
        Assert.That(b.Transport.ConnectionCount, Is.EqualTo(1), "accepted");
        clock.Advance(TimeSpan.FromMicroseconds(SocketTransport.TlsHandshakeTimeoutMicros - 1_000_000));
        b.Poll(TimeSpan.FromMilliseconds(1));
        Assert.That(b.Transport.ConnectionCount, Is.EqualTo(1), "still within the handshake time");
        clock.Advance(TimeSpan.FromSeconds(2));
        b.Poll(TimeSpan.FromMilliseconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(b.Transport.ConnectionCount, Is.Zero, "closed: it held a connection slot without a handshake");
            Assert.That(failures, Has.Count.EqualTo(1));
            Assert.That(failures[0].Client, Is.False);
            Assert.That(failures[0].Reason, Does.Contain("not finished within 10 s"));
            Assert.That(b.Transport.TlsHandshakeFailures, Is.EqualTo(1));
        });
    }

    [Test]
    public void CertificateForAnotherAddressIsRefused()
    {
        using X509Certificate2 ca = MakeCa("Sipwire Test CA");
        using X509Certificate2 server = MakeServer(ca, IPAddress.Parse("192.0.2.7"));
        RecordingUser user = Exchange(server, ca);
        Assert.That(user.Responses, Is.Empty, "host name (IP SAN) validation is on by default");
    }
}
