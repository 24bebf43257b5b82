// Spectral noise suppressor (speex-preprocess class): Wiener gain with decision-directed SNR.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// Stationary-noise suppressor for 10 ms frames at 8 or 16 kHz. Each frame is analysed with a
/// sqrt-Hann window over the last two frames (zero-padded to a power-of-two FFT), the noise power
/// per bin is tracked (follows the smoothed power down at once, up by about 3 dB/s where the bin
/// does not look like speech), the a priori SNR is estimated decision-directed (Ephraim and Malah
/// 1984, alpha 0.98) and each bin is scaled by the Wiener gain, floored at the configured
/// suppression (default -15 dB, SpeexDSP's default). Output is overlap-added: one frame of delay.
/// </summary>
/// <remarks>
/// The per-bin gain loop has a Vector128 path with the same IEEE operations as the scalar loop, so
/// both give the same bits, and <c>native/src/ns.c</c> does the same. Allocation-free per frame;
/// not thread safe.
/// </remarks>
public sealed class NoiseSuppressor
{
    private const float Alpha = 0.98f;
    // The tracked floor is a minimum of a smoothed periodogram, a few dB under the mean noise power.
    private const float NoiseBias = 2f;
    private const int LearningFrames = 25;
    private const float Rise = 1.0087f; // +3 dB/s at 100 frames/s
    private readonly int _frame;
    private readonly int _bins;
    private readonly bool _vectorized;
    private readonly float _gainFloor;
    private readonly SpectralFrame _analysis;
    private readonly float[] _power;
    private readonly float[] _smooth;
    private readonly float[] _noise;
    private readonly float[] _prevSignal; // G^2 * gamma of the last frame (decision-directed term)
    private readonly float[] _gain;
    private readonly float[] _ola;
    private int _frames;

    /// <summary>Creates a suppressor.</summary>
    /// <param name="sampleRate">8000 or 16000.</param>
    /// <param name="suppressionDb">Largest attenuation of noise, in dB (1..40). Default 15.</param>
    public NoiseSuppressor(int sampleRate, int suppressionDb = 15)
        : this(sampleRate, suppressionDb, Vector128.IsHardwareAccelerated)
    {
    }

    internal NoiseSuppressor(int sampleRate, int suppressionDb, bool vectorized)
    {
        if (sampleRate != 8000 && sampleRate != 16000)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be 8000 or 16000 Hz.");
        }
        if (suppressionDb < 1 || suppressionDb > 40)
        {
            throw new ArgumentOutOfRangeException(nameof(suppressionDb), suppressionDb, "Suppression must be 1..40 dB.");
        }
        _frame = sampleRate / 100;
        int fftSize = sampleRate == 8000 ? 256 : 512;
        _bins = (fftSize / 2) + 1;
        _vectorized = vectorized;
        _gainFloor = (float)Math.Pow(10, -suppressionDb / 20.0);
        _analysis = new SpectralFrame(_frame, fftSize, vectorized);
        _power = new float[_bins];
        _smooth = new float[_bins];
        _noise = new float[_bins];
        _prevSignal = new float[_bins];
        _gain = new float[_bins];
        _ola = new float[_frame];
    }

    /// <summary>Samples per frame.</summary>
    public int FrameSize => _frame;

    /// <summary>Processes one frame; the output lags the input by one frame.</summary>
    /// <param name="input">Exactly <see cref="FrameSize"/> samples.</param>
    /// <param name="output">Receives <see cref="FrameSize"/> samples (may alias <paramref name="input"/>).</param>
    public void Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int n = _frame;
        if (input.Length != n || output.Length != n)
        {
            throw new ArgumentException($"Frames are exactly {n} samples (10 ms).");
        }
        _analysis.Analyze(input);
        float[] re = _analysis.Re;
        float[] im = _analysis.Im;
        for (int f = 0; f < _bins; f++)
        {
            _power[f] = (re[f] * re[f]) + (im[f] * im[f]);
        }
        if (_frames < LearningFrames)
        {
            // First 250 ms: the noise is the running mean of the power (a single periodogram
            // is a poor start for a minimum tracker that only rises 3 dB/s).
            _frames++;
            float w = 1f / _frames;
            for (int f = 0; f < _bins; f++)
            {
                _noise[f] += w * (_power[f] - _noise[f]);
                _smooth[f] = _power[f];
            }
        }
        else
        {
            UpdateNoise(_power, _smooth, _noise, _bins);
        }
        if (_vectorized)
        {
            GainsVector(_power, _noise, _prevSignal, _gain, _gainFloor, _bins);
        }
        else
        {
            GainsScalar(_power, _noise, _prevSignal, _gain, _gainFloor, 0, _bins);
        }
        for (int f = 0; f < _bins; f++)
        {
            re[f] *= _gain[f];
            im[f] *= _gain[f];
        }
        float[] time = _analysis.Time;
        float[] window = _analysis.Window;
        _analysis.Fft.Inverse(re, im, time);
        for (int i = 0; i < n; i++)
        {
            float v = _ola[i] + (window[i] * time[i]);
            _ola[i] = window[n + i] * time[n + i];
            float r = MathF.Round(v);
            output[i] = r > 32767f ? (short)32767 : r < -32768f ? (short)-32768 : (short)r;
        }
    }

    // Noise floor per bin: down with the smoothed power at once, up by 3 dB/s unless the bin is
    // more than 4x (6 dB) above the floor (speech), so speech does not lift the estimate.
    internal static void UpdateNoise(float[] power, float[] smooth, float[] noise, int bins)
    {
        for (int f = 0; f < bins; f++)
        {
            float s = smooth[f] + (0.3f * (power[f] - smooth[f]));
            smooth[f] = s;
            if (s < noise[f])
            {
                noise[f] = s;
            }
            else if (s < 4f * noise[f])
            {
                noise[f] = (noise[f] * Rise) + 1e-3f;
            }
            else
            {
                noise[f] = (noise[f] * 1.0005f) + 1e-3f;
            }
        }
    }

    // Wiener gain from the decision-directed a priori SNR:
    // gamma = P / (bias N); xi = a * prev + (1 - a) * max(gamma - 1, 0); G = max(xi / (1 + xi), floor);
    // prev = G^2 * gamma for the next frame.
    internal static void GainsScalar(float[] power, float[] noise, float[] prevSignal, float[] gain, float floor, int from, int bins)
    {
        for (int f = from; f < bins; f++)
        {
            float gamma = power[f] / ((NoiseBias * noise[f]) + 1f);
            float ml = gamma - 1f;
            ml = ml > 0f ? ml : 0f;
            float xi = (Alpha * prevSignal[f]) + ((1f - Alpha) * ml);
            float g = xi / (1f + xi);
            g = g > floor ? g : floor;
            gain[f] = g;
            prevSignal[f] = (g * g) * gamma;
        }
    }

    internal static void GainsVector(float[] power, float[] noise, float[] prevSignal, float[] gain, float floor, int bins)
    {
        int f = 0;
        ref float pp = ref MemoryMarshal.GetArrayDataReference(power);
        ref float pn = ref MemoryMarshal.GetArrayDataReference(noise);
        ref float ps = ref MemoryMarshal.GetArrayDataReference(prevSignal);
        ref float pg = ref MemoryMarshal.GetArrayDataReference(gain);
        Vector128<float> one = Vector128.Create(1f);
        Vector128<float> bias = Vector128.Create(NoiseBias);
        Vector128<float> alpha = Vector128.Create(Alpha);
        Vector128<float> beta = Vector128.Create(1f - Alpha);
        Vector128<float> vfloor = Vector128.Create(floor);
        for (; f <= bins - Vector128<float>.Count; f += Vector128<float>.Count)
        {
            Vector128<float> gamma = Vector128.LoadUnsafe(ref pp, (nuint)f) / ((bias * Vector128.LoadUnsafe(ref pn, (nuint)f)) + one);
            Vector128<float> ml = Vector128.Max(gamma - one, Vector128<float>.Zero);
            Vector128<float> xi = (alpha * Vector128.LoadUnsafe(ref ps, (nuint)f)) + (beta * ml);
            Vector128<float> g = Vector128.Max(xi / (one + xi), vfloor);
            g.StoreUnsafe(ref pg, (nuint)f);
            ((g * g) * gamma).StoreUnsafe(ref ps, (nuint)f);
        }
        GainsScalar(power, noise, prevSignal, gain, floor, f, bins);
    }
}
