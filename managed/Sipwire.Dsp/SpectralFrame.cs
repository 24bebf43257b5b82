// Short-time spectrum of 10 ms frames: sqrt-Hann over the last two frames, zero-padded FFT (VAD and noise suppressor).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// The analysis the VAD and the noise suppressor share: each 10 ms frame and the one before it,
/// under a periodic sqrt-Hann window of two frames (whose squares overlap-add to 1, so the same
/// window synthesises), zero-padded to the FFT size. Same operations, in the same order, as the
/// C twin in native/src/spectral_frame.c.
/// </summary>
internal sealed class SpectralFrame
{
    private readonly float[] _prev;

    public SpectralFrame(int frame, int fftSize, bool vectorized)
    {
        Frame = frame;
        FftSize = fftSize;
        Fft = new Fft(fftSize, vectorized);
        Window = new float[2 * frame];
        for (int i = 0; i < Window.Length; i++)
        {
            Window[i] = (float)Math.Sqrt(0.5 - (0.5 * Math.Cos(2.0 * Math.PI * i / Window.Length)));
        }
        _prev = new float[frame];
        Time = new float[fftSize];
        Re = new float[(fftSize / 2) + 1];
        Im = new float[(fftSize / 2) + 1];
    }

    /// <summary>Samples per frame.</summary>
    public int Frame { get; }

    /// <summary>FFT length.</summary>
    public int FftSize { get; }

    /// <summary>The FFT (also for synthesis).</summary>
    public Fft Fft { get; }

    /// <summary>The analysis (and synthesis) window, two frames long.</summary>
    public float[] Window { get; }

    /// <summary>Time-domain work buffer of <see cref="FftSize"/> samples.</summary>
    public float[] Time { get; }

    /// <summary>Real parts of the last frame's spectrum, bins 0..FftSize/2.</summary>
    public float[] Re { get; }

    /// <summary>Imaginary parts of the last frame's spectrum.</summary>
    public float[] Im { get; }

    /// <summary>Windows [previous frame, <paramref name="frame"/>] and transforms it into <see cref="Re"/>/<see cref="Im"/>.</summary>
    public void Analyze(ReadOnlySpan<short> frame)
    {
        int n = Frame;
        float[] time = Time;
        for (int i = 0; i < n; i++)
        {
            time[i] = Window[i] * _prev[i];
            float x = frame[i];
            time[n + i] = Window[n + i] * x;
            _prev[i] = x;
        }
        Array.Clear(time, 2 * n, FftSize - (2 * n));
        Fft.Forward(time, Re, Im);
    }
}
