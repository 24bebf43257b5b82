// G.711 Vector128 path (SSE2..AVX on x64, AdvSimd on arm64): branch-free G.191 arithmetic on 8 lanes.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

public static partial class G711
{
    /// <summary>Samples per Vector128 block: two vectors of 8 shorts make one vector of 16 codes.</summary>
    internal const int Vector128BlockSamples = 16;

    /// <summary>
    /// mu-law encode with Vector128. The final block is recomputed over the last 16 samples, so
    /// <paramref name="pcm"/> and <paramref name="codes"/> must not overlap (the public API checks).
    /// </summary>
    internal static void EncodeULawVector128(ReadOnlySpan<short> pcm, Span<byte> codes)
        => RunVector128<ULawEncoder, short, byte>(pcm, codes);

    /// <summary>mu-law decode with Vector128; buffers must not overlap.</summary>
    internal static void DecodeULawVector128(ReadOnlySpan<byte> codes, Span<short> pcm)
        => RunVector128<ULawDecoder, byte, short>(codes, pcm);

    /// <summary>A-law encode with Vector128; buffers must not overlap.</summary>
    internal static void EncodeALawVector128(ReadOnlySpan<short> pcm, Span<byte> codes)
        => RunVector128<ALawEncoder, short, byte>(pcm, codes);

    /// <summary>A-law decode with Vector128; buffers must not overlap.</summary>
    internal static void DecodeALawVector128(ReadOnlySpan<byte> codes, Span<short> pcm)
        => RunVector128<ALawDecoder, byte, short>(codes, pcm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EncodeULawBlock(ref short src, ref byte dst, nuint i)
    {
        Vector128<short> lo = ULawCodes(Vector128.LoadUnsafe(ref src, i));
        Vector128<short> hi = ULawCodes(Vector128.LoadUnsafe(ref src, i + 8));
        Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16()).StoreUnsafe(ref dst, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DecodeULawBlock(ref byte src, ref short dst, nuint i)
    {
        (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref src, i));
        ULawSamples(lo.AsInt16()).StoreUnsafe(ref dst, i);
        ULawSamples(hi.AsInt16()).StoreUnsafe(ref dst, i + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EncodeALawBlock(ref short src, ref byte dst, nuint i)
    {
        Vector128<short> lo = ALawCodes(Vector128.LoadUnsafe(ref src, i));
        Vector128<short> hi = ALawCodes(Vector128.LoadUnsafe(ref src, i + 8));
        Vector128.Narrow(lo.AsUInt16(), hi.AsUInt16()).StoreUnsafe(ref dst, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DecodeALawBlock(ref byte src, ref short dst, nuint i)
    {
        (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref src, i));
        ALawSamples(lo.AsInt16()).StoreUnsafe(ref dst, i);
        ALawSamples(hi.AsInt16()).StoreUnsafe(ref dst, i + 8);
    }

    /// <summary>
    /// G.191 ulaw_compress on 8 lanes; returns codes 0..255 in 16-bit lanes. The segment search
    /// becomes seven threshold compares: exponent = #{k : absno >= 64 &lt;&lt; k}. The variable shift
    /// absno &gt;&gt; (exponent + 1) becomes a multiply by 2^(7 - exponent) and a fixed shift by 8;
    /// absno &lt; 2^(exponent + 7), so the product stays below 2^14.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ULawCodes(Vector128<short> x)
    {
        Vector128<short> sign = Vector128.ShiftRightArithmetic(x, 15);
        Vector128<short> absno = Vector128.Min(
            Vector128.ShiftRightArithmetic(x ^ sign, 2) + Vector128.Create((short)33),
            Vector128.Create((short)0x1FFF));

        Vector128<short> count = Vector128<short>.Zero;      // minus the exponent
        Vector128<short> scale = Vector128.Create((short)128); // 2^(7 - exponent)
        ThresholdStep(absno, 64, 64, ref count, ref scale);
        ThresholdStep(absno, 128, 32, ref count, ref scale);
        ThresholdStep(absno, 256, 16, ref count, ref scale);
        ThresholdStep(absno, 512, 8, ref count, ref scale);
        ThresholdStep(absno, 1024, 4, ref count, ref scale);
        ThresholdStep(absno, 2048, 2, ref count, ref scale);
        ThresholdStep(absno, 4096, 1, ref count, ref scale);

        Vector128<short> exponent4 = Vector128.ShiftLeft(Vector128<short>.Zero - count, 4);
        Vector128<short> mantissa = Vector128.ShiftRightLogical(absno * scale, 8) & Vector128.Create((short)0x0F);

        // Code = inverted (segment, step), sign bit set for x >= 0 (G.711 §3.2).
        Vector128<short> invert = Vector128.Create((short)0xFF) ^ (sign & Vector128.Create((short)0x80));
        return (exponent4 | mantissa) ^ invert;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThresholdStep(Vector128<short> absno, short threshold, short halve, ref Vector128<short> count, ref Vector128<short> scale)
    {
        Vector128<short> above = Vector128.GreaterThan(absno, Vector128.Create((short)(threshold - 1)));
        count += above;
        scale -= above & Vector128.Create(halve);
    }

    /// <summary>
    /// G.191 ulaw_expand on 8 lanes (codes 0..255 in 16-bit lanes):
    /// ((132 + 8 * mantissa) &lt;&lt; exponent) - 132 with the sign from bit 7; the variable shift is
    /// three conditional shifts by 1, 2 and 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ULawSamples(Vector128<short> code)
    {
        Vector128<short> inv = code ^ Vector128.Create((short)0xFF);
        Vector128<short> value = Vector128.ShiftLeft(inv & Vector128.Create((short)0x0F), 3) + Vector128.Create((short)132);
        value = ShiftIfSet(value, inv, 0x10, 1);
        value = ShiftIfSet(value, inv, 0x20, 2);
        value = ShiftIfSet(value, inv, 0x40, 4);
        Vector128<short> magnitude = value - Vector128.Create((short)132);
        Vector128<short> negative = Vector128.Equals(code & Vector128.Create((short)0x80), Vector128<short>.Zero);
        return (magnitude ^ negative) - negative;
    }

    /// <summary>
    /// G.191 alaw_compress on 8 lanes. ix = fold(x) &gt;&gt; 4 (0..2047); exponent =
    /// #{k : ix >= 16 &lt;&lt; k}; mantissa = (ix &gt;&gt; max(exponent - 1, 0)) &amp; 15, done as a multiply by
    /// 2^(6 - max(exponent - 1, 0)) and a shift by 6 (the product stays below 2^11).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ALawCodes(Vector128<short> x)
    {
        Vector128<short> sign = Vector128.ShiftRightArithmetic(x, 15);
        Vector128<short> ix = Vector128.ShiftRightArithmetic(x ^ sign, 4);

        Vector128<short> count = Vector128.GreaterThan(ix, Vector128.Create((short)15));
        Vector128<short> scale = Vector128.Create((short)64);
        ThresholdStep(ix, 32, 32, ref count, ref scale);
        ThresholdStep(ix, 64, 16, ref count, ref scale);
        ThresholdStep(ix, 128, 8, ref count, ref scale);
        ThresholdStep(ix, 256, 4, ref count, ref scale);
        ThresholdStep(ix, 512, 2, ref count, ref scale);
        ThresholdStep(ix, 1024, 1, ref count, ref scale);

        Vector128<short> exponent4 = Vector128.ShiftLeft(Vector128<short>.Zero - count, 4);
        Vector128<short> mantissa = Vector128.ShiftRightLogical(ix * scale, 6) & Vector128.Create((short)0x0F);

        // Sign bit for x >= 0, then the even bits inverted (G.711 §3.1): 0xD5 or 0x55.
        Vector128<short> toggle = Vector128.Create((short)0xD5) ^ (sign & Vector128.Create((short)0x80));
        return (exponent4 | mantissa) ^ toggle;
    }

    /// <summary>
    /// G.191 alaw_expand on 8 lanes: base = ((mantissa | 16 if exponent > 0) &lt;&lt; 4) | 8, shifted
    /// left by max(exponent - 1, 0) with three conditional shifts; sign from bit 7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ALawSamples(Vector128<short> code)
    {
        Vector128<short> ix = (code ^ Vector128.Create((short)0x55)) & Vector128.Create((short)0x7F);
        Vector128<short> exponent = Vector128.ShiftRightLogical(ix, 4);
        Vector128<short> nonZero = Vector128.GreaterThan(exponent, Vector128<short>.Zero);
        Vector128<short> mantissa = (ix & Vector128.Create((short)0x0F)) | (nonZero & Vector128.Create((short)0x10));
        Vector128<short> value = Vector128.ShiftLeft(mantissa, 4) | Vector128.Create((short)8);
        Vector128<short> shift = exponent + nonZero; // max(exponent - 1, 0)
        value = ShiftIfSet(value, shift, 1, 1);
        value = ShiftIfSet(value, shift, 2, 2);
        value = ShiftIfSet(value, shift, 4, 4);
        Vector128<short> negative = Vector128.Equals(code & Vector128.Create((short)0x80), Vector128<short>.Zero);
        return (value ^ negative) - negative;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ShiftIfSet(Vector128<short> value, Vector128<short> bits, short bit, int shift)
    {
        Vector128<short> set = Vector128.Equals(bits & Vector128.Create(bit), Vector128.Create(bit));
        return Vector128.ConditionalSelect(set, Vector128.ShiftLeft(value, shift), value);
    }
}
