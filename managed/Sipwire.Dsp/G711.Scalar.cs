// G.711 scalar reference: a direct rendering of ITU-T G.191 g711.c, one sample at a time.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

public static partial class G711
{
    /// <summary>G.191 <c>ulaw_compress</c> over a span; <paramref name="codes"/> is at least as long as <paramref name="pcm"/>.</summary>
    internal static void EncodeULawScalar(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        codes = codes[..pcm.Length];
        for (int i = 0; i < pcm.Length; i++)
        {
            codes[i] = EncodeULawSample(pcm[i]);
        }
    }

    /// <summary>G.191 <c>ulaw_expand</c> over a span; <paramref name="pcm"/> is at least as long as <paramref name="codes"/>.</summary>
    internal static void DecodeULawScalar(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        pcm = pcm[..codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            pcm[i] = DecodeULawSample(codes[i]);
        }
    }

    /// <summary>G.191 <c>alaw_compress</c> over a span; <paramref name="codes"/> is at least as long as <paramref name="pcm"/>.</summary>
    internal static void EncodeALawScalar(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        codes = codes[..pcm.Length];
        for (int i = 0; i < pcm.Length; i++)
        {
            codes[i] = EncodeALawSample(pcm[i]);
        }
    }

    /// <summary>G.191 <c>alaw_expand</c> over a span; <paramref name="pcm"/> is at least as long as <paramref name="codes"/>.</summary>
    internal static void DecodeALawScalar(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        pcm = pcm[..codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            pcm[i] = DecodeALawSample(codes[i]);
        }
    }

    internal static byte EncodeULawSample(short sample)
    {
        // G.191 ulaw_compress: one's complement of negative samples, 14-bit magnitude, plus 33
        // (the offset between the A-law and mu-law segment thresholds), limited to 0x1FFF.
        int absno = ((sample < 0 ? ~sample : sample) >> 2) + 33;
        if (absno > 0x1FFF)
        {
            absno = 0x1FFF;
        }

        int segno = 1;
        for (int i = absno >> 6; i != 0; i >>= 1)
        {
            segno++;
        }

        // G.711 §3.2: the mu-law character is the inverted segment and step number.
        int highNibble = 8 - segno;
        int lowNibble = 0x0F - ((absno >> segno) & 0x0F);
        int code = (highNibble << 4) | lowNibble;
        if (sample >= 0)
        {
            code |= 0x80;
        }

        return (byte)code;
    }

    internal static short DecodeULawSample(byte code)
    {
        // G.191 ulaw_expand: 14-bit left-justified quantised value, half a step added.
        int mantissa = ~code;
        int exponent = (mantissa >> 4) & 0x07;
        int segment = exponent + 1;
        mantissa &= 0x0F;
        int step = 4 << segment;
        int magnitude = (0x80 << exponent) + (step * mantissa) + (step / 2) - (4 * 33);
        return (short)(code < 0x80 ? -magnitude : magnitude);
    }

    internal static byte EncodeALawSample(short sample)
    {
        // G.191 alaw_compress: one's complement of negative samples, 12-bit magnitude.
        int ix = (sample < 0 ? ~sample : sample) >> 4;
        if (ix > 15)
        {
            int iexp = 1;
            while (ix > 16 + 15)
            {
                ix >>= 1;
                iexp++;
            }

            ix -= 16; // drop the leading one
            ix += iexp << 4;
        }

        if (sample >= 0)
        {
            ix |= 0x80;
        }

        // G.711 §3.1: the even bits are inverted on the line.
        return (byte)(ix ^ 0x55);
    }

    internal static short DecodeALawSample(byte code)
    {
        int ix = (code ^ 0x55) & 0x7F;
        int iexp = ix >> 4;
        int mant = ix & 0x0F;
        if (iexp > 0)
        {
            mant += 16; // restore the leading one
        }

        mant = (mant << 4) + 8; // left-justify, add half a quantisation step
        if (iexp > 1)
        {
            mant <<= iexp - 1;
        }

        return (short)(code > 127 ? mant : -mant);
    }
}
