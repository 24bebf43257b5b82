// SIMD radix-2 stages (Vector256 / Vector128, cross-platform APIs) of the complex FFT inside Fft.
// SPDX-License-Identifier: MIT

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

public sealed partial class Fft
{
    // Stages with a half-span below the vector width run the scalar butterflies; the rest run the
    // same multiply/add sequence lane-wise (no fused multiply-add, so bits match the scalar path).
    private static void StagesVector(float[] zr, float[] zi, int m, float[] stageCos, float[] stageSin)
    {
        int width = Vector256.IsHardwareAccelerated ? Vector256<float>.Count : Vector128<float>.Count;
        int scalarLimit = System.Math.Min(width, m);
        if (scalarLimit > 1)
        {
            // Half-spans 1 .. width/2 are scalar.
            StagesScalar(zr, zi, m, stageCos, stageSin, scalarLimit);
        }
        ref float re = ref MemoryMarshal.GetArrayDataReference(zr);
        ref float im = ref MemoryMarshal.GetArrayDataReference(zi);
        ref float wcos = ref MemoryMarshal.GetArrayDataReference(stageCos);
        ref float wsin = ref MemoryMarshal.GetArrayDataReference(stageSin);
        for (int h = scalarLimit; h < m; h <<= 1)
        {
            for (int g = 0; g < m; g += 2 * h)
            {
                if (Vector256.IsHardwareAccelerated)
                {
                    for (int j = 0; j < h; j += Vector256<float>.Count)
                    {
                        int a = g + j;
                        int b = a + h;
                        Vector256<float> wr = Vector256.LoadUnsafe(ref wcos, (nuint)(h + j));
                        Vector256<float> wi = Vector256.LoadUnsafe(ref wsin, (nuint)(h + j));
                        Vector256<float> br = Vector256.LoadUnsafe(ref re, (nuint)b);
                        Vector256<float> bi = Vector256.LoadUnsafe(ref im, (nuint)b);
                        Vector256<float> ar = Vector256.LoadUnsafe(ref re, (nuint)a);
                        Vector256<float> ai = Vector256.LoadUnsafe(ref im, (nuint)a);
                        Vector256<float> tr = (wr * br) - (wi * bi);
                        Vector256<float> ti = (wr * bi) + (wi * br);
                        (ar - tr).StoreUnsafe(ref re, (nuint)b);
                        (ai - ti).StoreUnsafe(ref im, (nuint)b);
                        (ar + tr).StoreUnsafe(ref re, (nuint)a);
                        (ai + ti).StoreUnsafe(ref im, (nuint)a);
                    }
                }
                else
                {
                    for (int j = 0; j < h; j += Vector128<float>.Count)
                    {
                        int a = g + j;
                        int b = a + h;
                        Vector128<float> wr = Vector128.LoadUnsafe(ref wcos, (nuint)(h + j));
                        Vector128<float> wi = Vector128.LoadUnsafe(ref wsin, (nuint)(h + j));
                        Vector128<float> br = Vector128.LoadUnsafe(ref re, (nuint)b);
                        Vector128<float> bi = Vector128.LoadUnsafe(ref im, (nuint)b);
                        Vector128<float> ar = Vector128.LoadUnsafe(ref re, (nuint)a);
                        Vector128<float> ai = Vector128.LoadUnsafe(ref im, (nuint)a);
                        Vector128<float> tr = (wr * br) - (wi * bi);
                        Vector128<float> ti = (wr * bi) + (wi * br);
                        (ar - tr).StoreUnsafe(ref re, (nuint)b);
                        (ai - ti).StoreUnsafe(ref im, (nuint)b);
                        (ar + tr).StoreUnsafe(ref re, (nuint)a);
                        (ai + ti).StoreUnsafe(ref im, (nuint)a);
                    }
                }
            }
        }
    }
}
