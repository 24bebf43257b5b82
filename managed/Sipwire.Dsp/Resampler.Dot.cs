// Resampler inner products: scalar reference and Vector128/Vector256 paths (x64 SSE/AVX, arm64 AdvSimd).
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

public sealed partial class Resampler
{
    /// <summary>Sequential float sum: the reference order (native/src/resampler.c sums the same way).</summary>
    internal static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        h = h[..x.Length];
        float sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * h[i];
        }

        return sum;
    }

    // Multiply then add (no fused multiply-add): NativeAOT's default x64 baseline has no FMA,
    // where Vector.FusedMultiplyAdd becomes a software call (dsp-anchors.md §4).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotVector256(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        if (h.Length < x.Length)
        {
            throw new ArgumentException("Coefficients shorter than the window.", nameof(h));
        }

        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ph = ref MemoryMarshal.GetReference(h);
        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i <= x.Length - 16; i += 16)
        {
            acc0 += Vector256.LoadUnsafe(ref px, (nuint)i) * Vector256.LoadUnsafe(ref ph, (nuint)i);
            acc1 += Vector256.LoadUnsafe(ref px, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref ph, (nuint)(i + 8));
        }

        float sum = Vector256.Sum(acc0 + acc1);
        for (; i < x.Length; i++)
        {
            sum += x[i] * h[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotVector128(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        if (h.Length < x.Length)
        {
            throw new ArgumentException("Coefficients shorter than the window.", nameof(h));
        }

        ref float px = ref MemoryMarshal.GetReference(x);
        ref float ph = ref MemoryMarshal.GetReference(h);
        Vector128<float> acc0 = Vector128<float>.Zero;
        Vector128<float> acc1 = Vector128<float>.Zero;
        int i = 0;
        for (; i <= x.Length - 8; i += 8)
        {
            acc0 += Vector128.LoadUnsafe(ref px, (nuint)i) * Vector128.LoadUnsafe(ref ph, (nuint)i);
            acc1 += Vector128.LoadUnsafe(ref px, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref ph, (nuint)(i + 4));
        }

        float sum = Vector128.Sum(acc0 + acc1);
        for (; i < x.Length; i++)
        {
            sum += x[i] * h[i];
        }

        return sum;
    }
}
