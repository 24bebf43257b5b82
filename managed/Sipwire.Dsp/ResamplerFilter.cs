// Designs the polyphase anti-aliasing filter of the 8/16/48 kHz resampler (Kaiser-windowed sinc).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// A rational L/M resampling filter: one low-pass prototype at L times the input rate, cut at
/// <see cref="CutoffFraction"/> of the lower Nyquist frequency, split into L phases of
/// <see cref="TapsPerPhase"/> taps stored reversed so each output is one contiguous dot product.
/// The same design (and constants) is in native/src/resampler.c.
/// </summary>
internal sealed class ResamplerFilter
{
    /// <summary>Prototype taps per max(L, M): sets the transition width (about 0.2 of the lower Nyquist).</summary>
    public const int TapsPerRatio = 48;

    /// <summary>-6 dB point as a fraction of the lower Nyquist frequency (3.6 kHz at 8 kHz).</summary>
    public const double CutoffFraction = 0.9;

    /// <summary>Kaiser beta for about 80 dB of stopband attenuation (0.1102 * (80 - 8.7)).</summary>
    public const double KaiserBeta = 7.857;

    public ResamplerFilter(int up, int down)
    {
        Up = up;
        Down = down;
        int ratio = Math.Max(up, down);
        int length = TapsPerRatio * ratio;
        TapsPerPhase = length / up;

        // Windowed sinc at the up-sampled rate, cutoff fc in cycles per sample; gain L so that
        // every phase has unity DC gain after the normalisation below.
        double fc = CutoffFraction * 0.5 / ratio;
        double center = (length - 1) / 2.0;
        double i0Beta = BesselI0(KaiserBeta);
        var h = new double[length];
        double sum = 0;
        for (int n = 0; n < length; n++)
        {
            double x = n - center;
            double sinc = x == 0 ? 2 * fc : Math.Sin(2 * Math.PI * fc * x) / (Math.PI * x);
            double r = (2.0 * n / (length - 1)) - 1;
            double window = BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / i0Beta;
            h[n] = sinc * window;
            sum += h[n];
        }

        Coefficients = new float[length];
        for (int phase = 0; phase < up; phase++)
        {
            for (int k = 0; k < TapsPerPhase; k++)
            {
                // Phase p, tap k multiplies x[base - k]; stored reversed for a forward window.
                Coefficients[(phase * TapsPerPhase) + (TapsPerPhase - 1 - k)] = (float)(h[phase + (k * up)] * up / sum);
            }
        }
    }

    /// <summary>Interpolation factor L.</summary>
    public int Up { get; }

    /// <summary>Decimation factor M.</summary>
    public int Down { get; }

    /// <summary>Taps of each polyphase branch (the dot-product length per output sample).</summary>
    public int TapsPerPhase { get; }

    /// <summary>L branches of <see cref="TapsPerPhase"/> taps each, each reversed.</summary>
    public float[] Coefficients { get; }

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series.</summary>
    internal static double BesselI0(double x)
    {
        double term = 1;
        double sum = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++)
        {
            term *= q / (k * (double)k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
