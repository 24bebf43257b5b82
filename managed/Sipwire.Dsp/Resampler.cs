// Streaming polyphase resampler between 8, 16 and 48 kHz for PCM16 voice frames.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// Converts 16-bit PCM between 8000, 16000 and 48000 Hz with a rational polyphase FIR
/// (Kaiser-windowed sinc, about 80 dB stopband, passband flat to about 0.8 of the lower Nyquist
/// frequency). Streaming: the filter history carries from one call to the next, so 10 or 20 ms
/// frames in give the same output as one long block. Float arithmetic; outputs are rounded to
/// nearest and saturated. Delay: <see cref="DelaySamples"/> output samples. One instance per
/// stream; not thread-safe; no allocation after construction.
/// </summary>
public sealed partial class Resampler
{
    private const int BlockInput = 480; // input samples per internal block (10 ms at 48 kHz)

    private readonly ResamplerFilter _filter;
    private readonly float[] _buffer; // TapsPerPhase - 1 history samples, then the block
    private readonly ResamplerPath _path;
    private readonly float[] _phaseOut; // one branch's outputs for a block (interpolation only)
    private int _time; // next output's position, in 1/L input samples from the block start

    /// <summary>Creates a resampler.</summary>
    /// <param name="inputRate">8000, 16000 or 48000.</param>
    /// <param name="outputRate">8000, 16000 or 48000.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not supported.</exception>
    public Resampler(int inputRate, int outputRate)
        : this(inputRate, outputRate, ResamplerPath.Auto)
    {
    }

    internal Resampler(int inputRate, int outputRate, ResamplerPath path)
    {
        CheckRate(inputRate, nameof(inputRate));
        CheckRate(outputRate, nameof(outputRate));
        InputRate = inputRate;
        OutputRate = outputRate;
        int gcd = Gcd(inputRate, outputRate);
        _filter = new ResamplerFilter(outputRate / gcd, inputRate / gcd);
        _buffer = new float[_filter.TapsPerPhase - 1 + BlockInput];
        _phaseOut = _filter.Down == 1 ? new float[BlockInput] : [];
        _path = path == ResamplerPath.Auto
            ? Vector256.IsHardwareAccelerated ? ResamplerPath.Vector256
            : Vector128.IsHardwareAccelerated ? ResamplerPath.Vector128
            : ResamplerPath.Scalar
            : path;
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Group delay of the filter in output samples (rounded down); 0 when the rates are equal.</summary>
    public int DelaySamples => InputRate == OutputRate
        ? 0
        : (int)((long)(_filter.Coefficients.Length - 1) / 2 * OutputRate / ((long)InputRate * _filter.Up));

    /// <summary>Clears the history, as at the start of a stream.</summary>
    public void Reset()
    {
        Array.Clear(_buffer);
        _time = 0;
    }

    /// <summary>The number of samples the next <see cref="Process"/> call writes for <paramref name="inputLength"/> input samples.</summary>
    /// <param name="inputLength">Input samples of the next call.</param>
    /// <returns>Output samples; exactly inputLength * OutputRate / InputRate for whole 1 ms frames.</returns>
    public int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        if (InputRate == OutputRate)
        {
            return inputLength;
        }

        long end = (long)inputLength * _filter.Up;
        return end <= _time ? 0 : (int)((end - _time + _filter.Down - 1) / _filter.Down);
    }

    /// <summary>Resamples one block; the filter state carries over to the next call.</summary>
    /// <param name="input">Samples at <see cref="InputRate"/>.</param>
    /// <param name="output">Receives <see cref="GetOutputLength"/>(input.Length) samples.</param>
    /// <returns>The number of samples written.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too short; nothing is consumed.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int needed = GetOutputLength(input.Length);
        if (output.Length < needed)
        {
            throw new ArgumentException($"The output buffer holds {output.Length} samples; {needed} are needed.", nameof(output));
        }

        if (InputRate == OutputRate)
        {
            input.CopyTo(output);
            return input.Length;
        }

        int history = _filter.TapsPerPhase - 1;
        int written = 0;
        for (int done = 0; done < input.Length; done += BlockInput)
        {
            int m = Math.Min(BlockInput, input.Length - done);
            ReadOnlySpan<short> block = input.Slice(done, m);
            Span<float> fresh = _buffer.AsSpan(history, m);
            for (int i = 0; i < m; i++)
            {
                fresh[i] = block[i];
            }

            written += _filter.Down == 1 && _path != ResamplerPath.Scalar
                ? InterpolateVector(m, output[written..])
                : Filter(m, output[written..]);

            // Keep the newest TapsPerPhase - 1 samples as the next block's history.
            _buffer.AsSpan(m, history).CopyTo(_buffer);
        }

        return written;
    }

    /// <summary>Produces every output whose newest input lies in the current block of <paramref name="m"/> samples.</summary>
    private int Filter(int m, Span<short> output)
    {
        int up = _filter.Up;
        int down = _filter.Down;
        int taps = _filter.TapsPerPhase;
        ReadOnlySpan<float> coefficients = _filter.Coefficients;
        ReadOnlySpan<float> buffer = _buffer;
        int end = m * up;
        int n = 0;
        int t = _time;
        for (; t < end; t += down)
        {
            int newest = t / up;            // newest input sample in the window (block coordinates)
            int phase = t - (newest * up);
            ReadOnlySpan<float> window = buffer.Slice(newest, taps); // buffer index newest + taps - 1 is input 'newest'
            ReadOnlySpan<float> branch = coefficients.Slice(phase * taps, taps);
            float y = _path switch
            {
                ResamplerPath.Vector256 => DotVector256(window, branch),
                ResamplerPath.Vector128 => DotVector128(window, branch),
                _ => DotScalar(window, branch),
            };
            output[n++] = (short)Math.Clamp(MathF.Round(y), short.MinValue, short.MaxValue);
        }

        _time = t - end;
        return n;
    }

    private static void CheckRate(int rate, string name)
    {
        if (rate is not (8000 or 16000 or 48000))
        {
            throw new ArgumentOutOfRangeException(name, rate, "Supported rates are 8000, 16000 and 48000 Hz.");
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
