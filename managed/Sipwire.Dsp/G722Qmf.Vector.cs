// G.722 QMF with Vector128/Vector256: several pairs per step in 32-bit lanes (x64 SSE/AVX2, arm64 AdvSimd).
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

internal static partial class G722Qmf
{
    // The filters run across outputs: lane k of step j is output j + k, and tap i multiplies the
    // window a[j + i .. j + i + lanes) by the broadcast coefficient. A pair of int16 samples read
    // as one little-endian int32 splits into both streams with two shifts (callers check the
    // byte order). Products and sums stay far inside int32 (|sum| < 2^31 / 2^3).

    internal static void AnalyzeVector256(ReadOnlySpan<short> pcm, Span<int> a, Span<int> b, Span<int> xlow, Span<int> xhigh)
    {
        int pairs = CheckAnalyze(pcm, a, b, xlow, xhigh);
        int j = 0;
        ReadOnlySpan<int> packed = MemoryMarshal.Cast<short, int>(pcm[..(2 * pairs)]);
        ref int pa = ref MemoryMarshal.GetReference(a);
        ref int pb = ref MemoryMarshal.GetReference(b);
        ref int pp = ref MemoryMarshal.GetReference(packed);
        for (; j <= pairs - Vector256<int>.Count; j += Vector256<int>.Count)
        {
            Vector256<int> v = Vector256.LoadUnsafe(ref pp, (nuint)j);
            Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(v, 16), 16).StoreUnsafe(ref pa, (nuint)(History + j));
            Vector256.ShiftRightArithmetic(v, 16).StoreUnsafe(ref pb, (nuint)(History + j));
        }

        for (; j < pairs; j++)
        {
            a[History + j] = pcm[2 * j];
            b[History + j] = pcm[(2 * j) + 1];
        }

        ref int pl = ref MemoryMarshal.GetReference(xlow);
        ref int ph = ref MemoryMarshal.GetReference(xhigh);
        j = 0;
        for (; j <= pairs - Vector256<int>.Count; j += Vector256<int>.Count)
        {
            Vector256<int> odd = Vector256<int>.Zero;
            Vector256<int> even = Vector256<int>.Zero;
            ReadOnlySpan<int> forward = G722Tables.QmfForward;
            ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
            for (int i = 0; i < 12; i++)
            {
                odd += Vector256.LoadUnsafe(ref pa, (nuint)(j + i)) * Vector256.Create(forward[i]);
                even += Vector256.LoadUnsafe(ref pb, (nuint)(j + i)) * Vector256.Create(reverse[i]);
            }

            Vector256.ShiftRightArithmetic(even + odd, 14).StoreUnsafe(ref pl, (nuint)j);
            Vector256.ShiftRightArithmetic(even - odd, 14).StoreUnsafe(ref ph, (nuint)j);
        }

        AnalyzeScalarFilterOnly(a, b, xlow, xhigh, j, pairs);
    }

    internal static void AnalyzeVector128(ReadOnlySpan<short> pcm, Span<int> a, Span<int> b, Span<int> xlow, Span<int> xhigh)
    {
        int pairs = CheckAnalyze(pcm, a, b, xlow, xhigh);
        int j = 0;
        ReadOnlySpan<int> packed = MemoryMarshal.Cast<short, int>(pcm[..(2 * pairs)]);
        ref int pa = ref MemoryMarshal.GetReference(a);
        ref int pb = ref MemoryMarshal.GetReference(b);
        ref int pp = ref MemoryMarshal.GetReference(packed);
        for (; j <= pairs - Vector128<int>.Count; j += Vector128<int>.Count)
        {
            Vector128<int> v = Vector128.LoadUnsafe(ref pp, (nuint)j);
            Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(v, 16), 16).StoreUnsafe(ref pa, (nuint)(History + j));
            Vector128.ShiftRightArithmetic(v, 16).StoreUnsafe(ref pb, (nuint)(History + j));
        }

        for (; j < pairs; j++)
        {
            a[History + j] = pcm[2 * j];
            b[History + j] = pcm[(2 * j) + 1];
        }

        ref int pl = ref MemoryMarshal.GetReference(xlow);
        ref int ph = ref MemoryMarshal.GetReference(xhigh);
        j = 0;
        for (; j <= pairs - Vector128<int>.Count; j += Vector128<int>.Count)
        {
            Vector128<int> odd = Vector128<int>.Zero;
            Vector128<int> even = Vector128<int>.Zero;
            ReadOnlySpan<int> forward = G722Tables.QmfForward;
            ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
            for (int i = 0; i < 12; i++)
            {
                odd += Vector128.LoadUnsafe(ref pa, (nuint)(j + i)) * Vector128.Create(forward[i]);
                even += Vector128.LoadUnsafe(ref pb, (nuint)(j + i)) * Vector128.Create(reverse[i]);
            }

            Vector128.ShiftRightArithmetic(even + odd, 14).StoreUnsafe(ref pl, (nuint)j);
            Vector128.ShiftRightArithmetic(even - odd, 14).StoreUnsafe(ref ph, (nuint)j);
        }

        AnalyzeScalarFilterOnly(a, b, xlow, xhigh, j, pairs);
    }

    internal static void SynthesizeVector256(ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<short> pcm)
    {
        int pairs = CheckSynthesize(x, y, pcm);
        Span<int> packed = MemoryMarshal.Cast<short, int>(pcm[..(2 * pairs)]);
        ref int px = ref MemoryMarshal.GetReference(x);
        ref int py = ref MemoryMarshal.GetReference(y);
        ref int po = ref MemoryMarshal.GetReference(packed);
        Vector256<int> min = Vector256.Create((int)short.MinValue);
        Vector256<int> max = Vector256.Create((int)short.MaxValue);
        int j = 0;
        for (; j <= pairs - Vector256<int>.Count; j += Vector256<int>.Count)
        {
            Vector256<int> out1 = Vector256<int>.Zero;
            Vector256<int> out2 = Vector256<int>.Zero;
            ReadOnlySpan<int> forward = G722Tables.QmfForward;
            ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
            for (int i = 0; i < 12; i++)
            {
                out1 += Vector256.LoadUnsafe(ref py, (nuint)(j + i)) * Vector256.Create(reverse[i]);
                out2 += Vector256.LoadUnsafe(ref px, (nuint)(j + i)) * Vector256.Create(forward[i]);
            }

            out1 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(out1, 11), min), max);
            out2 = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(out2, 11), min), max);
            ((out1 & Vector256.Create(0xFFFF)) | Vector256.ShiftLeft(out2, 16)).StoreUnsafe(ref po, (nuint)j);
        }

        SynthesizeScalar(x, y, pcm, j);
    }

    internal static void SynthesizeVector128(ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<short> pcm)
    {
        int pairs = CheckSynthesize(x, y, pcm);
        Span<int> packed = MemoryMarshal.Cast<short, int>(pcm[..(2 * pairs)]);
        ref int px = ref MemoryMarshal.GetReference(x);
        ref int py = ref MemoryMarshal.GetReference(y);
        ref int po = ref MemoryMarshal.GetReference(packed);
        Vector128<int> min = Vector128.Create((int)short.MinValue);
        Vector128<int> max = Vector128.Create((int)short.MaxValue);
        int j = 0;
        for (; j <= pairs - Vector128<int>.Count; j += Vector128<int>.Count)
        {
            Vector128<int> out1 = Vector128<int>.Zero;
            Vector128<int> out2 = Vector128<int>.Zero;
            ReadOnlySpan<int> forward = G722Tables.QmfForward;
            ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
            for (int i = 0; i < 12; i++)
            {
                out1 += Vector128.LoadUnsafe(ref py, (nuint)(j + i)) * Vector128.Create(reverse[i]);
                out2 += Vector128.LoadUnsafe(ref px, (nuint)(j + i)) * Vector128.Create(forward[i]);
            }

            out1 = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(out1, 11), min), max);
            out2 = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(out2, 11), min), max);
            ((out1 & Vector128.Create(0xFFFF)) | Vector128.ShiftLeft(out2, 16)).StoreUnsafe(ref po, (nuint)j);
        }

        SynthesizeScalar(x, y, pcm, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AnalyzeScalarFilterOnly(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> xlow, Span<int> xhigh, int start, int pairs)
    {
        ReadOnlySpan<int> forward = G722Tables.QmfForward;
        ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
        for (int j = start; j < pairs; j++)
        {
            int odd = 0;
            int even = 0;
            for (int i = 0; i < 12; i++)
            {
                odd += a[j + i] * forward[i];
                even += b[j + i] * reverse[i];
            }

            xlow[j] = (even + odd) >> 14;
            xhigh[j] = (even - odd) >> 14;
        }
    }
}
