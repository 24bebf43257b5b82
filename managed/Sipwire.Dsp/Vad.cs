// Voice activity detector for 10 ms frames: per-band likelihood-ratio test (Sohn) against tracked band noise, with hangover.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// Frame-level voice activity detector (for DTX with RFC 3389 comfort noise, and for the echo
/// canceller's companions). Each 10 ms frame is analysed with the previous one under a sqrt-Hann
/// window (FFT of 256 points at 8 kHz, 512 at 16 kHz, 31.25 Hz bins) and summed into 250 Hz bands
/// from 125 Hz up (15 bands at 8 kHz, 31 at 16 kHz). Per band, the a posteriori SNR against the
/// tracked band noise and the decision-directed a priori SNR give the log likelihood ratio of
/// speech over noise under the Gaussian model (Sohn, Kim and Sung, IEEE SP Letters 6(1), 1999). A
/// frame is speech when the mean of those ratios exceeds 0.15 (0.08 once active: hysteresis).
/// After a run of three speech frames the decision holds for a 200 ms hangover, so word endings
/// are not clipped; a shorter run (a click) is not held. In non-stationary noise (babble: many
/// bands dip 6 dB under their noise estimate, which stationary noise and speech over it do not
/// do) a speech frame must also carry 6 dB more power than the band noise in total (4.8 dB once
/// active), and a run 9 dB more before the hangover holds it, so the peaks of the background are
/// not taken for a talker.
/// </summary>
/// <remarks>
/// <para>Band noise: a recursive mean of the band powers that stay within 3 dB of the estimate
/// (Hirsch and Ehrlicher, ICASSP 1995; weight 0.1 in noise frames, 0.02 in speech frames), so a
/// band carrying speech never feeds it; the first 100 ms are averaged plainly. Its lower bound is
/// the bias-compensated minimum of the smoothed band power over the last 1.6 s (minimum
/// statistics, Martin 2001), so a step up in background noise is learned within about 2 s, and
/// its upper bound twice that, so speech cannot walk it up.
/// Working in bands rather than full-band energy lets speech in white noise at 0 dB SNR through
/// (its low bands stand well above the noise).</para>
/// <para>The spectrum comes from <see cref="Fft"/>, whose scalar, SIMD and C paths give identical
/// bits, and every later step is the same float/double operation sequence as in
/// <c>native/src/vad.c</c>, so the decisions are the same on every path. Allocation-free after
/// construction; not thread safe.</para>
/// <para>Cost per frame (bench/Sipwire.Bench VadNsBenchmarks, same run): about a quarter of
/// SpeexDSP's preprocessor (VAD + denoise) on the SIMD path, a fifth in C - one real FFT of 256 or
/// 512 points and some 30 float operations per band. The C state is about 14.5 KB, 6.7 KB of it the
/// FFT plan.</para>
/// </remarks>
public sealed class Vad
{
    private const int BinsPerBand = 8;
    private const int FirstBin = 4;
    private const int SubWindowFrames = 20;
    private const int SubWindows = 8;
    private const float MinimumBias = 1.5f;
    private const float MaximumBias = 3.0f;
    private const float NoiseRate = 0.1f;
    private const float SpeechNoiseRate = 0.02f;
    private const float BandNoiseRatio = 2.0f;
    private const double Alpha = 0.98;
    private const double XiMin = 0.003;
    private const double OnsetThreshold = 0.15;
    private const double HoldThreshold = 0.08;
    // The analysis window reaches one frame back, so the first frame after speech still sees it:
    // 190 ms of hangover after that frame end 200 ms after the speech.
    private const double HangoverMs = 190;
    private const double MinimumDbov = -75;
    private const double FullBandGate = 4.0;
    private const double HangoverGate = 8.0;
    private const double HoldGate = 3.0;
    private const float DipRatio = 0.25f;
    private const double DipRate = 0.01;
    private const double DipThreshold = 0.04;
    private const int BurstFrames = 3;
    private const int LearningFrames = 10;
    private readonly int _frame;
    private readonly int _fftSize;
    private readonly int _bands;
    private readonly int _hangoverFrames;
    private readonly float _noiseFloor;
    private readonly SpectralFrame _analysis;
    private readonly float[] _power;
    private readonly float[] _smooth;
    private readonly float[] _noise;
    private readonly float[] _clean;
    private readonly float[] _windowMin;
    private readonly float[] _recentMin;
    private readonly float[] _ring;
    private int _frames;
    private int _subFrames;
    private int _ringPos;
    private int _hangover;
    private int _run;
    private bool _active;
    private double _dips;

    /// <summary>Creates a detector for 10 ms frames at <paramref name="sampleRate"/> (8000 or 16000).</summary>
    /// <param name="sampleRate">8000 or 16000.</param>
    public Vad(int sampleRate)
        : this(sampleRate, Vector128.IsHardwareAccelerated)
    {
    }

    internal Vad(int sampleRate, bool vectorized)
    {
        if (sampleRate != 8000 && sampleRate != 16000)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be 8000 or 16000 Hz.");
        }
        _frame = sampleRate / 100;
        _fftSize = sampleRate == 8000 ? 256 : 512;
        _bands = ((_fftSize / 2) - FirstBin) / BinsPerBand;
        _hangoverFrames = (int)(HangoverMs / 10);
        // A band of white noise at -75 dBov: 8 bins of sigma^2 * sum(w^2) = sigma^2 * frame each.
        _noiseFloor = (float)(BinsPerBand * _frame * 32768.0 * 32768.0 * Math.Pow(10, MinimumDbov / 10));
        _analysis = new SpectralFrame(_frame, _fftSize, vectorized);
        _power = new float[_bands];
        _smooth = new float[_bands];
        _noise = new float[_bands];
        _clean = new float[_bands];
        _windowMin = new float[_bands];
        _recentMin = new float[_bands];
        _ring = new float[SubWindows * _bands];
    }

    /// <summary>Samples per frame.</summary>
    public int FrameSize => _frame;

    /// <summary>Tracked noise floor in dBov (mean square against a full-scale square wave), from the band noise estimates.</summary>
    public double NoiseFloorDbov
    {
        get
        {
            double sum = 0;
            for (int b = 0; b < _bands; b++)
            {
                sum += _noise[b];
            }
            // Parseval over the one-sided spectrum (x2), sum(w^2) = frame, scaled from the
            // covered bins to the whole band 0..fs/2 as for white noise.
            double meanSquare = 2 * sum / ((double)_fftSize * _frame) * (_fftSize / 2.0) / (_bands * BinsPerBand);
            return 10 * Math.Log10((meanSquare / (32768.0 * 32768.0)) + 1e-12);
        }
    }

    /// <summary>True while the background is judged non-stationary (babble-like) and the stricter conditions apply.</summary>
    internal bool NonStationary => _dips > DipThreshold;

    /// <summary>Classifies one frame.</summary>
    /// <param name="frame">Exactly <see cref="FrameSize"/> samples.</param>
    /// <returns>True when the frame is (or is held as) voice.</returns>
    public bool Process(ReadOnlySpan<short> frame)
    {
        int n = _frame;
        if (frame.Length != n)
        {
            throw new ArgumentException($"A frame is exactly {n} samples (10 ms).", nameof(frame));
        }
        _analysis.Analyze(frame);
        float[] re = _analysis.Re;
        float[] im = _analysis.Im;
        for (int b = 0; b < _bands; b++)
        {
            float e = 0;
            int k0 = FirstBin + (b * BinsPerBand);
            for (int k = k0; k < k0 + BinsPerBand; k++)
            {
                e += (re[k] * re[k]) + (im[k] * im[k]);
            }
            _power[b] = e;
        }
        if (_frames == 0)
        {
            // The first frame's likelihood ratio needs a noise to divide by; UpdateNoise's
            // learning phase then sets every noise and minimum statistic from it.
            for (int b = 0; b < _bands; b++)
            {
                _noise[b] = Math.Max(_power[b], _noiseFloor);
            }
        }
        _frames = _frames < int.MaxValue ? _frames + 1 : _frames;

        // Sohn et al. 1999, eq. (3)-(4): mean over the bands of the log likelihood ratio, with the
        // a priori SNR from the decision-directed estimate (Ephraim and Malah 1984, eq. 51).
        double sum = 0;
        double power = 0;
        double noise = 0;
        for (int b = 0; b < _bands; b++)
        {
            double gamma = (double)_power[b] / _noise[b];
            double xi = (Alpha * ((double)_clean[b] / _noise[b])) + ((1 - Alpha) * Math.Max(gamma - 1, 0));
            xi = Math.Max(xi, XiMin);
            double g = xi / (1 + xi);
            sum += (gamma * g) - Math.Log(1 + xi);
            power += _power[b];
            noise += _noise[b];
            _clean[b] = (float)(g * g * _power[b]);
        }
        double llr = sum / _bands;

        // Non-stationary noise: the share of bands dipping 6 dB under their noise estimate, averaged
        // over about a second. Stationary noise (8 bins per band) dips that far in about 1 % of the
        // bands, and speech only adds power, so speech in white noise does not raise it; babble
        // does, in 5-15 % (its talkers pause). Then a frame must also stand 6 dB above the noise in total (4.8 dB
        // to stay active), and a burst 9 dB before the hangover holds it.
        int dips = 0;
        for (int b = 0; b < _bands; b++)
        {
            dips += _power[b] < DipRatio * _noise[b] ? 1 : 0;
        }
        _dips += (_frames < 100 ? 1.0 / _frames : DipRate) * (((double)dips / _bands) - _dips);
        bool babble = _dips > DipThreshold;
        bool speech = llr > (_active ? HoldThreshold : OnsetThreshold) && (!babble || power > (_active ? HoldGate : FullBandGate) * noise);

        UpdateNoise(speech);

        if (speech)
        {
            _active = true;
            _run = Math.Min(_run + 1, BurstFrames);
            if (_run == BurstFrames && (!babble || power > HangoverGate * noise))
            {
                _hangover = _hangoverFrames;
            }
        }
        else if (_hangover > 0)
        {
            _hangover--;
        }
        else
        {
            _active = false;
        }
        if (!speech)
        {
            _run = 0;
        }
        return _active;
    }

    private void UpdateNoise(bool speech)
    {
        bool subWindowDone = ++_subFrames == SubWindowFrames;
        if (subWindowDone)
        {
            _subFrames = 0;
        }
        if (_frames < LearningFrames)
        {
            // First 100 ms: the noise is the running mean of the band power (the first frame alone,
            // half of it zeros from before the start, is a poor estimate), and the minimum
            // tracker starts where that mean puts it.
            float w = 1f / _frames;
            for (int b = 0; b < _bands; b++)
            {
                float lambda = Math.Max(_noise[b] + (w * (_power[b] - _noise[b])), _noiseFloor);
                float minimum = lambda / MinimumBias;
                _noise[b] = lambda;
                _smooth[b] = lambda;
                _windowMin[b] = minimum;
                _recentMin[b] = minimum;
                for (int j = 0; j < SubWindows; j++)
                {
                    _ring[(j * _bands) + b] = minimum;
                }
            }
            return;
        }
        for (int b = 0; b < _bands; b++)
        {
            float e = _power[b];
            float s = (0.8f * _smooth[b]) + (0.2f * e);
            _smooth[b] = s;
            float windowMin = Math.Min(_windowMin[b], s);
            if (subWindowDone)
            {
                // Minimum statistics (Martin 2001): the minimum over the last SubWindows sub-windows.
                _ring[(_ringPos * _bands) + b] = windowMin;
                float m = windowMin;
                for (int j = 0; j < SubWindows; j++)
                {
                    m = Math.Min(m, _ring[(j * _bands) + b]);
                }
                _recentMin[b] = m;
                windowMin = s;
            }
            _windowMin[b] = windowMin;
            float lambda = _noise[b];
            if (e < BandNoiseRatio * lambda)
            {
                // Hirsch and Ehrlicher 1995: a band within 3 dB of its noise is noise even in a speech frame.
                lambda += (speech ? SpeechNoiseRate : NoiseRate) * (e - lambda);
            }
            // Bounds from the minimum: 1.5 times it (the mean of stationary noise, so a step up
            // is learned) to 3 times it (so speech that keeps a band within 3 dB of the estimate
            // cannot walk it up).
            float minimum = Math.Min(_recentMin[b], windowMin);
            lambda = Math.Min(Math.Max(lambda, MinimumBias * minimum), MaximumBias * minimum);
            _noise[b] = Math.Max(lambda, _noiseFloor);
        }
        if (subWindowDone)
        {
            _ringPos = _ringPos + 1 == SubWindows ? 0 : _ringPos + 1;
        }
    }
}
