// SPDX-License-Identifier: MIT
// The managed MD5, SHA-256 and SHA-512/256 against published values and an independent oracle.

using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using Sipwire.Auth;

namespace Sipwire.Tests.Auth;

[TestFixture]
public sealed class HashTests
{
    // RFC 1321 §A.5, FIPS 180-4 examples (NIST CSRC "abc" and empty-string values).
    [TestCase("MD5", "", "d41d8cd98f00b204e9800998ecf8427e")]
    [TestCase("MD5", "abc", "900150983cd24fb0d6963f7d28e17f72")]
    [TestCase("MD5", "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    [TestCase("SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("SHA-256", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [TestCase("SHA-512-256", "abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")]
    [TestCase("SHA-512-256", "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a")]
    public void PublishedValues(string algorithm, string input, string expected)
    {
        Assert.That(Hash(algorithm, Encoding.ASCII.GetBytes(input)), Is.EqualTo(expected));
    }

    [Test]
    public void EveryLengthMatchesTheOracle()
    {
        int rows = 0;
        foreach (string[] row in AuthVectors.Rows("hashes.tsv"))
        {
            Assert.That(Hash(row[0], Convert.FromHexString(row[1])), Is.EqualTo(row[2]), $"{row[0]} of {row[1].Length / 2} bytes");
            rows++;
        }
        Assert.That(rows, Is.EqualTo(3 * 301));
    }

    [Test]
    public void IncrementalAppendsEqualOneShot()
    {
        var random = new Random(7);
        byte[] data = new byte[1000];
        random.NextBytes(data);
        foreach (int split in new[] { 0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 500 })
        {
            Md5 md5 = Md5.Create();
            md5.Append(data.AsSpan(0, split));
            md5.Append(data.AsSpan(split));
            byte[] got = new byte[16];
            md5.Finish(got);
#pragma warning disable CA5351 // The platform MD5 is the oracle for ours, which digest interop needs.
            Assert.That(got, Is.EqualTo(MD5.HashData(data)), $"MD5 split at {split}");
#pragma warning restore CA5351

            Sha256 sha = Sha256.Create();
            sha.Append(data.AsSpan(0, split));
            sha.Append(data.AsSpan(split));
            byte[] got256 = new byte[32];
            sha.Finish(got256);
            Assert.That(got256, Is.EqualTo(SHA256.HashData(data)), $"SHA-256 split at {split}");
        }
    }

    [Test]
    public void HmacSha256MatchesRfc4231()
    {
        // RFC 4231 §4.2, test case 1.
        byte[] key = Enumerable.Repeat((byte)0x0b, 20).ToArray();
        byte[] mac = new byte[32];
        HmacSha256.Compute(key, "Hi There"u8, mac);
        Assert.That(Convert.ToHexStringLower(mac), Is.EqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
        // Test case 6: a key longer than the block is hashed first.
        byte[] longKey = Enumerable.Repeat((byte)0xaa, 131).ToArray();
        HmacSha256.Compute(longKey, "Test Using Larger Than Block-Size Key - Hash Key First"u8, mac);
        Assert.That(Convert.ToHexStringLower(mac), Is.EqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    }

    private static string Hash(string algorithm, byte[] data)
    {
        Assert.That(DigestAlgorithms.TryParse(algorithm, out DigestAlgorithm parsed), Is.True);
        return DigestHasher.HashBody(parsed, data);
    }
}
