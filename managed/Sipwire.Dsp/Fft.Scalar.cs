// Scalar reference radix-2 stages of the complex FFT inside Fft.
// SPDX-License-Identifier: MIT

namespace Sipwire.Dsp;

public sealed partial class Fft
{
    // In-place radix-2 DIT butterflies over bit-reversed input, half-spans 1 .. endHalf/2.
    private static void StagesScalar(float[] zr, float[] zi, int m, float[] stageCos, float[] stageSin, int endHalf)
    {
        for (int h = 1; h < endHalf; h <<= 1)
        {
            for (int g = 0; g < m; g += 2 * h)
            {
                for (int j = 0; j < h; j++)
                {
                    float wr = stageCos[h + j];
                    float wi = stageSin[h + j];
                    int a = g + j;
                    int b = a + h;
                    float tr = (wr * zr[b]) - (wi * zi[b]);
                    float ti = (wr * zi[b]) + (wi * zr[b]);
                    zr[b] = zr[a] - tr;
                    zi[b] = zi[a] - ti;
                    zr[a] = zr[a] + tr;
                    zi[a] = zi[a] + ti;
                }
            }
        }
    }
}
