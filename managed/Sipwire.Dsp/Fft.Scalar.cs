// Scalar reference radix-2 stages of the complex FFT inside Fft.
// SPDX-License-Identifier: MIT

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sipwire.Dsp;

public sealed partial class Fft
{
    // In-place radix-2 DIT butterflies over bit-reversed input, half-spans 1 .. endHalf/2.
    private static void StagesScalar(float[] zr, float[] zi, int m, float[] stageCos, float[] stageSin, int endHalf)
    {
        // Arrays are M long (twiddles M): indices stay below M, so no bounds checks are needed.
        ref float re = ref MemoryMarshal.GetArrayDataReference(zr);
        ref float im = ref MemoryMarshal.GetArrayDataReference(zi);
        ref float wc = ref MemoryMarshal.GetArrayDataReference(stageCos);
        ref float ws = ref MemoryMarshal.GetArrayDataReference(stageSin);
        for (int h = 1; h < endHalf; h <<= 1)
        {
            for (int g = 0; g < m; g += 2 * h)
            {
                for (int j = 0; j < h; j++)
                {
                    float wr = Unsafe.Add(ref wc, h + j);
                    float wi = Unsafe.Add(ref ws, h + j);
                    ref float ar = ref Unsafe.Add(ref re, g + j);
                    ref float ai = ref Unsafe.Add(ref im, g + j);
                    ref float br = ref Unsafe.Add(ref ar, h);
                    ref float bi = ref Unsafe.Add(ref ai, h);
                    float tr = (wr * br) - (wi * bi);
                    float ti = (wr * bi) + (wi * br);
                    br = ar - tr;
                    bi = ai - ti;
                    ar = ar + tr;
                    ai = ai + ti;
                }
            }
        }
    }
}
