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

    /// <summary>
    /// Pure interpolation (M = 1): every input sample yields L outputs, one per branch. Each
    /// branch runs as an FIR across consecutive inputs, lanes = outputs, so no horizontal sums;
    /// each lane still adds its taps in the scalar order, so the result is bit-identical to
    /// <see cref="DotScalar"/>.
    /// </summary>
    private int InterpolateVector(int m, Span<short> output)
    {
        int up = _filter.Up;
        int taps = _filter.TapsPerPhase;
        ReadOnlySpan<float> coefficients = _filter.Coefficients;
        Span<float> phaseOut = _phaseOut.AsSpan(0, m);
        ref float pb = ref MemoryMarshal.GetReference(_buffer.AsSpan());
        ref float po = ref MemoryMarshal.GetReference(phaseOut);
        _ = output[(m * up) - 1];
        for (int phase = 0; phase < up; phase++)
        {
            ReadOnlySpan<float> branch = coefficients.Slice(phase * taps, taps);
            int i = 0;
            if (_path == ResamplerPath.Vector256)
            {
                for (; i <= m - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> acc = Vector256<float>.Zero;
                    for (int j = 0; j < taps; j++)
                    {
                        acc += Vector256.Create(branch[j]) * Vector256.LoadUnsafe(ref pb, (nuint)(i + j));
                    }

                    acc.StoreUnsafe(ref po, (nuint)i);
                }
            }
            else
            {
                for (; i <= m - Vector128<float>.Count; i += Vector128<float>.Count)
                {
                    Vector128<float> acc = Vector128<float>.Zero;
                    for (int j = 0; j < taps; j++)
                    {
                        acc += Vector128.Create(branch[j]) * Vector128.LoadUnsafe(ref pb, (nuint)(i + j));
                    }

                    acc.StoreUnsafe(ref po, (nuint)i);
                }
            }

            for (; i < m; i++)
            {
                phaseOut[i] = DotScalar(_buffer.AsSpan(i, taps), branch);
            }

            for (i = 0; i < m; i++)
            {
                output[(i * up) + phase] = (short)Math.Clamp(MathF.Round(phaseOut[i]), short.MinValue, short.MaxValue);
            }
        }

        return m * up;
    }
}
