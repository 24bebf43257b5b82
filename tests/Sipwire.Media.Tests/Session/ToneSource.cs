// A continuous sine source for microphone frames, and the continuity measure the media tests apply at the far end.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Media.Tests.Session;

/// <summary>A phase-continuous sine wave, frame after frame.</summary>
internal sealed class ToneSource
{
    private readonly double _step;
    private readonly double _amplitude;
    private double _phase;

    public ToneSource(double frequency, int sampleRate, double amplitude = 8000)
    {
        _step = 2 * Math.PI * frequency / sampleRate;
        _amplitude = amplitude;
    }

    public double Amplitude => _amplitude;

    public void Fill(Span<short> frame)
    {
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)Math.Round(_amplitude * Math.Sin(_phase));
            _phase += _step;
        }

        _phase %= 2 * Math.PI;
    }

    /// <summary>
    /// Splits <paramref name="played"/> (from <paramref name="start"/>) into 10 ms windows and
    /// returns the fraction whose RMS is at least half (−6 dB) the tone's nominal RMS and at most
    /// twice it: a dropout (silence, a concealment fade) or a glitch fails the window.
    /// </summary>
    public double ContinuousFraction(IReadOnlyList<short> played, int start, int sampleRate)
    {
        int window = sampleRate / 100;
        double nominal = _amplitude / Math.Sqrt(2);
        int good = 0;
        int total = 0;
        for (int w = start; w + window <= played.Count; w += window)
        {
            double sum = 0;
            for (int i = 0; i < window; i++)
            {
                double v = played[w + i];
                sum += v * v;
            }

            double rms = Math.Sqrt(sum / window);
            total++;
            good += rms >= nominal * 0.5 && rms <= nominal * 2 ? 1 : 0;
        }

        return total == 0 ? 0 : (double)good / total;
    }

    /// <summary>RMS of <paramref name="played"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static double Rms(IReadOnlyList<short> played, int start, int end)
    {
        double sum = 0;
        for (int i = start; i < end; i++)
        {
            sum += (double)played[i] * played[i];
        }

        return end > start ? Math.Sqrt(sum / (end - start)) : 0;
    }
}
