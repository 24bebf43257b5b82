// RFC 3389 comfort noise decoder and generator: all-pole filtered noise at the signalled level.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Turns RFC 3389 CN payloads (SID frames) into comfort noise: white noise through the all-pole
/// filter given by the reflection coefficients, scaled so the output has the signalled level.
/// Level and spectrum glide towards each new payload (half the way per generated frame) so
/// updates do not click. Allocation-free per call; not thread safe.
/// </summary>
public sealed class ComfortNoiseDecoder
{
    /// <summary>Highest model order accepted; higher coefficients are ignored (RFC 3389 §3: the decoder may reduce the order).</summary>
    public const int MaxOrder = 12;

    private readonly double[] _targetK = new double[MaxOrder + 1];
    private readonly double[] _k = new double[MaxOrder + 1];
    private readonly double[] _a = new double[MaxOrder + 1];
    private readonly double[] _tmp = new double[MaxOrder + 1];
    private readonly double[] _history = new double[MaxOrder];
    private double _targetPower;
    private double _power;
    private int _order;
    private bool _haveTarget;
    private bool _started;
    private uint _seed = 0x2545F491u;

    /// <summary>Level of the last payload in dBov (0 or below), or null before the first.</summary>
    public int? LevelDbov { get; private set; }

    /// <summary>Model order of the last payload.</summary>
    public int Order => _order;

    /// <summary>Takes a CN payload.</summary>
    /// <param name="payload">1 + M bytes (RFC 3389 §3).</param>
    /// <param name="error">Why it was rejected.</param>
    /// <returns>False (nothing changed) for an empty payload or a level byte with its MSB set.</returns>
    public bool TryDecode(ReadOnlySpan<byte> payload, out string? error)
    {
        if (payload.IsEmpty)
        {
            error = "empty CN payload (RFC 3389 §3: the noise level byte is mandatory)";
            return false;
        }
        if ((payload[0] & 0x80) != 0)
        {
            error = "CN noise level byte has its most significant bit set (RFC 3389 §3.1)";
            return false;
        }
        int level = payload[0];
        LevelDbov = -level;
        _targetPower = ComfortNoiseEncoder.ZeroDbovPower * Math.Pow(10, -level / 10.0);
        _order = Math.Min(payload.Length - 1, MaxOrder);
        Array.Clear(_targetK);
        for (int i = 1; i <= _order; i++)
        {
            _targetK[i] = (payload[i] - 127) / 128.0;
        }
        _haveTarget = true;
        error = null;
        return true;
    }

    /// <summary>Fills <paramref name="output"/> with comfort noise (silence before the first payload).</summary>
    /// <param name="output">Samples to write.</param>
    public void Generate(Span<short> output)
    {
        if (!_haveTarget)
        {
            output.Clear();
            return;
        }
        if (!_started)
        {
            _power = _targetPower;
            Array.Copy(_targetK, _k, _k.Length);
            _started = true;
        }
        else
        {
            _power = (0.5 * _power) + (0.5 * _targetPower);
            for (int i = 1; i <= MaxOrder; i++)
            {
                _k[i] = (0.5 * _k[i]) + (0.5 * _targetK[i]);
            }
        }
        // Step-up recursion to direct-form A(z); the excitation power is the target power times
        // the prediction gain prod(1 - k^2), so the filtered output has the target power.
        Array.Clear(_a);
        _a[0] = 1;
        double gain = 1;
        for (int i = 1; i <= _order; i++)
        {
            double ki = Math.Clamp(_k[i], -0.999, 0.999);
            Array.Copy(_a, _tmp, i);
            for (int j = 1; j < i; j++)
            {
                _a[j] = _tmp[j] + (ki * _tmp[i - j]);
            }
            _a[i] = ki;
            gain *= 1 - (ki * ki);
        }
        // Uniform(-1, 1) has variance 1/3.
        double scale = Math.Sqrt(3 * _power * gain);
        for (int n = 0; n < output.Length; n++)
        {
            _seed = (_seed * 1664525u) + 1013904223u;
            double e = (((double)(_seed >> 8) / 8388608.0) - 1.0) * scale;
            double y = e;
            for (int j = 1; j <= _order; j++)
            {
                y -= _a[j] * _history[j - 1];
            }
            for (int j = _order - 1; j > 0; j--)
            {
                _history[j] = _history[j - 1];
            }
            if (_order > 0)
            {
                _history[0] = y;
            }
            double r = Math.Round(y);
            output[n] = r > 32767 ? (short)32767 : r < -32768 ? (short)-32768 : (short)r;
        }
    }
}
