// Packet loss concealment for narrowband speech in the style of ITU-T G.711 Appendix I (pitch repetition, attenuation, OLA).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Conceals lost frames of 8 kHz (or 16 kHz) linear PCM the way ITU-T G.711 Appendix I does:
/// <list type="bullet">
/// <item>the pitch period is found by normalized cross-correlation over the last 20 ms
/// (coarse search on a 2:1 decimated signal, then refined), between 66 and 200 Hz;</item>
/// <item>the lost frame is synthesized by repeating the last pitch period, with a quarter-period
/// overlap-add (OLA) so the jump from real to synthetic signal and every wrap of the period are
/// smooth; after 10 and 20 ms of loss the repetition span grows to 2 and 3 periods (less buzzy);</item>
/// <item>from 10 ms into the loss the synthetic signal is attenuated by 20 % per 10 ms, reaching
/// silence at 60 ms;</item>
/// <item>the first good frame after a loss is overlap-added with the continued synthetic signal
/// over 4 ms, plus 4 ms per extra 10 ms lost (at most 10 ms).</item>
/// </list>
/// The OLA at the start of a loss rewrites the last quarter period before it, so the output runs
/// <see cref="DelaySamples"/> (3.75 ms) behind the input, as in Appendix I. Frames may have any
/// length. State is allocated once; <see cref="Process"/> and <see cref="Conceal"/> allocate nothing.
/// </summary>
public sealed class Plc
{
    private const float CorrelationMinPower = 250f;

    private readonly int _pitchMin;
    private readonly int _pitchMax;
    private readonly int _maxOverlap;
    private readonly int _correlationLength;
    private readonly int _historyLength;
    private readonly int _tenMs;
    private readonly float[] _history;
    private readonly float[] _pitchBuffer;
    private readonly float[] _lastQuarter;
    private readonly float[] _scratch;
    private readonly float[] _pending;
    private int _pendingCount;
    private int _pendingPosition;
    private int _pitch;
    private int _overlap;
    private int _spanLength;
    private int _offset;
    private int _erasedSamples;

    /// <summary>Creates a concealer for 8000 Hz (G.711 Appendix I) or 16000 Hz (constants scaled by 2).</summary>
    public Plc(int sampleRate = 8000)
    {
        if (sampleRate is not 8000 and not 16000)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "PLC runs at 8000 or 16000 Hz.");
        }

        int scale = sampleRate / 8000;
        SampleRate = sampleRate;
        _pitchMin = 40 * scale;   // 200 Hz
        _pitchMax = 120 * scale;  // 66.7 Hz
        _maxOverlap = _pitchMax / 4;
        _correlationLength = 160 * scale; // 20 ms
        _historyLength = (3 * _pitchMax) + _maxOverlap;
        _tenMs = 80 * scale;
        _history = new float[_historyLength];
        _pitchBuffer = new float[_historyLength];
        _lastQuarter = new float[_maxOverlap];
        _scratch = new float[Math.Max(_tenMs, _maxOverlap)];
        _pending = new float[_maxOverlap];
    }

    /// <summary>The sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Output delay in samples (a quarter of the longest pitch period: 3.75 ms).</summary>
    public int DelaySamples => _maxOverlap;

    /// <summary>The pitch period (samples) found at the start of the current or last loss.</summary>
    public int LastPitch => _pitch;

    /// <summary>True while frames are being concealed.</summary>
    public bool IsConcealing => _erasedSamples > 0;

    /// <summary>
    /// A received frame: smooths the end of a loss into it and writes the (delayed) output.
    /// <paramref name="output"/> must be as long as <paramref name="input"/>; they may be the same buffer.
    /// </summary>
    public void Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (output.Length != input.Length)
        {
            throw new ArgumentException("Input and output frames must have the same length.", nameof(output));
        }

        int n = input.Length;
        int done = 0;
        if (_erasedSamples > 0)
        {
            // Appendix I: overlap the continued synthetic signal with the new frame over 4 ms,
            // plus 4 ms for each further 10 ms lost, at most 10 ms.
            int lostTenMs = (_erasedSamples + _tenMs - 1) / _tenMs;
            int olaLength = Math.Min(Math.Min(_tenMs / 2 * lostTenMs, _tenMs), n);
            olaLength = Math.Min(olaLength, _scratch.Length);
            Span<float> synthetic = _scratch.AsSpan(0, olaLength);
            Synthesize(synthetic);
            float step = 1f / (olaLength + 1);
            Span<float> mixed = stackalloc float[1];
            for (int i = 0; i < olaLength; i++)
            {
                float up = (i + 1) * step;
                mixed[0] = (synthetic[i] * (1 - up)) + (input[i] * up);
                PushAndEmit(mixed, output.Slice(i, 1));
            }

            done = olaLength;
            _erasedSamples = 0;
        }

        // Good samples pass through the delay line unchanged.
        while (done < n)
        {
            int chunk = Math.Min(n - done, _scratch.Length);
            Span<float> block = _scratch.AsSpan(0, chunk);
            for (int i = 0; i < chunk; i++)
            {
                block[i] = input[done + i];
            }

            PushAndEmit(block, output.Slice(done, chunk));
            done += chunk;
        }
    }

    /// <summary>A lost frame: writes <paramref name="output"/>.Length concealment samples (delayed like <see cref="Process"/>).</summary>
    public void Conceal(Span<short> output)
    {
        int done = 0;
        if (_erasedSamples == 0)
        {
            StartErasure();
        }

        while (done < output.Length)
        {
            // Grow the repetition span at 10 ms and 20 ms into the loss (Appendix I: 1, 2, 3 periods).
            int untilBoundary = output.Length - done;
            if (_erasedSamples < _tenMs)
            {
                untilBoundary = Math.Min(untilBoundary, _tenMs - _erasedSamples);
            }
            else if (_erasedSamples < 2 * _tenMs)
            {
                untilBoundary = Math.Min(untilBoundary, (2 * _tenMs) - _erasedSamples);
            }

            if ((_erasedSamples == _tenMs || _erasedSamples == 2 * _tenMs) && _spanLength < 3 * _pitch)
            {
                ExtendSpan();
            }

            int chunk = Math.Min(Math.Min(untilBoundary, _scratch.Length), output.Length - done);
            Span<float> block = _scratch.AsSpan(0, chunk);
            Synthesize(block);
            PushAndEmit(block, output.Slice(done, chunk));
            done += chunk;
        }
    }

    private void StartErasure()
    {
        _pitch = FindPitch();
        _overlap = _pitch / 4;
        // Keep the last 3 periods plus a quarter: enough for the longest repetition span.
        _history.AsSpan().CopyTo(_pitchBuffer);
        _history.AsSpan(_historyLength - _overlap, _overlap).CopyTo(_lastQuarter);
        _spanLength = _pitch;
        _offset = 0;
        _pendingCount = 0;
        _pendingPosition = 0;
        BlendSpanEnd();
        // The real signal's tail (not yet output: it is inside the delay) becomes the blended one,
        // so the jump into the first repeated period is smooth.
        _pitchBuffer.AsSpan(_historyLength - _overlap, _overlap).CopyTo(_history.AsSpan(_historyLength - _overlap));
    }

    /// <summary>OLA the end of the repetition span into the signal just before the span start.</summary>
    private void BlendSpanEnd()
    {
        int end = _historyLength;
        int start = end - _spanLength;
        float step = 1f / (_overlap + 1);
        for (int i = 0; i < _overlap; i++)
        {
            float up = (i + 1) * step;
            _pitchBuffer[end - _overlap + i] = (_lastQuarter[i] * (1 - up)) + (_pitchBuffer[start - _overlap + i] * up);
        }
    }

    private void ExtendSpan()
    {
        // Play a quarter period more of the current span, cross-faded into the longer span taken up
        // at the same phase of the period; the blend is emitted before the span continues.
        _pendingCount = 0;
        _pendingPosition = 0;
        Span<float> oldTail = _pending.AsSpan(0, _overlap);
        int phase = _offset % _pitch;
        ReadSpan(oldTail);
        _spanLength += _pitch;
        BlendSpanEnd();
        _offset = phase;
        Span<float> newHead = stackalloc float[_overlap];
        ReadSpan(newHead);
        float step = 1f / (_overlap + 1);
        for (int i = 0; i < _overlap; i++)
        {
            float up = (i + 1) * step;
            oldTail[i] = (oldTail[i] * (1 - up)) + (newHead[i] * up);
        }

        _pendingCount = _overlap;
        _pendingPosition = 0;
    }

    private void ReadSpan(Span<float> destination)
    {
        int i = 0;
        while (_pendingPosition < _pendingCount && i < destination.Length)
        {
            destination[i++] = _pending[_pendingPosition++];
        }

        int start = _historyLength - _spanLength;
        for (; i < destination.Length; i++)
        {
            destination[i] = _pitchBuffer[start + _offset];
            _offset++;
            if (_offset == _spanLength)
            {
                _offset = 0;
            }
        }
    }

    /// <summary>Synthetic samples: the repeated span with the Appendix I attenuation.</summary>
    private void Synthesize(Span<float> destination)
    {
        ReadSpan(destination);
        for (int i = 0; i < destination.Length; i++)
        {
            // Full level for the first 10 ms, then -20 % per 10 ms: silent after 60 ms.
            int t = _erasedSamples + i;
            float gain = t < _tenMs ? 1f : Math.Max(0f, 1f - (0.2f * (t - _tenMs) / _tenMs));
            destination[i] *= gain;
        }

        _erasedSamples += destination.Length;
    }

    private void PushAndEmit(ReadOnlySpan<float> samples, Span<short> output)
    {
        int n = samples.Length;
        // Output is the history delayed by DelaySamples: emit before shifting.
        for (int i = 0; i < n; i++)
        {
            int index = _historyLength - _maxOverlap + i;
            float v = index < _historyLength ? _history[index] : samples[index - _historyLength];
            output[i] = (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue);
        }

        if (n >= _historyLength)
        {
            samples[(n - _historyLength)..].CopyTo(_history);
        }
        else
        {
            _history.AsSpan(n).CopyTo(_history);
            samples.CopyTo(_history.AsSpan(_historyLength - n));
        }
    }

    /// <summary>
    /// Appendix I pitch estimate: maximize the normalized cross-correlation between the last 20 ms
    /// and the segment one lag earlier; coarse on every 2nd sample and lag, then refined by +/-1.
    /// </summary>
    private int FindPitch()
    {
        ReadOnlySpan<float> h = _history;
        int end = _historyLength;
        int best = _pitchMin;
        float bestScore = float.MinValue;
        for (int lag = _pitchMin; lag <= _pitchMax; lag += 2)
        {
            float score = Correlation(h, end, lag, 2);
            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }

        int coarse = best;
        bestScore = float.MinValue;
        for (int lag = Math.Max(_pitchMin, coarse - 1); lag <= Math.Min(_pitchMax, coarse + 1); lag++)
        {
            float score = Correlation(h, end, lag, 1);
            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }

        // A periodic signal correlates at every multiple of its period; when a sub-multiple of the
        // winner scores almost as well, it is the true period (avoids octave errors).
        for (int divisor = 3; divisor >= 2; divisor--)
        {
            int candidate = (int)MathF.Round((float)best / divisor);
            if (candidate < _pitchMin)
            {
                continue;
            }

            for (int lag = Math.Max(_pitchMin, candidate - 1); lag <= candidate + 1; lag++)
            {
                if (Correlation(h, end, lag, 1) >= 0.85f * bestScore)
                {
                    return lag;
                }
            }
        }

        return best;
    }

    private float Correlation(ReadOnlySpan<float> h, int end, int lag, int step)
    {
        float cross = 0;
        float energy = 0;
        for (int i = end - _correlationLength; i < end; i += step)
        {
            float lagged = h[i - lag];
            cross += h[i] * lagged;
            energy += lagged * lagged;
        }

        // A near-silent lagged segment would give a meaningless ratio; treat its energy as a floor.
        return cross / MathF.Sqrt(Math.Max(energy, CorrelationMinPower));
    }
}
