// Generates call-progress and DTMF tones with cadence into 16-bit PCM, click-free (2 ms ramps), allocation-free.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Plays a <see cref="ToneGeneratorSpec"/>: sums its components (phase accumulators, so the
/// frequency is exact and the level never drifts), follows the cadence, and ramps each burst in
/// and out over 2 ms so cadence edges do not click. 0 dBm0 is a sine of peak
/// 32768 * 10^(-3.14/20) (the G.711 reference level).
/// </summary>
public sealed class ToneGenerator
{
    private readonly double[] _step;
    private readonly double[] _amplitude;
    private readonly double[] _phase;
    private readonly int[] _segmentSamples; // alternating on, off
    private readonly int _rampSamples;
    private int _segment;
    private int _segmentPosition;

    /// <summary>Creates a generator for <paramref name="spec"/> at <paramref name="sampleRate"/> Hz.</summary>
    public ToneGenerator(ToneGeneratorSpec spec, int sampleRate = 8000)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        int n = spec.FrequenciesHz.Count;
        _step = new double[n];
        _amplitude = new double[n];
        _phase = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (spec.FrequenciesHz[i] <= 0 || spec.FrequenciesHz[i] >= sampleRate / 2.0)
            {
                throw new ArgumentException($"{spec.FrequenciesHz[i]} Hz is outside (0, {sampleRate / 2}) Hz.", nameof(spec));
            }

            _step[i] = 2 * Math.PI * spec.FrequenciesHz[i] / sampleRate;
            _amplitude[i] = Dbm0ToPeak(spec.LevelsDbm0[i]);
        }

        _segmentSamples = new int[spec.Cadence.Count * 2];
        for (int i = 0; i < spec.Cadence.Count; i++)
        {
            _segmentSamples[2 * i] = (int)((long)spec.Cadence[i].OnMs * sampleRate / 1000);
            _segmentSamples[(2 * i) + 1] = (int)((long)spec.Cadence[i].OffMs * sampleRate / 1000);
        }

        _rampSamples = Math.Max(1, sampleRate / 500);
        Spec = spec;
    }

    /// <summary>The tone being played.</summary>
    public ToneGeneratorSpec Spec { get; }

    /// <summary>Peak amplitude of a sine at <paramref name="dbm0"/> in 16-bit PCM.</summary>
    public static double Dbm0ToPeak(double dbm0) => 32768 * Math.Pow(10, (dbm0 - 3.14) / 20);

    /// <summary>Writes the next <paramref name="output"/>.Length samples of the tone.</summary>
    public void Generate(Span<short> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            double gain = CadenceGain();
            double v = 0;
            if (gain > 0)
            {
                for (int k = 0; k < _step.Length; k++)
                {
                    v += _amplitude[k] * Math.Sin(_phase[k]);
                }

                v *= gain;
            }

            for (int k = 0; k < _step.Length; k++)
            {
                _phase[k] += _step[k];
                if (_phase[k] >= 2 * Math.PI)
                {
                    _phase[k] -= 2 * Math.PI;
                }
            }

            output[i] = (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue);
            Advance();
        }
    }

    /// <summary>Restarts at the beginning of the cadence.</summary>
    public void Reset()
    {
        _segment = 0;
        _segmentPosition = 0;
        Array.Clear(_phase);
    }

    private double CadenceGain()
    {
        if (_segmentSamples.Length == 0)
        {
            return Math.Min(1.0, (_segmentPosition + 1.0) / _rampSamples);
        }

        if ((_segment & 1) == 1)
        {
            return 0;
        }

        int length = _segmentSamples[_segment];
        int fromEnd = length - _segmentPosition;
        return Math.Min(1.0, Math.Min((_segmentPosition + 1.0) / _rampSamples, (double)fromEnd / _rampSamples));
    }

    private void Advance()
    {
        if (_segmentSamples.Length == 0)
        {
            if (_segmentPosition < _rampSamples)
            {
                _segmentPosition++;
            }

            return;
        }

        _segmentPosition++;
        while (_segmentPosition >= _segmentSamples[_segment])
        {
            _segmentPosition = 0;
            _segment = (_segment + 1) % _segmentSamples.Length;
            if ((_segment & 1) == 0)
            {
                // Each burst starts at phase 0.
                Array.Clear(_phase);
            }

            if (_segmentSamples[_segment] > 0)
            {
                break;
            }
        }
    }
}
