// In-band DTMF receiver for 8 kHz PCM: Goertzel filters with phase-based frequency checks and ITU-T Q.24 style timing and twist rules.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Detects DTMF digits (ITU-T Q.23 frequency pairs) in 8 kHz linear PCM, to the receiver limits of
/// ITU-T Q.24 as commonly applied:
/// <list type="bullet">
/// <item>Analysis in blocks of 102 samples (12.75 ms); each of the 8 frequencies gets a Goertzel
/// filter run over the two 51-sample halves of the block. The coherent sum of the halves gives
/// the tone power; the phase advance between the halves gives the tone's actual frequency.</item>
/// <item>Frequency: within +/-1.5 % accepted, beyond +/-3.5 % rejected (threshold 2.5 %).</item>
/// <item>Twist: high group up to 8 dB weaker (normal twist) or 4 dB stronger (reverse twist).</item>
/// <item>Each tone at least -30 dBm0; both tones at least 8 dB above the other tones of their
/// group; the two tones at least 70 % of the block's energy (rejects speech and noise).</item>
/// <item>Timing: a digit is reported after two consecutive valid blocks (25.5 ms of tone), so
/// every tone of 40 ms or more is accepted and no tone under 23 ms can be; it ends after three
/// blocks without it, so interruptions up to 10 ms do not split a digit and a 40 ms pause
/// separates two.</item>
/// </list>
/// 0 dBm0 is a sine of peak 32768 * 10^(-3.14/20) (the G.711 reference level).
/// Allocation-free after construction; not thread-safe.
/// </summary>
public sealed class DtmfDetector
{
    /// <summary>Samples per analysis block.</summary>
    public const int BlockSize = 102;

    private const int Half = BlockSize / 2;
    private const int SampleRate = 8000;
    private const double MaxDeviation = 0.025;
    private const double MaxNormalTwist = 6.309573; // 8 dB
    private const double MaxReverseTwist = 2.511886; // 4 dB
    private const double RelativePeak = 6.309573; // 8 dB
    private const double ToneToTotal = 0.70;
    private const double MinHalfBalance = 0.5; // 3 dB
    private const int ConfirmBlocks = 2;
    private const int ReleaseBlocks = 3;

    private static readonly double[] s_frequencies = [697, 770, 852, 941, 1209, 1336, 1477, 1633];
    private static readonly char[] s_keys = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

    private readonly double[] _coef = new double[8];
    private readonly double[] _cos = new double[8];
    private readonly double[] _sin = new double[8];
    private readonly double[] _rotRe = new double[8]; // e^{-j w (Half - 1)}: Goertzel output to DFT phase
    private readonly double[] _rotIm = new double[8];
    private readonly double[] _halfRe = new double[8]; // e^{-j w Half}: second half to block origin
    private readonly double[] _halfIm = new double[8];
    private readonly double[] _s1 = new double[8];
    private readonly double[] _s2 = new double[8];
    private readonly double[] _firstRe = new double[8];
    private readonly double[] _firstIm = new double[8];
    private readonly double[] _power = new double[8];
    private readonly double[] _deviation = new double[8];
    private readonly double[] _offsetBins = new double[8];
    private readonly double[] _halfBalance = new double[8];
    private readonly double _minTonePower;
    private double _energy;
    private int _position;
    private char _candidate;
    private int _candidateBlocks;
    private int _missingBlocks;

    /// <summary>Creates a detector; <paramref name="minToneLevelDbm0"/> is the weakest tone accepted.</summary>
    public DtmfDetector(double minToneLevelDbm0 = -30)
    {
        for (int i = 0; i < 8; i++)
        {
            double w = 2 * Math.PI * s_frequencies[i] / SampleRate;
            _cos[i] = Math.Cos(w);
            _sin[i] = Math.Sin(w);
            _coef[i] = 2 * Math.Cos(w);
            _rotRe[i] = Math.Cos(-w * (Half - 1));
            _rotIm[i] = Math.Sin(-w * (Half - 1));
            _halfRe[i] = Math.Cos(-w * Half);
            _halfIm[i] = Math.Sin(-w * Half);
        }

        // Mean-square power of a tone at the limit, in 16-bit PCM units.
        double peak = 32768 * Math.Pow(10, (minToneLevelDbm0 - 3.14) / 20);
        _minTonePower = peak * peak / 2;
    }

    /// <summary>The digit currently present ('\0' when none).</summary>
    public char CurrentDigit { get; private set; }

    /// <summary>
    /// Feeds samples; writes each newly detected digit to <paramref name="digits"/> (once per key
    /// press, when it is confirmed) and returns how many were written. <paramref name="digits"/>
    /// needs room for one digit per 25 ms of input.
    /// </summary>
    public int Process(ReadOnlySpan<short> samples, Span<char> digits)
    {
        int found = 0;
        foreach (short sample in samples)
        {
            double x = sample;
            _energy += x * x;
            for (int i = 0; i < 8; i++)
            {
                double s0 = x + (_coef[i] * _s1[i]) - _s2[i];
                _s2[i] = _s1[i];
                _s1[i] = s0;
            }

            _position++;
            if (_position == Half)
            {
                for (int i = 0; i < 8; i++)
                {
                    Dft(i, out _firstRe[i], out _firstIm[i]);
                    _s1[i] = 0;
                    _s2[i] = 0;
                }
            }
            else if (_position == BlockSize)
            {
                char key = Analyze();
                if (Track(key) is char digit && digit != '\0')
                {
                    if (found == digits.Length)
                    {
                        throw new ArgumentException("The digits buffer is too small.", nameof(digits));
                    }

                    digits[found++] = digit;
                }

                _position = 0;
                _energy = 0;
                Array.Clear(_s1);
                Array.Clear(_s2);
            }
        }

        return found;
    }

    /// <summary>Forgets all state.</summary>
    public void Reset()
    {
        Array.Clear(_s1);
        Array.Clear(_s2);
        _position = 0;
        _energy = 0;
        _candidate = '\0';
        _candidateBlocks = 0;
        _missingBlocks = 0;
        CurrentDigit = '\0';
    }

    /// <summary>The DFT term of the current half block (origin at its first sample).</summary>
    private void Dft(int i, out double re, out double im)
    {
        // Goertzel: y = s1 - e^{-jw} s2 = sum x[n] e^{jw(N-1-n)}; X = e^{-jw(N-1)} y.
        double yRe = _s1[i] - (_cos[i] * _s2[i]);
        double yIm = _sin[i] * _s2[i];
        re = (yRe * _rotRe[i]) - (yIm * _rotIm[i]);
        im = (yRe * _rotIm[i]) + (yIm * _rotRe[i]);
    }

    private char Analyze()
    {
        for (int i = 0; i < 8; i++)
        {
            Dft(i, out double re2, out double im2);
            // Whole block: X = X1 + e^{-jw Half} X2.
            double re = _firstRe[i] + (_halfRe[i] * re2) - (_halfIm[i] * im2);
            double im = _firstIm[i] + (_halfRe[i] * im2) + (_halfIm[i] * re2);
            // Phase advance over Half samples beyond the filter's own: (w_tone - w) * Half.
            double advance = Math.Atan2(im2, re2) - Math.Atan2(_firstIm[i], _firstRe[i]);
            double w = 2 * Math.PI * s_frequencies[i] / SampleRate;
            double delta = Wrap(advance - (w * Half));
            double offsetHz = delta * SampleRate / (2 * Math.PI * Half);
            _deviation[i] = Math.Abs(offsetHz) / s_frequencies[i];
            _offsetBins[i] = offsetHz * BlockSize / SampleRate;
            // Mean-square tone power: |X| = A N / 2 for a sine of amplitude A.
            double amplitude = 2 * Math.Sqrt((re * re) + (im * im)) / BlockSize;
            _power[i] = amplitude * amplitude / 2;
            double first = (_firstRe[i] * _firstRe[i]) + (_firstIm[i] * _firstIm[i]);
            double second = (re2 * re2) + (im2 * im2);
            _halfBalance[i] = Math.Min(first, second) / Math.Max(Math.Max(first, second), 1e-9);
        }

        int row = ArgMax(0);
        int col = ArgMax(4);
        double low = _power[row];
        double high = _power[col];
        // The tone must fill the whole block: both halves carry similar power (rejects a block that
        // a burst only partly covers, so short bursts cannot pass as two blocks).
        if (_halfBalance[row] < MinHalfBalance || _halfBalance[col] < MinHalfBalance)
        {
            return '\0';
        }
        double blockPower = _energy / BlockSize;
        if (low < _minTonePower || high < _minTonePower)
        {
            return '\0';
        }

        // Q.24 twist: the high group may be up to 8 dB weaker, or up to 4 dB stronger.
        if (high < low ? low > MaxNormalTwist * high : high > MaxReverseTwist * low)
        {
            return '\0';
        }

        for (int i = 0; i < 4; i++)
        {
            if ((i != row && _power[i] * RelativePeak > low) || (i + 4 != col && _power[i + 4] * RelativePeak > high))
            {
                return '\0';
            }
        }

        if (_deviation[row] > MaxDeviation || _deviation[col] > MaxDeviation)
        {
            return '\0';
        }

        // Tone-to-total energy, with the two detected tones corrected for the rectangular window's
        // loss at their measured offset (sinc^2), so a tone 1.5 % off keeps its full weight.
        if ((low / SincSquared(_offsetBins[row])) + (high / SincSquared(_offsetBins[col])) < ToneToTotal * blockPower)
        {
            return '\0';
        }

        return s_keys[(row * 4) + (col - 4)];
    }

    private char? Track(char key)
    {
        if (key != '\0' && key == CurrentDigit)
        {
            _missingBlocks = 0;
            return null;
        }

        if (CurrentDigit != '\0')
        {
            _missingBlocks++;
            if (_missingBlocks >= ReleaseBlocks)
            {
                CurrentDigit = '\0';
                _missingBlocks = 0;
            }
            else
            {
                return null;
            }
        }

        if (key == '\0')
        {
            _candidate = '\0';
            _candidateBlocks = 0;
            return null;
        }

        if (key == _candidate)
        {
            _candidateBlocks++;
        }
        else
        {
            _candidate = key;
            _candidateBlocks = 1;
        }

        if (_candidateBlocks >= ConfirmBlocks)
        {
            CurrentDigit = key;
            _candidate = '\0';
            _candidateBlocks = 0;
            return key;
        }

        return null;
    }

    private int ArgMax(int first)
    {
        int best = first;
        for (int i = first + 1; i < first + 4; i++)
        {
            if (_power[i] > _power[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double SincSquared(double bins)
    {
        if (Math.Abs(bins) < 1e-6)
        {
            return 1;
        }

        double sinc = Math.Sin(Math.PI * bins) / (Math.PI * bins);
        return Math.Max(sinc * sinc, 0.25);
    }

    private static double Wrap(double phase)
    {
        phase %= 2 * Math.PI;
        if (phase > Math.PI)
        {
            phase -= 2 * Math.PI;
        }
        else if (phase < -Math.PI)
        {
            phase += 2 * Math.PI;
        }

        return phase;
    }
}
