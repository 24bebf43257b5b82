// Acoustic echo canceller for 8/16 kHz PCM16: 10 ms frame API, framing and state.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Acoustic echo canceller: a partitioned-block frequency-domain adaptive filter (MDF, Soo and
/// Pang 1990) with two paths (an adapting background filter and a foreground filter that is
/// replaced only when the background is provably better, so double talk cannot make the output
/// diverge), a learning rate set per bin from the estimated residual-echo-to-error ratio (Valin,
/// IEEE TASLP 15(3), 2007), a bulk delay estimator, a residual echo suppressor and comfort noise.
/// </summary>
/// <remarks>
/// <para>Frames are 10 ms (80 samples at 8 kHz, 160 at 16 kHz). Internally the filter runs on
/// blocks of B = 64 / 128 samples with FFTs of 2B; the output lags the microphone by
/// <see cref="Latency"/> = 2B samples (16 ms): B for block framing and B for the suppressor's
/// overlap-add.</para>
/// <para>Far end: the signal sent to the loudspeaker (on a call, the decoded received audio), fed
/// in the same frame as the microphone frame captured at that time. Allocation-free per frame;
/// one instance per call, used by one thread at a time. <c>native/src/aec.c</c> implements the same
/// algorithm in C99.</para>
/// </remarks>
public sealed partial class EchoCanceller
{
    private readonly int _rate;
    private readonly int _frame;
    private readonly int _block;       // B
    private readonly int _fftSize;     // K = 2B
    private readonly int _bins;        // F = B + 1
    private readonly int _partitions;  // P
    private readonly bool _vectorized;
    private readonly bool _suppression;
    private readonly bool _comfortNoise;
    private readonly Fft _fft;

    // Framing FIFOs (float PCM units).
    private readonly float[] _micIn;
    private readonly float[] _farIn;
    private int _inFill;
    private readonly float[] _outFifo;
    private int _outFill;

    /// <summary>Creates a canceller with default options at <paramref name="sampleRate"/>.</summary>
    /// <param name="sampleRate">8000 or 16000.</param>
    /// <param name="tailMs">Echo tail in ms (16..500).</param>
    public EchoCanceller(int sampleRate, int tailMs = 128)
        : this(new EchoCancellerOptions { SampleRate = sampleRate, TailMs = tailMs })
    {
    }

    /// <summary>Creates a canceller.</summary>
    /// <param name="options">Rate, tail and stages.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public EchoCanceller(EchoCancellerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SampleRate != 8000 && options.SampleRate != 16000)
        {
            throw new ArgumentException($"Sample rate must be 8000 or 16000 Hz, not {options.SampleRate}.", nameof(options));
        }
        if (options.TailMs < 16 || options.TailMs > 500)
        {
            throw new ArgumentException($"Tail must be 16..500 ms, not {options.TailMs}.", nameof(options));
        }
        if (options.MaxDelayMs < 0 || options.MaxDelayMs > 500)
        {
            throw new ArgumentException($"Maximum delay must be 0..500 ms, not {options.MaxDelayMs}.", nameof(options));
        }
        _rate = options.SampleRate;
        _frame = _rate / 100;
        _block = _rate == 8000 ? 64 : 128;
        _fftSize = 2 * _block;
        _bins = _block + 1;
        int tailSamples = options.TailMs * _rate / 1000;
        _partitions = (tailSamples + _block - 1) / _block;
        _vectorized = options.Vectorized;
        _suppression = options.Suppression;
        _comfortNoise = options.ComfortNoise;
        _fft = new Fft(_fftSize, _vectorized);
        _micIn = new float[_block];
        _farIn = new float[_block];
        _outFifo = new float[_frame + (2 * _block)];
        _outFill = _block;
        int blocksPerSecond = _rate / _block;
        _maxDelayBlocks = options.MaxDelayMs * _rate / 1000 / _block;
        if (_maxDelayBlocks > 0)
        {
            _delayEstimator = new DelayEstimator(_bins, _maxDelayBlocks + 1, blocksPerSecond);
        }
        AllocateState();
        Reset();
    }

    /// <summary>Samples per 10 ms frame (80 or 160).</summary>
    public int FrameSize => _frame;

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate => _rate;

    /// <summary>Delay of the output behind the microphone input, in samples (2B).</summary>
    public int Latency => 2 * _block;

    /// <summary>Taps of the linear filter (partitions x block).</summary>
    public int FilterLength => _partitions * _block;

    /// <summary>Bulk delay currently applied to the far end, in samples.</summary>
    public int AppliedDelay => _delayBlocks * _block;

    /// <summary>Current estimate of the linear filter's leakage (residual echo / echo estimate power).</summary>
    public float Leakage => _leak;

    /// <summary>Processes one 10 ms frame.</summary>
    /// <param name="mic">Microphone samples (near end plus echo), <see cref="FrameSize"/> long.</param>
    /// <param name="far">Far-end samples played at the same time, <see cref="FrameSize"/> long.</param>
    /// <param name="output">Receives the echo-cancelled frame (may alias <paramref name="mic"/>).</param>
    /// <exception cref="ArgumentException">A span is not <see cref="FrameSize"/> long.</exception>
    public void Process(ReadOnlySpan<short> mic, ReadOnlySpan<short> far, Span<short> output)
    {
        if (mic.Length != _frame || far.Length != _frame || output.Length != _frame)
        {
            throw new ArgumentException($"Every frame must hold exactly {_frame} samples (10 ms at {_rate} Hz).");
        }
        int consumed = 0;
        while (consumed < _frame)
        {
            int take = Math.Min(_block - _inFill, _frame - consumed);
            for (int i = 0; i < take; i++)
            {
                _micIn[_inFill + i] = mic[consumed + i];
                _farIn[_inFill + i] = far[consumed + i];
            }
            _inFill += take;
            consumed += take;
            if (_inFill == _block)
            {
                ProcessBlock(_micIn, _farIn, _outFifo, _outFill);
                _outFill += _block;
                _inFill = 0;
            }
        }
        for (int i = 0; i < _frame; i++)
        {
            float v = MathF.Round(_outFifo[i]);
            output[i] = v > 32767f ? (short)32767 : v < -32768f ? (short)-32768 : (short)v;
        }
        Array.Copy(_outFifo, _frame, _outFifo, 0, _outFill - _frame);
        _outFill -= _frame;
    }

    /// <summary>Forgets everything learned (filter, estimates, delay); the framing is kept.</summary>
    public void Reset()
    {
        ResetState();
    }
}
