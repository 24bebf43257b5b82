// SPDX-License-Identifier: MIT
// Client credentials checked by the server: success, wrong password, replay, stale and forged nonces.

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.Auth;

namespace Sipwire.Tests.Auth;

[TestFixture]
public sealed class DigestExchangeTests
{
    private const string Realm = "example.test";
    private const string Uri = "sip:example.test";
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(30);

    private static string? Passwords(string user) => user == "alice" ? "s3cret" : null;

    [TestCase(DigestAlgorithm.Md5)]
    [TestCase(DigestAlgorithm.Md5Sess)]
    [TestCase(DigestAlgorithm.Sha256)]
    [TestCase(DigestAlgorithm.Sha256Sess)]
    [TestCase(DigestAlgorithm.Sha512_256)]
    [TestCase(DigestAlgorithm.Sha512_256Sess)]
    public void ClientAnswerIsAccepted(DigestAlgorithm algorithm)
    {
        var server = new DigestServer(Realm, algorithm, s_lifetime);
        DigestChallenge challenge = Reparse(server.CreateChallenge(1000));
        string credentials = new DigestClient().Authorize(challenge, "alice", "s3cret", "REGISTER", Uri, default);
        Assert.That(credentials, Does.Contain($"algorithm={DigestAlgorithms.Name(algorithm)}"));
        Assert.That(server.Verify(credentials, "REGISTER", Uri, default, Passwords, 2000, out string? user), Is.EqualTo(DigestVerdict.Ok));
        Assert.That(user, Is.EqualTo("alice"));
    }

    [Test]
    public void AuthIntCoversTheBody()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        DigestChallenge offered = server.CreateChallenge(0);
        DigestChallenge authIntOnly = new()
        {
            Realm = offered.Realm, Nonce = offered.Nonce, Algorithm = offered.Algorithm, OffersAuthInt = true,
        };
        byte[] body = Encoding.ASCII.GetBytes("v=0\r\n");
        string credentials = new DigestClient().Authorize(authIntOnly, "alice", "s3cret", "INVITE", Uri, body);
        Assert.That(credentials, Does.Contain("qop=auth-int"));
        Assert.That(server.Verify(credentials, "INVITE", Uri, Encoding.ASCII.GetBytes("v=1\r\n"), Passwords, 1, out _), Is.EqualTo(DigestVerdict.WrongResponse));
        Assert.That(server.Verify(credentials, "INVITE", Uri, body, Passwords, 1, out _), Is.EqualTo(DigestVerdict.Ok));
    }

    [Test]
    public void WrongPasswordUnknownUserAndWrongMethodFail()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        DigestChallenge challenge = server.CreateChallenge(0);
        var client = new DigestClient();
        Assert.That(server.Verify(client.Authorize(challenge, "alice", "guess", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.WrongResponse));
        Assert.That(server.Verify(client.Authorize(challenge, "mallory", "x", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out string? who),
            Is.EqualTo(DigestVerdict.UnknownUser));
        Assert.That(who, Is.EqualTo("mallory"));
        Assert.That(server.Verify(client.Authorize(challenge, "alice", "s3cret", "REGISTER", Uri, default), "INVITE", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.WrongResponse));
        Assert.That(server.Verify(client.Authorize(challenge, "alice", "s3cret", "REGISTER", "sip:other.test", default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.UriMismatch));
    }

    [Test]
    public void ReplayedCredentialsAreRejectedAndTheNonceCountMustRise()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        DigestChallenge challenge = server.CreateChallenge(0);
        var client = new DigestClient();
        string first = client.Authorize(challenge, "alice", "s3cret", "REGISTER", Uri, default);
        string second = client.Authorize(challenge, "alice", "s3cret", "REGISTER", Uri, default);
        Assert.That(first, Does.Contain("nc=00000001"));
        Assert.That(second, Does.Contain("nc=00000002"));
        Assert.That(server.Verify(first, "REGISTER", Uri, default, Passwords, 10, out _), Is.EqualTo(DigestVerdict.Ok));
        Assert.That(server.Verify(first, "REGISTER", Uri, default, Passwords, 11, out _), Is.EqualTo(DigestVerdict.Replayed));
        Assert.That(server.Verify(second, "REGISTER", Uri, default, Passwords, 12, out _), Is.EqualTo(DigestVerdict.Ok));
        Assert.That(server.Verify(second, "REGISTER", Uri, default, Passwords, 13, out _), Is.EqualTo(DigestVerdict.Replayed));
    }

    [Test]
    public void ExpiredNonceIsStaleOnlyWhenThePasswordIsRight()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Md5, s_lifetime);
        DigestChallenge challenge = server.CreateChallenge(0);
        var client = new DigestClient();
        long later = (long)s_lifetime.TotalMilliseconds + 1;
        Assert.That(server.Verify(client.Authorize(challenge, "alice", "s3cret", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, later, out _),
            Is.EqualTo(DigestVerdict.StaleNonce));
        Assert.That(server.Verify(client.Authorize(challenge, "alice", "guess", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, later, out _),
            Is.EqualTo(DigestVerdict.WrongResponse));
        DigestChallenge fresh = server.CreateChallenge(later, stale: true);
        Assert.That(fresh.ToString(), Does.Contain("stale=true"));
    }

    [Test]
    public void ForgedAndForeignNoncesAreInvalid()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        var other = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        var client = new DigestClient();
        DigestChallenge foreign = other.CreateChallenge(0);
        Assert.That(server.Verify(client.Authorize(foreign, "alice", "s3cret", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.InvalidNonce));
        DigestChallenge forged = new() { Realm = Realm, Nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", Algorithm = DigestAlgorithm.Sha256, OffersAuth = true };
        Assert.That(server.Verify(client.Authorize(forged, "alice", "s3cret", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.InvalidNonce));
    }

    [Test]
    public void EvictedNoncesBecomeStaleNotReplayable()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime, maxNonces: 2);
        var client = new DigestClient();
        DigestChallenge oldest = server.CreateChallenge(0);
        string credentials = client.Authorize(oldest, "alice", "s3cret", "REGISTER", Uri, default);
        server.CreateChallenge(1);
        server.CreateChallenge(2);
        Assert.That(server.Verify(credentials, "REGISTER", Uri, default, Passwords, 3, out _), Is.EqualTo(DigestVerdict.StaleNonce));
    }

    [TestCase("")]
    [TestCase("Basic YWxpY2U6czNjcmV0")]
    [TestCase("Digest username=\"alice\"")]
    [TestCase("Digest username=\"alice\", realm=\"example.test\", nonce=\"n\", uri=\"sip:example.test\", response=\"0\", qop=auth, nc=1, cnonce=\"c\"")]
    [TestCase("Digest username=\"alice\", realm=\"example.test\", nonce=\"n\", uri=\"sip:example.test\", response=\"0\", qop=auth, nc=00000001")]
    public void MalformedCredentialsAreRejected(string credentials)
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Md5, s_lifetime);
        Assert.That(server.Verify(credentials, "REGISTER", Uri, default, Passwords, 0, out _), Is.EqualTo(DigestVerdict.Malformed));
    }

    [Test]
    public void WrongRealmAndAlgorithmAreNamed()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        var client = new DigestClient();
        DigestChallenge challenge = server.CreateChallenge(0);
        DigestChallenge otherRealm = new() { Realm = "evil.test", Nonce = challenge.Nonce, Algorithm = DigestAlgorithm.Sha256, OffersAuth = true };
        Assert.That(server.Verify(client.Authorize(otherRealm, "alice", "s3cret", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.WrongRealm));
        DigestChallenge downgraded = new() { Realm = Realm, Nonce = challenge.Nonce, Algorithm = DigestAlgorithm.Md5, OffersAuth = true };
        Assert.That(server.Verify(client.Authorize(downgraded, "alice", "s3cret", "REGISTER", Uri, default), "REGISTER", Uri, default, Passwords, 1, out _),
            Is.EqualTo(DigestVerdict.UnsupportedAlgorithm));
    }

    [Test]
    public void UserHashHidesTheUserName()
    {
        var server = new DigestServer(Realm, DigestAlgorithm.Sha256, s_lifetime);
        DigestChallenge offered = server.CreateChallenge(0);
        DigestChallenge withUserHash = new() { Realm = Realm, Nonce = offered.Nonce, Algorithm = DigestAlgorithm.Sha256, OffersAuth = true, UserHash = true };
        string credentials = new DigestClient().Authorize(withUserHash, "alice", "s3cret", "REGISTER", Uri, default);
        Assert.That(credentials, Does.Not.Contain("\"alice\""));
        Assert.That(credentials, Does.Contain(DigestResponse.UserHash(DigestAlgorithm.Sha256, "alice", Realm)));
        Assert.That(credentials, Does.Contain("userhash=true"));
    }

    // The client reads what the server sends, as it would off the wire.
    private static DigestChallenge Reparse(DigestChallenge challenge)
    {
        Assert.That(DigestChallenge.TryParse(challenge.ToString(), out DigestChallenge? parsed, out string error), Is.True, error);
        return parsed!;
    }
}
