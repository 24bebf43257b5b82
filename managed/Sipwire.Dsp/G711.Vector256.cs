// G.711 Vector256 path (AVX2 on x64): branch-free G.191 arithmetic on 16 lanes.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

public static partial class G711
{
    /// <summary>Samples per Vector256 block: two vectors of 16 shorts make one vector of 32 codes.</summary>
    internal const int Vector256BlockSamples = 32;

    /// <summary>
    /// mu-law encode with Vector256. The tail is redone as an overlapping block (16 or 32 samples), so
    /// <paramref name="pcm"/> and <paramref name="codes"/> must not overlap (the public API checks).
    /// </summary>
    internal static void EncodeULawVector256(ReadOnlySpan<short> pcm, Span<byte> codes)
        => RunVector256<ULawEncoder, short, byte>(pcm, codes);

    /// <summary>mu-law decode with Vector256; buffers must not overlap.</summary>
    internal static void DecodeULawVector256(ReadOnlySpan<byte> codes, Span<short> pcm)
        => RunVector256<ULawDecoder, byte, short>(codes, pcm);

    /// <summary>A-law encode with Vector256; buffers must not overlap.</summary>
    internal static void EncodeALawVector256(ReadOnlySpan<short> pcm, Span<byte> codes)
        => RunVector256<ALawEncoder, short, byte>(pcm, codes);

    /// <summary>A-law decode with Vector256; buffers must not overlap.</summary>
    internal static void DecodeALawVector256(ReadOnlySpan<byte> codes, Span<short> pcm)
        => RunVector256<ALawDecoder, byte, short>(codes, pcm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EncodeULawBlock256(ref short src, ref byte dst, nuint i)
    {
        Vector256<short> lo = ULawCodes(Vector256.LoadUnsafe(ref src, i));
        Vector256<short> hi = ULawCodes(Vector256.LoadUnsafe(ref src, i + 16));
        Vector256.Narrow(lo.AsUInt16(), hi.AsUInt16()).StoreUnsafe(ref dst, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DecodeULawBlock256(ref byte src, ref short dst, nuint i)
    {
        (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
        ULawSamples(lo.AsInt16()).StoreUnsafe(ref dst, i);
        ULawSamples(hi.AsInt16()).StoreUnsafe(ref dst, i + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EncodeALawBlock256(ref short src, ref byte dst, nuint i)
    {
        Vector256<short> lo = ALawCodes(Vector256.LoadUnsafe(ref src, i));
        Vector256<short> hi = ALawCodes(Vector256.LoadUnsafe(ref src, i + 16));
        Vector256.Narrow(lo.AsUInt16(), hi.AsUInt16()).StoreUnsafe(ref dst, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DecodeALawBlock256(ref byte src, ref short dst, nuint i)
    {
        (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
        ALawSamples(lo.AsInt16()).StoreUnsafe(ref dst, i);
        ALawSamples(hi.AsInt16()).StoreUnsafe(ref dst, i + 16);
    }

    /// <summary>
    /// G.191 ulaw_compress on 16 lanes; returns codes 0..255 in 16-bit lanes. The segment search
    /// becomes seven threshold compares: exponent = #{k : absno >= 64 &lt;&lt; k}. The variable shift
    /// absno &gt;&gt; (exponent + 1) becomes a multiply by 2^(7 - exponent) and a fixed shift by 8;
    /// absno &lt; 2^(exponent + 7), so the product stays below 2^14.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ULawCodes(Vector256<short> x)
    {
        Vector256<short> sign = Vector256.ShiftRightArithmetic(x, 15);
        Vector256<short> absno = Vector256.Min(
            Vector256.ShiftRightArithmetic(x ^ sign, 2) + Vector256.Create((short)33),
            Vector256.Create((short)0x1FFF));

        Vector256<short> count = Vector256<short>.Zero;      // minus the exponent
        Vector256<short> scale = Vector256.Create((short)128); // 2^(7 - exponent)
        ThresholdStep(absno, 64, 64, ref count, ref scale);
        ThresholdStep(absno, 128, 32, ref count, ref scale);
        ThresholdStep(absno, 256, 16, ref count, ref scale);
        ThresholdStep(absno, 512, 8, ref count, ref scale);
        ThresholdStep(absno, 1024, 4, ref count, ref scale);
        ThresholdStep(absno, 2048, 2, ref count, ref scale);
        ThresholdStep(absno, 4096, 1, ref count, ref scale);

        Vector256<short> exponent4 = Vector256.ShiftLeft(Vector256<short>.Zero - count, 4);
        Vector256<short> mantissa = Vector256.ShiftRightLogical(absno * scale, 8) & Vector256.Create((short)0x0F);

        // Code = inverted (segment, step), sign bit set for x >= 0 (G.711 §3.2).
        Vector256<short> invert = Vector256.Create((short)0xFF) ^ (sign & Vector256.Create((short)0x80));
        return (exponent4 | mantissa) ^ invert;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThresholdStep(Vector256<short> absno, short threshold, short halve, ref Vector256<short> count, ref Vector256<short> scale)
    {
        Vector256<short> above = Vector256.GreaterThan(absno, Vector256.Create((short)(threshold - 1)));
        count += above;
        scale -= above & Vector256.Create(halve);
    }

    /// <summary>
    /// G.191 ulaw_expand on 16 lanes (codes 0..255 in 16-bit lanes):
    /// ((132 + 8 * mantissa) &lt;&lt; exponent) - 132 with the sign from bit 7; the variable shift is
    /// three conditional shifts by 1, 2 and 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ULawSamples(Vector256<short> code)
    {
        Vector256<short> inv = code ^ Vector256.Create((short)0xFF);
        Vector256<short> value = Vector256.ShiftLeft(inv & Vector256.Create((short)0x0F), 3) + Vector256.Create((short)132);
        value = ShiftIfSet(value, inv, 0x10, 1);
        value = ShiftIfSet(value, inv, 0x20, 2);
        value = ShiftIfSet(value, inv, 0x40, 4);
        Vector256<short> magnitude = value - Vector256.Create((short)132);
        Vector256<short> negative = Vector256.Equals(code & Vector256.Create((short)0x80), Vector256<short>.Zero);
        return (magnitude ^ negative) - negative;
    }

    /// <summary>
    /// G.191 alaw_compress on 16 lanes. ix = fold(x) &gt;&gt; 4 (0..2047); exponent =
    /// #{k : ix >= 16 &lt;&lt; k}; mantissa = (ix &gt;&gt; max(exponent - 1, 0)) &amp; 15, done as a multiply by
    /// 2^(6 - max(exponent - 1, 0)) and a shift by 6 (the product stays below 2^11).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ALawCodes(Vector256<short> x)
    {
        Vector256<short> sign = Vector256.ShiftRightArithmetic(x, 15);
        Vector256<short> ix = Vector256.ShiftRightArithmetic(x ^ sign, 4);

        Vector256<short> count = Vector256.GreaterThan(ix, Vector256.Create((short)15));
        Vector256<short> scale = Vector256.Create((short)64);
        ThresholdStep(ix, 32, 32, ref count, ref scale);
        ThresholdStep(ix, 64, 16, ref count, ref scale);
        ThresholdStep(ix, 128, 8, ref count, ref scale);
        ThresholdStep(ix, 256, 4, ref count, ref scale);
        ThresholdStep(ix, 512, 2, ref count, ref scale);
        ThresholdStep(ix, 1024, 1, ref count, ref scale);

        Vector256<short> exponent4 = Vector256.ShiftLeft(Vector256<short>.Zero - count, 4);
        Vector256<short> mantissa = Vector256.ShiftRightLogical(ix * scale, 6) & Vector256.Create((short)0x0F);

        // Sign bit for x >= 0, then the even bits inverted (G.711 §3.1): 0xD5 or 0x55.
        Vector256<short> toggle = Vector256.Create((short)0xD5) ^ (sign & Vector256.Create((short)0x80));
        return (exponent4 | mantissa) ^ toggle;
    }

    /// <summary>
    /// G.191 alaw_expand on 16 lanes: base = ((mantissa | 16 if exponent > 0) &lt;&lt; 4) | 8, shifted
    /// left by max(exponent - 1, 0) with three conditional shifts; sign from bit 7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ALawSamples(Vector256<short> code)
    {
        Vector256<short> ix = (code ^ Vector256.Create((short)0x55)) & Vector256.Create((short)0x7F);
        Vector256<short> exponent = Vector256.ShiftRightLogical(ix, 4);
        Vector256<short> nonZero = Vector256.GreaterThan(exponent, Vector256<short>.Zero);
        Vector256<short> mantissa = (ix & Vector256.Create((short)0x0F)) | (nonZero & Vector256.Create((short)0x10));
        Vector256<short> value = Vector256.ShiftLeft(mantissa, 4) | Vector256.Create((short)8);
        Vector256<short> shift = exponent + nonZero; // max(exponent - 1, 0)
        value = ShiftIfSet(value, shift, 1, 1);
        value = ShiftIfSet(value, shift, 2, 2);
        value = ShiftIfSet(value, shift, 4, 4);
        Vector256<short> negative = Vector256.Equals(code & Vector256.Create((short)0x80), Vector256<short>.Zero);
        return (value ^ negative) - negative;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ShiftIfSet(Vector256<short> value, Vector256<short> bits, short bit, int shift)
    {
        Vector256<short> set = Vector256.Equals(bits & Vector256.Create(bit), Vector256.Create(bit));
        return Vector256.ConditionalSelect(set, Vector256.ShiftLeft(value, shift), value);
    }
}
