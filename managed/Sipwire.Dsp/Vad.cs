// Voice activity detector for 10 ms frames: energy against an adaptive noise floor, with hangover.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// Frame-level voice activity detector (for DTX with RFC 3389 comfort noise, and for the echo
/// canceller's companions). A frame is active when its energy is 9 dB above the tracked noise
/// floor (onset), stays active while it is 4 dB above (hysteresis), and the decision holds for a
/// hangover of 200 ms after the last active frame so word endings are not clipped. The noise floor
/// follows quieter frames at once and rises 2 dB per second on frames judged as noise; after 5 s of
/// uninterrupted "voice" (no talker goes that long without a pause) it rises 10 dB per second, so a
/// step up in background noise is learned within a few seconds.
/// </summary>
/// <remarks>
/// The frame energy is an exact integer sum of squares on every path (scalar, Vector128), so
/// the decisions are the same on every CPU and in <c>native/src/vad.c</c>. Allocation-free; not
/// thread safe.
/// </remarks>
public sealed class Vad
{
    private const double OnsetDb = 9;
    private const double HoldDb = 4;
    private const double RiseDbPerSecond = 2;
    private const int LongActiveFrames = 500;
    private const double HangoverMs = 200;
    private const double MinimumDbov = -75;
    private readonly int _frame;
    private readonly bool _vectorized;
    private readonly int _hangoverFrames;
    private double _floorDb;
    private int _hangover;
    private int _loudRun;
    private bool _active;
    private bool _started;

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
        _vectorized = vectorized;
        _hangoverFrames = (int)(HangoverMs / 10);
    }

    /// <summary>Samples per frame.</summary>
    public int FrameSize => _frame;

    /// <summary>Tracked noise floor in dBov (mean square against a full-scale square wave).</summary>
    public double NoiseFloorDbov => _floorDb;

    /// <summary>Classifies one frame.</summary>
    /// <param name="frame">Exactly <see cref="FrameSize"/> samples.</param>
    /// <returns>True when the frame is (or is held as) voice.</returns>
    public bool Process(ReadOnlySpan<short> frame)
    {
        if (frame.Length != _frame)
        {
            throw new ArgumentException($"A frame is exactly {_frame} samples (10 ms).", nameof(frame));
        }
        long energy = _vectorized ? EnergyVector(frame) : EnergyScalar(frame);
        double db = 10 * Math.Log10(((double)energy / _frame / (32768.0 * 32768.0)) + 1e-12);
        if (db < MinimumDbov)
        {
            db = MinimumDbov;
        }
        if (!_started)
        {
            _floorDb = db;
            _started = true;
        }
        bool loud = db > _floorDb + (_active ? HoldDb : OnsetDb);
        if (db < _floorDb)
        {
            _floorDb = db;
        }
        else if (!loud)
        {
            // Only frames judged as noise pull the floor up.
            _floorDb += RiseDbPerSecond / 100;
        }
        _loudRun = loud ? _loudRun + 1 : 0;
        if (_loudRun > LongActiveFrames)
        {
            _floorDb += 0.1;
        }
        if (loud)
        {
            _active = true;
            _hangover = _hangoverFrames;
        }
        else if (_hangover > 0)
        {
            _hangover--;
        }
        else
        {
            _active = false;
        }
        return _active;
    }

    internal static long EnergyScalar(ReadOnlySpan<short> x)
    {
        long sum = 0;
        foreach (short v in x)
        {
            sum += v * v;
        }
        return sum;
    }

    internal static long EnergyVector(ReadOnlySpan<short> x)
    {
        int i = 0;
        long sum = 0;
        ref short p = ref MemoryMarshal.GetReference(x);
        Vector128<long> acc = Vector128<long>.Zero;
        for (; i <= x.Length - Vector128<short>.Count; i += Vector128<short>.Count)
        {
            (Vector128<int> lo, Vector128<int> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)i));
            // Each square is at most 2^30, and the pair sums fit in 2^31: widen to long to add.
            (Vector128<long> a, Vector128<long> b) = Vector128.Widen(lo * lo);
            (Vector128<long> c, Vector128<long> d) = Vector128.Widen(hi * hi);
            acc += (a + b) + (c + d);
        }
        sum += Vector128.Sum(acc);
        for (; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }
        return sum;
    }
}
