// G.711 on every path against the G.191 oracle vectors in tests/vectors/g711 and the known values.
// SPDX-License-Identifier: MIT

using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G711VectorTests
{
    private static readonly G711Path[] s_paths = [G711Path.Dispatch, G711Path.Scalar, G711Path.Vector128, G711Path.Vector256];

    [Test]
    public void EncodesEveryInt16LikeG191([ValueSource(nameof(s_paths))] G711Path path, [Values(false, true)] bool aLaw)
    {
        short[] pcm = KernelVectors.ReadS16Le("g711/pcm_all.s16le");
        byte[] want = KernelVectors.ReadBytes(aLaw ? "g711/pcm_all.alaw" : "g711/pcm_all.ulaw");
        Assert.That(pcm, Has.Length.EqualTo(65536));
        Assert.That((pcm[0], pcm[32768], pcm[65535]), Is.EqualTo(((short)-32768, (short)0, (short)32767)));

        var got = new byte[pcm.Length];
        G711Paths.Encode(path, aLaw, pcm, got);

        Assert.That(got, Is.EqualTo(want));
    }

    [Test]
    public void DecodesEveryCodeLikeG191([ValueSource(nameof(s_paths))] G711Path path, [Values(false, true)] bool aLaw)
    {
        byte[] codes = KernelVectors.ReadBytes("g711/codes_all.u8");
        short[] want = KernelVectors.ReadS16Le(aLaw ? "g711/codes_all.alaw.s16le" : "g711/codes_all.ulaw.s16le");

        var got = new short[codes.Length];
        G711Paths.Decode(path, aLaw, codes, got);

        Assert.That(got, Is.EqualTo(want));
    }

    [Test]
    public void SingleSampleApiMatchesVectors()
    {
        short[] pcm = KernelVectors.ReadS16Le("g711/pcm_all.s16le");
        byte[] ulaw = KernelVectors.ReadBytes("g711/pcm_all.ulaw");
        byte[] alaw = KernelVectors.ReadBytes("g711/pcm_all.alaw");
        short[] ulawPcm = KernelVectors.ReadS16Le("g711/codes_all.ulaw.s16le");
        short[] alawPcm = KernelVectors.ReadS16Le("g711/codes_all.alaw.s16le");

        int mismatches = 0;
        for (int i = 0; i < pcm.Length; i++)
        {
            mismatches += G711.EncodeULaw(pcm[i]) != ulaw[i] ? 1 : 0;
            mismatches += G711.EncodeALaw(pcm[i]) != alaw[i] ? 1 : 0;
        }

        for (int code = 0; code < 256; code++)
        {
            mismatches += G711.DecodeULaw((byte)code) != ulawPcm[code] ? 1 : 0;
            mismatches += G711.DecodeALaw((byte)code) != alawPcm[code] ? 1 : 0;
        }

        Assert.That(mismatches, Is.Zero);
    }

    // ITU-T G.191 ulaw_compress / ulaw_expand known values (one's-complement folding of negatives).
    [TestCase((short)0, (byte)0xFF)]
    [TestCase((short)-1, (byte)0x7F)]
    [TestCase((short)1000, (byte)0xCE)]
    [TestCase((short)-1000, (byte)0x4E)]
    [TestCase((short)32767, (byte)0x80)]
    [TestCase((short)-32768, (byte)0x00)]
    public void ULawKnownEncodings(short sample, byte code) => Assert.That(G711.EncodeULaw(sample), Is.EqualTo(code));

    [TestCase((byte)0x00, (short)-32124)]
    [TestCase((byte)0x80, (short)32124)]
    [TestCase((byte)0xCE, (short)988)]
    public void ULawKnownDecodings(byte code, short sample) => Assert.That(G711.DecodeULaw(code), Is.EqualTo(sample));

    [Test]
    public void ALawKnownValues()
    {
        Assert.That(G711.EncodeALaw(0), Is.EqualTo(0xD5));
        Assert.That(G711.DecodeALaw(0xD5), Is.EqualTo(8));
        Assert.That(G711.DecodeALaw(0xAA), Is.EqualTo(32256));
        Assert.That(G711.DecodeALaw(0x2A), Is.EqualTo(-32256));
    }

    [Test]
    public void ULawHashOverEverySeventhInputMatchesG191()
    {
        // FNV-1a 32 over ulaw_compress(-32768..32767 step 7), from the G.191 cross-check.
        uint hash = 0x811C9DC5;
        for (int x = -32768; x <= 32767; x += 7)
        {
            hash ^= G711.EncodeULaw((short)x);
            hash *= 0x01000193;
        }

        Assert.That(hash, Is.EqualTo(0x274EE169u));
    }
}
