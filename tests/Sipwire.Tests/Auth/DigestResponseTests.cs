// SPDX-License-Identifier: MIT
// Digest responses against the RFC examples and the hashlib oracle, for every algorithm and qop.

using System;
using NUnit.Framework;
using Sipwire.Auth;

namespace Sipwire.Tests.Auth;

[TestFixture]
public sealed class DigestResponseTests
{
    // RFC 7616 §3.9.1: the same request with MD5 and with SHA-256.
    [TestCase(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [TestCase(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616Example(DigestAlgorithm algorithm, string expected)
    {
        string response = DigestResponse.Compute(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
            "/dir/index.html", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", 1, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth", default);
        Assert.That(response, Is.EqualTo(expected));
    }

    [Test]
    public void Rfc2617Example()
    {
        // RFC 2617 §3.5.
        string response = DigestResponse.Compute(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
            "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", 1, "0a4f113b", "auth", default);
        Assert.That(response, Is.EqualTo("6629fae49393a05397450978507c4ef1"));
    }

    [Test]
    public void EveryAlgorithmAndQopMatchesTheOracle()
    {
        int rows = 0;
        foreach (string[] r in AuthVectors.Rows("digest.tsv"))
        {
            Assert.That(DigestAlgorithms.TryParse(r[0], out DigestAlgorithm algorithm), Is.True, r[0]);
            string response = DigestResponse.Compute(algorithm, r[1], r[2], r[3], r[4], r[5], r[6], uint.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture),
                r[8].Length == 0 ? null : r[8], r[9].Length == 0 ? null : r[9], Convert.FromHexString(r[10]));
            Assert.That(response, Is.EqualTo(r[11]), string.Join(" | ", r[..10]));
            rows++;
        }
        Assert.That(rows, Is.EqualTo(45));
    }

    [Test]
    public void SessionAlgorithmsNeedACnonce()
    {
        Assert.That(() => DigestResponse.Compute(DigestAlgorithm.Sha256Sess, "u", "r", "p", "REGISTER", "sip:r", "n", 1, null, null, default),
            Throws.InstanceOf<ArgumentException>());
        Assert.That(() => DigestResponse.Compute(DigestAlgorithm.Md5, "u", "r", "p", "REGISTER", "sip:r", "n", 1, "c", "auth-conf", default),
            Throws.InstanceOf<ArgumentException>());
    }
}
