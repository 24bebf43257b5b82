// SPDX-License-Identifier: MIT
// Parsing challenges: RFC forms, LWS and escapes, and clear errors for bad ones.

using NUnit.Framework;
using Sipwire.Auth;

namespace Sipwire.Tests.Auth;

[TestFixture]
public sealed class DigestChallengeTests
{
    [Test]
    public void ParsesTheRfc7616Challenge()
    {
        const string value = "Digest\r\n realm=\"http-auth@example.org\",\r\n qop=\"auth, auth-int\",\r\n algorithm=SHA-256,\r\n"
            + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        Assert.That(DigestChallenge.TryParse(value, out DigestChallenge? c, out string error), Is.True, error);
        Assert.That(c!.Realm, Is.EqualTo("http-auth@example.org"));
        Assert.That(c.Nonce, Is.EqualTo("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"));
        Assert.That(c.Opaque, Is.EqualTo("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"));
        Assert.That(c.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256));
        Assert.That(c.OffersAuth && c.OffersAuthInt, Is.True);
        Assert.That(c.Stale, Is.False);
    }

    [Test]
    public void Rfc3261ChallengeWithoutAlgorithmIsMd5()
    {
        // RFC 3261 §22.4 example: algorithm and qop absent.
        Assert.That(DigestChallenge.TryParse("Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE",
            out DigestChallenge? c, out string error), Is.True, error);
        Assert.That(c!.Algorithm, Is.EqualTo(DigestAlgorithm.Md5));
        Assert.That(c.OffersAuth || c.OffersAuthInt, Is.False);
        Assert.That(c.Opaque, Is.Empty);
    }

    [Test]
    public void UndoesQuotedPairsAndToleratesCase()
    {
        Assert.That(DigestChallenge.TryParse("digest REALM=\"a \\\"quoted\\\" realm\\\\\" , NONCE=abc , Algorithm=sha-512-256-SESS, stale=TRUE, userhash=true",
            out DigestChallenge? c, out string error), Is.True, error);
        Assert.That(c!.Realm, Is.EqualTo("a \"quoted\" realm\\"));
        Assert.That(c.Nonce, Is.EqualTo("abc"));
        Assert.That(c.Algorithm, Is.EqualTo(DigestAlgorithm.Sha512_256Sess));
        Assert.That(c.Stale && c.UserHash, Is.True);
    }

    [TestCase("Basic realm=\"x\"", "auth scheme 'Basic' is not supported")]
    [TestCase("Digest nonce=\"n\"", "no realm")]
    [TestCase("Digest realm=\"r\"", "no nonce")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1", "algorithm 'SHA-1' is not supported")]
    [TestCase("Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\"", "offers neither auth nor auth-int")]
    [TestCase("Digest realm=\"r, nonce=\"n\"", "expected ','")]
    [TestCase("Digest realm=\"r\", nonce=\"n", "unterminated quoted string")]
    [TestCase("Digest realm=\"r\", realm=\"s\", nonce=n", "appears twice")]
    [TestCase("Digest realm=\"r\",, nonce=n", "expected a parameter name")]
    [TestCase("Digest realm=\"r\", nonce=n,", "trailing ','")]
    [TestCase("Digest realm", "has no '=' value")]
    [TestCase("", "no auth scheme")]
    public void RejectsWithAReason(string value, string reason)
    {
        Assert.That(DigestChallenge.TryParse(value, out DigestChallenge? c, out string error), Is.False);
        Assert.That(c, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void StrongestOfSeveralChallengesWins()
    {
        // RFC 8760 §2.4: a server may offer one challenge per algorithm.
        DigestChallenge md5 = Parse("Digest realm=\"r\", nonce=\"1\", algorithm=MD5");
        DigestChallenge sha256 = Parse("Digest realm=\"r\", nonce=\"2\", algorithm=SHA-256");
        DigestChallenge sha512 = Parse("Digest realm=\"r\", nonce=\"3\", algorithm=SHA-512-256");
        Assert.That(DigestChallenge.SelectStrongest([md5, sha512, sha256]), Is.SameAs(sha512));
        Assert.That(DigestChallenge.SelectStrongest([md5, sha256]), Is.SameAs(sha256));
        Assert.That(DigestChallenge.SelectStrongest([]), Is.Null);
    }

    [Test]
    public void ChallengeRoundTripsThroughItsText()
    {
        DigestChallenge original = Parse("Digest realm=\"a\\\"b\", nonce=\"n1\", opaque=\"o\", algorithm=SHA-256-sess, qop=\"auth\", stale=true");
        DigestChallenge again = Parse(original.ToString());
        Assert.That(again.Realm, Is.EqualTo("a\"b"));
        Assert.That(again.Algorithm, Is.EqualTo(DigestAlgorithm.Sha256Sess));
        Assert.That(again.OffersAuth && !again.OffersAuthInt && again.Stale, Is.True);
        Assert.That(again.Opaque, Is.EqualTo("o"));
    }

    private static DigestChallenge Parse(string value)
    {
        Assert.That(DigestChallenge.TryParse(value, out DigestChallenge? c, out string error), Is.True, error);
        return c!;
    }
}
