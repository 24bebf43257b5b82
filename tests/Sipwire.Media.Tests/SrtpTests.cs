// SRTP/SRTCP: RFC 3711 Appendix B vectors, RFC 4568 key-params, replay and ROC rules, and libsrtp2 interop both ways.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Bench.Media;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class SrtpTests
{
    private static readonly byte[] s_key = Vectors.Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] s_salt = Vectors.Hex("0EC675AD498AFEEBB6960B3AABE6");

    private static string Value(List<KeyValuePair<string, string>> kv, string key) => kv.Single(p => p.Key == key).Value;

    [Test]
    public void AesCounterModeKeystreamMatchesRfc3711B2()
    {
        var v = Vectors.ReadKeyValues("srtp/rfc3711-b2-aes-cm.txt");
        byte[] key = Vectors.Hex(Value(v, "session_key"));
        byte[] salt = Vectors.Hex(Value(v, "session_salt"));
        int length = int.Parse(Value(v, "segment_length"), System.Globalization.CultureInfo.InvariantCulture);
        byte[] iv = new byte[16];
        SrtpContext.BuildIv(salt, Convert.ToUInt32(Value(v, "ssrc"), 16), Convert.ToUInt64(Value(v, "roc") + Value(v, "seq"), 16), iv);
        Assert.That(iv, Is.EqualTo(Vectors.Hex(Value(v, "first_counter"))));
        byte[] keystream = new byte[length];
        using var cm = new AesCounterMode(key);
        cm.Keystream(iv, keystream);
        Assert.That(keystream[..48], Is.EqualTo(Vectors.Hex(Value(v, "first_keystream"))));
        Assert.That(keystream[^48..], Is.EqualTo(Vectors.Hex(Value(v, "last_keystream"))));
    }

    [Test]
    public void KeyDerivationMatchesRfc3711B3()
    {
        var v = Vectors.ReadKeyValues("srtp/rfc3711-b3-kdf.txt");
        byte[] mk = Vectors.Hex(Value(v, "master_key"));
        byte[] ms = Vectors.Hex(Value(v, "master_salt"));
        byte[] cipherKey = new byte[16];
        byte[] cipherSalt = new byte[14];
        byte[] authKey = new byte[94];
        SrtpKeyDerivation.Derive(mk, ms, SrtpKeyDerivation.RtpEncryption, cipherKey);
        SrtpKeyDerivation.Derive(mk, ms, SrtpKeyDerivation.RtpSalt, cipherSalt);
        SrtpKeyDerivation.Derive(mk, ms, SrtpKeyDerivation.RtpAuthentication, authKey);
        Assert.That(cipherKey, Is.EqualTo(Vectors.Hex(Value(v, "cipher_key"))));
        Assert.That(cipherSalt, Is.EqualTo(Vectors.Hex(Value(v, "cipher_salt"))));
        Assert.That(authKey, Is.EqualTo(Vectors.Hex(Value(v, "auth_key"))));
    }

    [Test]
    public void ParsesTheRfc4568ExampleKeyParams()
    {
        var v = Vectors.ReadKeyValues("srtp/rfc4568-key-params.txt");
        Assert.That(SrtpKeyParams.TryParse(Value(v, "input"), out SrtpKeyParams? kp, out string? error), Is.True, error);
        Assert.That(kp!.MasterKey.ToArray(), Is.EqualTo(Vectors.Hex(Value(v, "key"))));
        Assert.That(kp.MasterSalt.ToArray(), Is.EqualTo(Vectors.Hex(Value(v, "salt"))));
        Assert.That(kp.Lifetime, Is.EqualTo(ulong.Parse(Value(v, "lifetime"), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(kp.Mki.ToArray(), Is.EqualTo(Vectors.Hex(Value(v, "mki"))));
    }

    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", 0)]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4", 4)]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1000", 0)]
    public void ParsesOptionalParts(string text, int mkiLength)
    {
        Assert.That(SrtpKeyParams.TryParse(text, out SrtpKeyParams? kp, out string? error), Is.True, error);
        Assert.That(kp!.Mki.Length, Is.EqualTo(mkiLength));
    }

    [TestCase("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")]
    [TestCase("INLINE:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXX")]
    [TestCase("inline:!!!!QCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^49")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|0")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|256:1")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0")]
    [TestCase("inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20")]
    public void RejectsBadKeyParams(string text)
    {
        Assert.That(SrtpKeyParams.TryParse(text, out _, out string? error), Is.False);
        Assert.That(error, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void FormatRoundTrips()
    {
        string text = SrtpKeyParams.Format(s_key, s_salt, 31, 7, 2);
        Assert.That(SrtpKeyParams.TryParse(text, out SrtpKeyParams? kp, out string? error), Is.True, error);
        Assert.That(kp!.MasterKey.ToArray(), Is.EqualTo(s_key));
        Assert.That(kp.MasterSalt.ToArray(), Is.EqualTo(s_salt));
        Assert.That(kp.Lifetime, Is.EqualTo(1UL << 31));
        Assert.That(kp.Mki.ToArray(), Is.EqualTo(new byte[] { 0, 7 }));
        Assert.That(SrtpSuiteName.TryParse("AES_CM_128_HMAC_SHA1_32", out SrtpProfile p), Is.True);
        Assert.That(p, Is.EqualTo(SrtpProfile.AesCm128HmacSha1Tag32));
        Assert.That(SrtpSuiteName.TryParse("AES_256_CM_HMAC_SHA1_80", out _), Is.False);
    }

    private static byte[] RtpPacket(ushort seq, uint ssrc, int payloadLength, int seed)
    {
        var r = new Random(seed);
        byte[] packet = new byte[RtpHeader.FixedSize + payloadLength];
        new RtpHeader(0, seq, (uint)seq * 160, ssrc).TryWrite(packet, out _);
        r.NextBytes(packet.AsSpan(RtpHeader.FixedSize));
        return packet;
    }

    private static byte[] Protect(SrtpContext tx, byte[] rtp)
    {
        byte[] buffer = new byte[rtp.Length + tx.RtpOverhead];
        rtp.CopyTo(buffer, 0);
        Assert.That(tx.ProtectRtp(buffer, rtp.Length, out int n), Is.EqualTo(SrtpStatus.Ok));
        Assert.That(n, Is.EqualTo(buffer.Length));
        return buffer;
    }

    [TestCase(SrtpProfile.AesCm128HmacSha1Tag80, 10)]
    [TestCase(SrtpProfile.AesCm128HmacSha1Tag32, 4)]
    public void ProtectUnprotectRoundTripAcrossTheSequenceWrap(SrtpProfile profile, int tagLength)
    {
        using var tx = new SrtpContext(profile, s_key, s_salt);
        using var rx = new SrtpContext(profile, s_key, s_salt);
        Assert.That(tx.RtpOverhead, Is.EqualTo(tagLength));
        for (int i = 0; i < 300; i++)
        {
            ushort seq = (ushort)(65400 + i);
            byte[] rtp = RtpPacket(seq, 0x1234, i % 200, i);
            byte[] srtp = Protect(tx, rtp);
            if (rtp.Length > RtpHeader.FixedSize + 4)
            {
                Assert.That(srtp.AsSpan(RtpHeader.FixedSize, rtp.Length - RtpHeader.FixedSize).SequenceEqual(rtp.AsSpan(RtpHeader.FixedSize)), Is.False, "payload is encrypted");
            }

            Assert.That(rx.UnprotectRtp(srtp, srtp.Length, out int n), Is.EqualTo(SrtpStatus.Ok), $"packet {i}");
            Assert.That(srtp[..n], Is.EqualTo(rtp));
        }

        Assert.That(rx.TryGetRolloverCounter(0x1234, out uint roc), Is.True);
        Assert.That(roc, Is.EqualTo(1u));
    }

    [Test]
    public void WrongKeyIsRejectedCountedAndLeavesTheBufferUntouched()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        byte[] otherKey = (byte[])s_key.Clone();
        otherKey[0] ^= 1;
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, otherKey, s_salt);
        for (int i = 0; i < 5; i++)
        {
            byte[] srtp = Protect(tx, RtpPacket((ushort)i, 9, 160, i));
            byte[] copy = (byte[])srtp.Clone();
            Assert.That(rx.UnprotectRtp(srtp, srtp.Length, out int n), Is.EqualTo(SrtpStatus.AuthenticationFailed));
            Assert.That(n, Is.EqualTo(0));
            Assert.That(srtp, Is.EqualTo(copy), "nothing decrypted, nothing to play");
        }

        Assert.That(rx.AuthenticationFailures, Is.EqualTo(5));
        Assert.That(rx.TryGetRolloverCounter(9, out _), Is.False, "a forged packet creates no state");
    }

    [Test]
    public void TamperedPacketIsRejected()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag32, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag32, s_key, s_salt);
        byte[] srtp = Protect(tx, RtpPacket(1, 9, 160, 1));
        srtp[20] ^= 0x80;
        Assert.That(rx.UnprotectRtp(srtp, srtp.Length, out _), Is.EqualTo(SrtpStatus.AuthenticationFailed));
        Assert.That(rx.UnprotectRtp(srtp, 10, out _), Is.EqualTo(SrtpStatus.Malformed));
    }

    [Test]
    public void ReplayedAndTooOldPacketsAreRejected()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        var packets = new List<byte[]>();
        for (int i = 0; i < 100; i++)
        {
            packets.Add(Protect(tx, RtpPacket((ushort)(1000 + i), 5, 80, i)));
        }

        // Deliver 0..49 and 51..99, holding back 50 (within the window).
        for (int i = 0; i < 100; i++)
        {
            if (i != 50)
            {
                byte[] copy = (byte[])packets[i].Clone();
                Assert.That(rx.UnprotectRtp(copy, copy.Length, out _), Is.EqualTo(SrtpStatus.Ok));
            }
        }

        byte[] replay = (byte[])packets[99].Clone();
        Assert.That(rx.UnprotectRtp(replay, replay.Length, out _), Is.EqualTo(SrtpStatus.ReplayDuplicate));
        byte[] late = (byte[])packets[50].Clone();
        Assert.That(rx.UnprotectRtp(late, late.Length, out _), Is.EqualTo(SrtpStatus.Ok), "late but inside the 64-packet window");
        byte[] tooOld = (byte[])packets[30].Clone();
        Assert.That(rx.UnprotectRtp(tooOld, tooOld.Length, out _), Is.EqualTo(SrtpStatus.ReplayTooOld));
        Assert.That(rx.ReplayRejections, Is.EqualTo(2));

        // The sender refuses to reuse an index (keystream reuse).
        byte[] again = RtpPacket(1099, 5, 80, 1);
        byte[] buffer = new byte[again.Length + 10];
        again.CopyTo(buffer, 0);
        Assert.That(tx.ProtectRtp(buffer, again.Length, out _), Is.EqualTo(SrtpStatus.ReplayDuplicate));
    }

    [Test]
    public void RocEstimationHandlesReorderingAroundTheWrap()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        ushort[] order = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3];
        var protectedPackets = order.Select(s => Protect(tx, RtpPacket(s, 77, 40, s))).ToArray();
        // Arrival: 65530..65533, 0, 65535, 1, 65534, 3, 2.
        int[] arrival = [0, 1, 2, 3, 6, 5, 7, 4, 9, 8];
        foreach (int i in arrival)
        {
            byte[] p = protectedPackets[i];
            Assert.That(rx.UnprotectRtp(p, p.Length, out _), Is.EqualTo(SrtpStatus.Ok), $"seq {order[i]}");
        }

        Assert.That(rx.TryGetRolloverCounter(77, out uint roc) && roc == 1, Is.True);
    }

    [Test]
    public void MkiIsWrittenAndChecked()
    {
        Assert.That(SrtpKeyParams.TryParse(SrtpKeyParams.Format(s_key, s_salt, 0, 3, 2), out SrtpKeyParams? kp, out _), Is.True);
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, kp!);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, kp!);
        byte[] rtp = RtpPacket(1, 1, 20, 1);
        byte[] srtp = Protect(tx, rtp);
        Assert.That(srtp.Length, Is.EqualTo(rtp.Length + 2 + 10));
        Assert.That(srtp[rtp.Length..(rtp.Length + 2)], Is.EqualTo(new byte[] { 0, 3 }));
        byte[] wrongMki = (byte[])srtp.Clone();
        wrongMki[rtp.Length + 1] = 4;
        Assert.That(rx.UnprotectRtp(wrongMki, wrongMki.Length, out _), Is.EqualTo(SrtpStatus.UnknownMki));
        Assert.That(rx.UnprotectRtp(srtp, srtp.Length, out int n), Is.EqualTo(SrtpStatus.Ok));
        Assert.That(srtp[..n], Is.EqualTo(rtp));
    }

    [Test]
    public void SrtcpRoundTripWithIndexEFlagAndReplay()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag32, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag32, s_key, s_salt);
        Assert.That(tx.RtcpOverhead, Is.EqualTo(14), "SRTCP keeps the 80-bit tag with the _32 suite (RFC 4568 §6.2.2)");
        byte[] rtcp = BuildRtcp(0xABCD);
        for (uint i = 0; i < 3; i++)
        {
            byte[] buffer = new byte[rtcp.Length + tx.RtcpOverhead];
            rtcp.CopyTo(buffer, 0);
            Assert.That(tx.ProtectRtcp(buffer, rtcp.Length, out int n), Is.EqualTo(SrtpStatus.Ok));
            Assert.That(buffer.AsSpan(rtcp.Length, 4).ToArray(), Is.EqualTo(new byte[] { 0x80, 0, 0, (byte)i }), "E flag and index");
            byte[] replay = (byte[])buffer.Clone();
            Assert.That(rx.UnprotectRtcp(buffer, n, out int m), Is.EqualTo(SrtpStatus.Ok));
            Assert.That(buffer[..m], Is.EqualTo(rtcp));
            Assert.That(rx.UnprotectRtcp(replay, n, out _), Is.EqualTo(SrtpStatus.ReplayDuplicate));
        }
    }

    private static byte[] BuildRtcp(uint ssrc)
    {
        byte[] buffer = new byte[256];
        var w = new RtcpWriter(buffer);
        w.WriteReceiverReport(ssrc, [new RtcpReportBlock(1, 2, 3, 4, 5, 6, 7)]);
        w.WriteSdesCname(ssrc, "sipwire@example"u8);
        return buffer[..w.Written];
    }

    [Test]
    public void SteadyStateProtectAndUnprotectAllocateNothing()
    {
        using var tx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        byte[] buffer = new byte[RtpHeader.FixedSize + 160 + 10];
        void OneFrame(ushort seq)
        {
            new RtpHeader(0, seq, seq * 160u, 1).TryWrite(buffer, out _);
            tx.ProtectRtp(buffer, RtpHeader.FixedSize + 160, out int n);
            rx.UnprotectRtp(buffer, n, out _);
        }

        for (ushort s = 0; s < 100; s++)
        {
            OneFrame(s);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ushort s = 100; s < 1100; s++)
        {
            OneFrame(s);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    // ---- libsrtp2 interoperability (bench/native/srtp shim) ----

    private static byte[] KeySalt() => s_key.Concat(s_salt).ToArray();

    [TestCase(SrtpProfile.AesCm128HmacSha1Tag80, 80)]
    [TestCase(SrtpProfile.AesCm128HmacSha1Tag32, 32)]
    public void OursToLibsrtp(SrtpProfile profile, int tagBits)
    {
        using var tx = new SrtpContext(profile, s_key, s_salt);
        using var rx = new LibSrtp(tagBits, KeySalt(), outbound: false);
        for (int i = 0; i < 200; i++)
        {
            byte[] rtp = RtpPacket((ushort)(65500 + i), 0xFEEDF00D, (i * 7) % 300, i);
            byte[] buffer = new byte[rtp.Length + 160];
            rtp.CopyTo(buffer, 0);
            Assert.That(tx.ProtectRtp(buffer, rtp.Length, out int n), Is.EqualTo(SrtpStatus.Ok));
            int len = n;
            Assert.That(rx.Unprotect(buffer, ref len), Is.EqualTo(0), $"libsrtp2 rejected packet {i}");
            Assert.That(buffer[..len], Is.EqualTo(rtp));
        }

        // SRTCP.
        byte[] rtcp = BuildRtcp(0xFEEDF00D);
        for (int i = 0; i < 5; i++)
        {
            byte[] b = new byte[rtcp.Length + 160];
            rtcp.CopyTo(b, 0);
            Assert.That(tx.ProtectRtcp(b, rtcp.Length, out int n), Is.EqualTo(SrtpStatus.Ok));
            int len = n;
            Assert.That(rx.UnprotectRtcp(b, ref len), Is.EqualTo(0));
            Assert.That(b[..len], Is.EqualTo(rtcp));
        }
    }

    [TestCase(SrtpProfile.AesCm128HmacSha1Tag80, 80)]
    [TestCase(SrtpProfile.AesCm128HmacSha1Tag32, 32)]
    public void LibsrtpToOurs(SrtpProfile profile, int tagBits)
    {
        using var tx = new LibSrtp(tagBits, KeySalt(), outbound: true);
        using var rx = new SrtpContext(profile, s_key, s_salt);
        for (int i = 0; i < 200; i++)
        {
            byte[] rtp = RtpPacket((ushort)(65500 + i), 0x0BADCAFE, (i * 13) % 300, i);
            byte[] buffer = new byte[rtp.Length + 160];
            rtp.CopyTo(buffer, 0);
            int len = rtp.Length;
            Assert.That(tx.Protect(buffer, ref len), Is.EqualTo(0));
            Assert.That(len, Is.EqualTo(rtp.Length + (tagBits / 8)));
            Assert.That(rx.UnprotectRtp(buffer, len, out int n), Is.EqualTo(SrtpStatus.Ok), $"packet {i}");
            Assert.That(buffer[..n], Is.EqualTo(rtp));
        }

        byte[] rtcp = BuildRtcp(0x0BADCAFE);
        for (int i = 0; i < 5; i++)
        {
            byte[] b = new byte[rtcp.Length + 160];
            rtcp.CopyTo(b, 0);
            int len = rtcp.Length;
            Assert.That(tx.ProtectRtcp(b, ref len), Is.EqualTo(0));
            Assert.That(rx.UnprotectRtcp(b, len, out int n), Is.EqualTo(SrtpStatus.Ok));
            Assert.That(b[..n], Is.EqualTo(rtcp));
        }
    }

    [Test]
    public void LibsrtpPacketsUnderAnotherKeyAreRejectedByUs()
    {
        byte[] other = KeySalt();
        other[5] ^= 0x10;
        using var tx = new LibSrtp(80, other, outbound: true);
        using var rx = new SrtpContext(SrtpProfile.AesCm128HmacSha1Tag80, s_key, s_salt);
        byte[] rtp = RtpPacket(10, 3, 160, 3);
        byte[] buffer = new byte[rtp.Length + 160];
        rtp.CopyTo(buffer, 0);
        int len = rtp.Length;
        Assert.That(tx.Protect(buffer, ref len), Is.EqualTo(0));
        Assert.That(rx.UnprotectRtp(buffer, len, out _), Is.EqualTo(SrtpStatus.AuthenticationFailed));
        Assert.That(rx.AuthenticationFailures, Is.EqualTo(1));
    }
}
