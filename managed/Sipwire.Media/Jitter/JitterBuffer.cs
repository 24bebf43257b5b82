// Adaptive jitter buffer: playout delay follows the measured delay spread, bounded, skew-tolerant, with injected time.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Jitter;

/// <summary>
/// Reorders arriving frames by RTP timestamp and releases one per playout period.
/// <para>
/// Delay model: each arrival gives its transit (arrival time minus media time). The base is the
/// minimum transit over the last <see cref="JitterBufferOptions.WindowPackets"/> arrivals; the
/// target delay is the <see cref="JitterBufferOptions.LateQuantile"/> quantile of (transit - base)
/// plus half a frame, clamped to [min, max]. A frame with timestamp ts is due at
/// media_time(ts) + base + target. Because the base is a sliding minimum, a sender clock that runs
/// fast or slow shows up as a drifting base, and the buffer follows it by dropping one frame
/// (shrink, at most every <see cref="JitterBufferOptions.ShrinkIntervalUs"/>) or stretching one
/// (grow, at most every <see cref="JitterBufferOptions.GrowIntervalUs"/>).
/// </para>
/// Memory is allocated once in the constructor; Put and Get allocate nothing. Not thread-safe.
/// </summary>
public sealed class JitterBuffer
{
    private const double MaxSkew = 0.05;
    private const int TargetUpdatePeriods = 5;

    private readonly JitterBufferOptions _options;
    private readonly int _frame;
    private readonly int _capacity;
    private readonly int _maxPayload;
    private readonly long _frameUs;
    private readonly byte[] _data;
    private readonly int[] _length;
    private readonly long[] _slotTs;
    private readonly ushort[] _slotSeq;
    private readonly bool[] _slotMarker;
    private readonly long[] _transit;
    private readonly long[] _arrival;
    private readonly long[] _scratch;
    private int _transitCount;
    private int _transitPos;
    private bool _haveAnchor;
    private bool _playing;
    private long _anchor;
    private long _lastExtTs;
    private long _newestTs;
    private long _playTs;
    private long _baseTransitUs;
    private long _targetDelayUs;
    private int _getsSinceUpdate;
    private long _lastShrinkUs = long.MinValue / 2;
    private long _lastGrowUs = long.MinValue / 2;

    /// <summary>Creates a buffer; all memory is allocated here.</summary>
    public JitterBuffer(JitterBufferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _frame = options.FrameSamples;
        _capacity = options.Capacity;
        _maxPayload = options.MaxPayloadBytes;
        _frameUs = (long)_frame * 1_000_000 / options.ClockRate;
        _data = new byte[_capacity * _maxPayload];
        _length = new int[_capacity];
        _slotTs = new long[_capacity];
        _slotSeq = new ushort[_capacity];
        _slotMarker = new bool[_capacity];
        _transit = new long[options.WindowPackets];
        _arrival = new long[options.WindowPackets];
        _scratch = new long[options.WindowPackets];
        _targetDelayUs = Math.Clamp(options.InitialDelayUs, options.MinDelayUs, options.MaxDelayUs);
        _length.AsSpan().Fill(-1);
    }

    /// <summary>The current target playout delay (what the buffer steers to).</summary>
    public long TargetDelayUs => _targetDelayUs;

    /// <summary>Frames currently held.</summary>
    public int BufferedFrames
    {
        get
        {
            int n = 0;
            foreach (int l in _length)
            {
                n += l >= 0 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>Packets stored.</summary>
    public long Accepted { get; private set; }

    /// <summary>Packets that arrived after their playout time.</summary>
    public long Late { get; private set; }

    /// <summary>Duplicate packets dropped.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Playout periods with a missing frame (concealed).</summary>
    public long MissingFrames { get; private set; }

    /// <summary>Playout periods without any newer data (underruns).</summary>
    public long Underruns { get; private set; }

    /// <summary>Frames inserted to grow the delay.</summary>
    public long Expansions { get; private set; }

    /// <summary>Frames dropped to shrink the delay.</summary>
    public long Shrinks { get; private set; }

    /// <summary>Restarts caused by a timestamp jump beyond the buffer.</summary>
    public long Restarts { get; private set; }

    /// <summary>
    /// Stores a frame that arrived at <paramref name="arrivalUs"/>. The payload is copied.
    /// </summary>
    public JitterBufferPutResult Put(ReadOnlySpan<byte> payload, uint timestamp, ushort sequenceNumber, bool marker, long arrivalUs)
    {
        if (payload.Length > _maxPayload)
        {
            return JitterBufferPutResult.TooLarge;
        }

        long ext;
        if (!_haveAnchor)
        {
            ext = timestamp;
            StartAt(ext);
        }
        else
        {
            // Unwrap the 32-bit timestamp around the newest seen.
            ext = _lastExtTs + (int)(timestamp - (uint)_lastExtTs);
        }

        RecordTransit(arrivalUs - MediaTimeUs(ext), arrivalUs);
        JitterBufferPutResult result = JitterBufferPutResult.Accepted;

        if (ext < _playTs)
        {
            if (_playing)
            {
                Late++;
                return JitterBufferPutResult.Late;
            }

            // Before playout starts, an earlier (reordered) first frame moves the start back.
            if (_playTs - ext < (long)(_capacity - 2) * _frame)
            {
                _playTs = Align(ext);
            }
        }

        if (ext - _playTs >= (long)(_capacity - 1) * _frame)
        {
            // Far beyond what the buffer can hold: the source jumped (restart); follow it.
            Restarts++;
            Clear();
            StartAt(ext);
            result = JitterBufferPutResult.Restarted;
        }

        if (ext > _lastExtTs)
        {
            _lastExtTs = ext;
        }

        int slot = SlotOf(ext);
        if (_length[slot] >= 0 && _slotTs[slot] == ext)
        {
            Duplicates++;
            return JitterBufferPutResult.Duplicate;
        }

        payload.CopyTo(_data.AsSpan(slot * _maxPayload, _maxPayload));
        _length[slot] = payload.Length;
        _slotTs[slot] = ext;
        _slotSeq[slot] = sequenceNumber;
        _slotMarker[slot] = marker;
        if (ext > _newestTs)
        {
            _newestTs = ext;
        }

        Accepted++;
        return result;
    }

    /// <summary>
    /// Produces the next playout period at <paramref name="nowUs"/> (call once per frame
    /// duration, from the audio clock). A received frame is copied to <paramref name="destination"/>.
    /// </summary>
    public JitterBufferFrame Get(long nowUs, Span<byte> destination)
    {
        if (!_haveAnchor)
        {
            return new JitterBufferFrame(JitterBufferStatus.Buffering, 0, 0, 0, false);
        }

        // The delay statistics move slowly: refresh them every few periods, and right away while
        // the window is still filling (allocation-free either way).
        if (_getsSinceUpdate++ >= TargetUpdatePeriods || _transitCount < _transit.Length)
        {
            _getsSinceUpdate = 0;
            UpdateTarget(nowUs);
        }

        long desired = (nowUs - _baseTransitUs - _targetDelayUs) * _options.ClockRate / 1_000_000;
        if (!_playing)
        {
            if (desired < _playTs)
            {
                return new JitterBufferFrame(JitterBufferStatus.Buffering, 0, (uint)_playTs, 0, false);
            }

            _playing = true;
        }

        long delta = desired - _playTs;
        if (delta < -(_frame / 2) && nowUs - _lastGrowUs >= _options.GrowIntervalUs)
        {
            // Playing ahead of the target (delay too short, or a sender clock slower than ours):
            // hold the playout point for one period.
            _lastGrowUs = nowUs;
            Expansions++;
            return new JitterBufferFrame(JitterBufferStatus.Expand, 0, (uint)_playTs, 0, false);
        }

        if (_newestTs < _playTs)
        {
            // Nothing at or after the playout point: follow the desired point, so the next
            // talkspurt starts at the target delay (adaptation between talkspurts).
            Underruns++;
            uint ts = (uint)_playTs;
            _playTs = Math.Max(Align(desired), _newestTs + _frame) + _frame;
            return new JitterBufferFrame(JitterBufferStatus.Underrun, 0, ts, 0, false);
        }

        long maxLag = _options.MaxDelayUs * _options.ClockRate / 1_000_000;
        if (delta >= _frame + (_frame / 2) && (nowUs - _lastShrinkUs >= _options.ShrinkIntervalUs || delta >= maxLag))
        {
            // Playing behind the target by more than a frame: drop one frame.
            _lastShrinkUs = nowUs;
            Shrinks++;
            int dropSlot = SlotOf(_playTs);
            if (_length[dropSlot] >= 0 && _slotTs[dropSlot] == _playTs)
            {
                _length[dropSlot] = -1;
            }

            _playTs += _frame;
        }

        int slot = SlotOf(_playTs);
        long playTs = _playTs;
        _playTs += _frame;
        if (_length[slot] >= 0 && _slotTs[slot] == playTs)
        {
            int length = _length[slot];
            if (destination.Length < length)
            {
                throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame has {length}.", nameof(destination));
            }

            _data.AsSpan(slot * _maxPayload, length).CopyTo(destination);
            _length[slot] = -1;
            return new JitterBufferFrame(JitterBufferStatus.Frame, length, (uint)playTs, _slotSeq[slot], _slotMarker[slot]);
        }

        MissingFrames++;
        return new JitterBufferFrame(JitterBufferStatus.Missing, 0, (uint)playTs, 0, false);
    }

    /// <summary>
    /// Copies the buffered frame with RTP timestamp <paramref name="timestamp"/> without removing
    /// it (the packet after a loss carries Opus in-band FEC for it, RFC 6716 §2.1.7). Returns its
    /// length, or -1 when it is not buffered or does not fit <paramref name="destination"/>.
    /// </summary>
    public int Peek(uint timestamp, Span<byte> destination)
    {
        if (!_haveAnchor)
        {
            return -1;
        }

        long ext = _lastExtTs + (int)(timestamp - (uint)_lastExtTs);
        int slot = SlotOf(ext);
        int length = _length[slot];
        if (length < 0 || _slotTs[slot] != ext || destination.Length < length)
        {
            return -1;
        }

        _data.AsSpan(slot * _maxPayload, length).CopyTo(destination);
        return length;
    }

    /// <summary>Drops everything (e.g. on an SSRC change or RTP restart); delay statistics are kept.</summary>
    public void Reset()
    {
        Clear();
        _haveAnchor = false;
    }

    private void StartAt(long ext)
    {
        _haveAnchor = true;
        _playing = false;
        _anchor = ext;
        _lastExtTs = ext;
        _newestTs = ext - _frame;
        _playTs = ext;
    }

    private void Clear()
    {
        _length.AsSpan().Fill(-1);
        _playing = false;
    }

    private long MediaTimeUs(long ext) => ext * 1_000_000 / _options.ClockRate;

    private long Align(long ts) => _anchor + (long)Math.Floor((double)(ts - _anchor) / _frame) * _frame;

    private int SlotOf(long ext)
    {
        long index = (long)Math.Floor((double)(ext - _anchor) / _frame);
        int slot = (int)(index % _capacity);
        return slot < 0 ? slot + _capacity : slot;
    }

    private void RecordTransit(long transitUs, long arrivalUs)
    {
        _transit[_transitPos] = transitUs;
        _arrival[_transitPos] = arrivalUs;
        _transitPos = (_transitPos + 1) % _transit.Length;
        if (_transitCount < _transit.Length)
        {
            _transitCount++;
        }
    }

    private void UpdateTarget(long nowUs)
    {
        int n = _transitCount;
        if (n == 0)
        {
            return;
        }

        // Clock skew makes transit drift linearly with time (a sender clock slower than ours makes
        // it grow). Fit the drift by least squares over the window and project every sample to
        // "now", so the base and the spread measure jitter, not accumulated skew.
        double slope = 0;
        if (n >= 8)
        {
            double meanT = 0;
            double meanY = 0;
            for (int i = 0; i < n; i++)
            {
                meanT += _arrival[i] - nowUs;
                meanY += _transit[i];
            }

            meanT /= n;
            meanY /= n;
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++)
            {
                double dt = _arrival[i] - nowUs - meanT;
                sxy += dt * (_transit[i] - meanY);
                sxx += dt * dt;
            }

            // Beyond +/-5 % it is not a crystal's drift; do not extrapolate it.
            slope = sxx > 0 ? Math.Clamp(sxy / sxx, -MaxSkew, MaxSkew) : 0;
        }

        Span<long> window = _scratch.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            window[i] = _transit[i] - (long)(slope * (_arrival[i] - nowUs));
        }

        window.Sort();
        _baseTransitUs = window[0];
        if (n < 8)
        {
            return;
        }

        int q = Math.Min(n - 1, (int)Math.Ceiling(_options.LateQuantile * n) - 1);
        long spread = window[q] - _baseTransitUs;
        _targetDelayUs = Math.Clamp(spread + (_frameUs / 2), _options.MinDelayUs, _options.MaxDelayUs);
    }
}
