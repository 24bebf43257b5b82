// Speech-like test audio and the measurements the Opus tests make on it (delay-aligned SNR, level).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Media.Tests;

/// <summary>
/// A deterministic speech-like signal: syllables of a glottal pulse train with a moving pitch
/// (90–190 Hz) through three formant resonators that move between vowels, fricative noise bursts,
/// syllabic envelopes and pauses. Peaks stay around -10 dBFS. Also the measures the tests use.
/// </summary>
internal static class OpusTestAudio
{
    // F1, F2, F3 of /a/, /i/, /u/, /e/, /o/ (Peterson and Barney style averages).
    private static readonly double[][] s_vowels =
    [
        [730, 1090, 2440],
        [270, 2290, 3010],
        [300, 870, 2240],
        [530, 1840, 2480],
        [570, 840, 2410],
    ];

    public static short[] Speech(int sampleRate, double seconds, int seed = 7)
    {
        var random = new Random(seed);
        int n = (int)(sampleRate * seconds);
        var output = new double[n];
        var kind = new byte[n];

        // Glottal flow falls off at -12 dB/octave above ~150 Hz (two one-pole low-passes); lip
        // radiation adds +6 dB/octave (a first difference): speech's -6 dB/octave tilt.
        double glottal = Math.Exp(-2 * Math.PI * 150 / sampleRate);
        double g1 = 0;
        double g2 = 0;
        double previous = 0;
        var formants = new Resonator[3];
        for (int i = 0; i < 3; i++)
        {
            formants[i] = new Resonator();
        }

        double phase = 0;
        int position = 0;
        int syllable = 0;
        while (position < n)
        {
            int voiced = (int)(sampleRate * (0.15 + (0.15 * random.NextDouble())));
            int pause = (int)(sampleRate * (0.04 + (0.08 * random.NextDouble())));
            int fricative = syllable % 3 == 1 ? (int)(sampleRate * 0.06) : 0;
            double[] from = s_vowels[random.Next(s_vowels.Length)];
            double[] to = s_vowels[random.Next(s_vowels.Length)];
            double pitchBase = 110 + (50 * random.NextDouble());
            double gain = 0.6 + (0.4 * random.NextDouble());

            for (int i = 0; i < fricative && position < n; i++, position++)
            {
                double envelope = Math.Sin(Math.PI * i / fricative);
                double noise = (2 * random.NextDouble()) - 1;
                output[position] = envelope * gain * (noise - previous);
                kind[position] = 1;
                previous = noise;
            }

            for (int i = 0; i < voiced && position < n; i++, position++)
            {
                double t = (double)i / voiced;
                double pitch = pitchBase * (1 + (0.2 * Math.Sin(2 * Math.PI * t)));
                phase += pitch / sampleRate;
                double pulse = 0;
                if (phase >= 1)
                {
                    phase -= 1;
                    pulse = 1;
                }

                g1 = (glottal * g1) + ((1 - glottal) * (pulse + (0.01 * ((2 * random.NextDouble()) - 1))));
                g2 = (glottal * g2) + ((1 - glottal) * g1);
                double excitation = g2 - previous;
                previous = g2;
                double sample = 0;
                for (int f = 0; f < 3; f++)
                {
                    double frequency = from[f] + ((to[f] - from[f]) * t);
                    if (frequency < sampleRate * 0.45)
                    {
                        formants[f].Tune(frequency, 60 + (40 * f), sampleRate);
                        sample += formants[f].Step(excitation) / (f + 1);
                    }
                }

                double envelope = Math.Sin(Math.PI * t);
                output[position] = gain * envelope * sample;
            }

            for (int i = 0; i < pause && position < n; i++, position++)
            {
                output[position] = (2 * random.NextDouble()) - 1;
                kind[position] = 2;
            }

            syllable++;
        }

        // Fricatives 20 dB and pauses 50 dB below the vowels' RMS; then peaks at -10 dBFS.
        double voicedEnergy = 1e-30;
        int voicedCount = 1;
        for (int i = 0; i < n; i++)
        {
            if (kind[i] == 0)
            {
                voicedEnergy += output[i] * output[i];
                voicedCount++;
            }
        }

        double voicedRms = Math.Sqrt(voicedEnergy / voicedCount);
        double peak = 1e-12;
        for (int i = 0; i < n; i++)
        {
            output[i] *= kind[i] switch { 1 => 0.1 * voicedRms, 2 => 0.003 * voicedRms, _ => 1 };
            peak = Math.Max(peak, Math.Abs(output[i]));
        }

        var pcm = new short[n];
        for (int i = 0; i < n; i++)
        {
            pcm[i] = Clip(output[i] * 10362 / peak);
        }

        return pcm;
    }

    /// <summary>The lag (0..maxLag) at which <paramref name="decoded"/> best matches <paramref name="reference"/>.</summary>
    public static int BestLag(ReadOnlySpan<short> reference, ReadOnlySpan<short> decoded, int maxLag)
    {
        int best = 0;
        double bestScore = double.MinValue;
        int length = Math.Min(reference.Length, decoded.Length) - maxLag;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double dot = 0;
            for (int i = 0; i < length; i++)
            {
                dot += reference[i] * (double)decoded[i + lag];
            }

            if (dot > bestScore)
            {
                bestScore = dot;
                best = lag;
            }
        }

        return best;
    }

    /// <summary>SNR in dB of <paramref name="decoded"/> (delayed by <paramref name="lag"/>) against <paramref name="reference"/> from <paramref name="skip"/> on.</summary>
    public static double Snr(ReadOnlySpan<short> reference, ReadOnlySpan<short> decoded, int lag, int skip)
    {
        double signal = 0;
        double noise = 0;
        int end = Math.Min(reference.Length, decoded.Length - lag);
        for (int i = skip; i < end; i++)
        {
            double x = reference[i];
            double e = x - decoded[i + lag];
            signal += x * x;
            noise += e * e;
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
    }

    /// <summary>RMS level in dBFS.</summary>
    public static double LevelDb(ReadOnlySpan<short> x)
    {
        double sum = 0;
        foreach (short s in x)
        {
            sum += (double)s * s;
        }

        return 10 * Math.Log10(Math.Max(sum / Math.Max(x.Length, 1), 1e-9) / (32768.0 * 32768.0));
    }

    /// <summary>Frames of <paramref name="frameSamples"/> from <paramref name="pcm"/> (the tail that does not fill a frame is dropped).</summary>
    public static IEnumerable<ReadOnlyMemory<short>> Frames(short[] pcm, int frameSamples)
    {
        for (int i = 0; i + frameSamples <= pcm.Length; i += frameSamples)
        {
            yield return pcm.AsMemory(i, frameSamples);
        }
    }

    private static short Clip(double v) => (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue);

    private sealed class Resonator
    {
        private double _a1;
        private double _a2;
        private double _b0;
        private double _y1;
        private double _y2;

        public void Tune(double frequency, double bandwidth, int sampleRate)
        {
            double r = Math.Exp(-Math.PI * bandwidth / sampleRate);
            _a1 = 2 * r * Math.Cos(2 * Math.PI * frequency / sampleRate);
            _a2 = -r * r;
            _b0 = 1 - r;
        }

        public double Step(double x)
        {
            double y = (_b0 * x) + (_a1 * _y1) + (_a2 * _y2);
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}
