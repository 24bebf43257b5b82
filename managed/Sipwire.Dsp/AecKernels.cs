// Spectral kernels of the echo canceller: scalar reference and SIMD paths with identical results.
// SPDX-License-Identifier: MIT

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// The per-bin loops of the partitioned-block frequency-domain filter. Every SIMD path performs
/// the same IEEE multiplies and adds, in the same order, as the scalar loop (never a fused
/// multiply-add: NativeAOT x64 has no FMA in its default baseline, and fusing would change bits),
/// so a canceller gives the same output whichever path it runs.
/// </summary>
internal static class AecKernels
{
    /// <summary>y += x * w (complex, split arrays), over <paramref name="n"/> bins.</summary>
    public static void MultiplyAccumulate(bool vectorized, float[] xr, float[] xi, int xOffset, float[] wr, float[] wi, int wOffset, float[] yr, float[] yi, int n)
    {
        int i = 0;
        if (vectorized)
        {
            ref float pxr = ref MemoryMarshal.GetArrayDataReference(xr);
            ref float pxi = ref MemoryMarshal.GetArrayDataReference(xi);
            ref float pwr = ref MemoryMarshal.GetArrayDataReference(wr);
            ref float pwi = ref MemoryMarshal.GetArrayDataReference(wi);
            ref float pyr = ref MemoryMarshal.GetArrayDataReference(yr);
            ref float pyi = ref MemoryMarshal.GetArrayDataReference(yi);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> a = Vector256.LoadUnsafe(ref pxr, (nuint)(xOffset + i));
                    Vector256<float> b = Vector256.LoadUnsafe(ref pxi, (nuint)(xOffset + i));
                    Vector256<float> c = Vector256.LoadUnsafe(ref pwr, (nuint)(wOffset + i));
                    Vector256<float> d = Vector256.LoadUnsafe(ref pwi, (nuint)(wOffset + i));
                    Vector256<float> sr = Vector256.LoadUnsafe(ref pyr, (nuint)i);
                    Vector256<float> si = Vector256.LoadUnsafe(ref pyi, (nuint)i);
                    (sr + ((a * c) - (b * d))).StoreUnsafe(ref pyr, (nuint)i);
                    (si + ((a * d) + (b * c))).StoreUnsafe(ref pyi, (nuint)i);
                }
            }
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> a = Vector128.LoadUnsafe(ref pxr, (nuint)(xOffset + i));
                Vector128<float> b = Vector128.LoadUnsafe(ref pxi, (nuint)(xOffset + i));
                Vector128<float> c = Vector128.LoadUnsafe(ref pwr, (nuint)(wOffset + i));
                Vector128<float> d = Vector128.LoadUnsafe(ref pwi, (nuint)(wOffset + i));
                Vector128<float> sr = Vector128.LoadUnsafe(ref pyr, (nuint)i);
                Vector128<float> si = Vector128.LoadUnsafe(ref pyi, (nuint)i);
                (sr + ((a * c) - (b * d))).StoreUnsafe(ref pyr, (nuint)i);
                (si + ((a * d) + (b * c))).StoreUnsafe(ref pyi, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float a = xr[xOffset + i];
            float b = xi[xOffset + i];
            float c = wr[wOffset + i];
            float d = wi[wOffset + i];
            yr[i] = yr[i] + ((a * c) - (b * d));
            yi[i] = yi[i] + ((a * d) + (b * c));
        }
    }

    /// <summary>w += s * conj(x) * g (complex, split arrays): the gradient step of one partition.</summary>
    public static void ConjugateMultiplyAdd(bool vectorized, float[] xr, float[] xi, int xOffset, float[] gr, float[] gi, float scale, float[] wr, float[] wi, int wOffset, int n)
    {
        int i = 0;
        if (vectorized)
        {
            ref float pxr = ref MemoryMarshal.GetArrayDataReference(xr);
            ref float pxi = ref MemoryMarshal.GetArrayDataReference(xi);
            ref float pgr = ref MemoryMarshal.GetArrayDataReference(gr);
            ref float pgi = ref MemoryMarshal.GetArrayDataReference(gi);
            ref float pwr = ref MemoryMarshal.GetArrayDataReference(wr);
            ref float pwi = ref MemoryMarshal.GetArrayDataReference(wi);
            Vector128<float> s4 = Vector128.Create(scale);
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s = Vector256.Create(scale);
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> a = Vector256.LoadUnsafe(ref pxr, (nuint)(xOffset + i));
                    Vector256<float> b = Vector256.LoadUnsafe(ref pxi, (nuint)(xOffset + i));
                    Vector256<float> c = Vector256.LoadUnsafe(ref pgr, (nuint)i);
                    Vector256<float> d = Vector256.LoadUnsafe(ref pgi, (nuint)i);
                    Vector256<float> sr = Vector256.LoadUnsafe(ref pwr, (nuint)(wOffset + i));
                    Vector256<float> si = Vector256.LoadUnsafe(ref pwi, (nuint)(wOffset + i));
                    (sr + (((a * c) + (b * d)) * s)).StoreUnsafe(ref pwr, (nuint)(wOffset + i));
                    (si + (((a * d) - (b * c)) * s)).StoreUnsafe(ref pwi, (nuint)(wOffset + i));
                }
            }
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> a = Vector128.LoadUnsafe(ref pxr, (nuint)(xOffset + i));
                Vector128<float> b = Vector128.LoadUnsafe(ref pxi, (nuint)(xOffset + i));
                Vector128<float> c = Vector128.LoadUnsafe(ref pgr, (nuint)i);
                Vector128<float> d = Vector128.LoadUnsafe(ref pgi, (nuint)i);
                Vector128<float> sr = Vector128.LoadUnsafe(ref pwr, (nuint)(wOffset + i));
                Vector128<float> si = Vector128.LoadUnsafe(ref pwi, (nuint)(wOffset + i));
                (sr + (((a * c) + (b * d)) * s4)).StoreUnsafe(ref pwr, (nuint)(wOffset + i));
                (si + (((a * d) - (b * c)) * s4)).StoreUnsafe(ref pwi, (nuint)(wOffset + i));
            }
        }
        for (; i < n; i++)
        {
            float a = xr[xOffset + i];
            float b = xi[xOffset + i];
            float c = gr[i];
            float d = gi[i];
            wr[wOffset + i] = wr[wOffset + i] + (((a * c) + (b * d)) * scale);
            wi[wOffset + i] = wi[wOffset + i] + (((a * d) - (b * c)) * scale);
        }
    }

    /// <summary>acc += |x|^2 over <paramref name="n"/> bins.</summary>
    public static void PowerAccumulate(bool vectorized, float[] xr, float[] xi, int xOffset, float[] acc, int n)
    {
        int i = 0;
        if (vectorized)
        {
            ref float pxr = ref MemoryMarshal.GetArrayDataReference(xr);
            ref float pxi = ref MemoryMarshal.GetArrayDataReference(xi);
            ref float pa = ref MemoryMarshal.GetArrayDataReference(acc);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> a = Vector128.LoadUnsafe(ref pxr, (nuint)(xOffset + i));
                Vector128<float> b = Vector128.LoadUnsafe(ref pxi, (nuint)(xOffset + i));
                Vector128<float> s = Vector128.LoadUnsafe(ref pa, (nuint)i);
                (s + ((a * a) + (b * b))).StoreUnsafe(ref pa, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float a = xr[xOffset + i];
            float b = xi[xOffset + i];
            acc[i] = acc[i] + ((a * a) + (b * b));
        }
    }

}
