// RFC 3389 comfort noise (SID) encoder: noise level in -dBov plus quantized reflection coefficients.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// Describes a frame of background noise as an RFC 3389 CN payload: byte 0 is the level in -dBov
/// (§3.1), bytes 1..M the reflection coefficients of an all-pole model of order M (§3.2), from the
/// autocorrelation of the frame (Hann window, 40 dB white-noise correction) and Levinson-Durbin.
/// </summary>
/// <remarks>
/// Levels are measured against the 0 dBov mean square 1081109975 used by the G.711 Appendix II
/// reference and the common implementations. A reflection coefficient k (|k| &lt; 1, the sign
/// convention of A(z) = 1 + sum a_j z^-j with a_i = k_i at step i) is sent as
/// N = clamp(round(128 k) + 127, 0, 255); the decoder reads k = (N - 127) / 128. Allocation-free
/// per call; not thread safe. <c>native/src/cng.c</c> implements the same.
/// </remarks>
public sealed class ComfortNoiseEncoder
{
    /// <summary>Mean square of a 0 dBov signal (RFC 3389 §3.1 overload point, G.711 App. II value).</summary>
    public const double ZeroDbovPower = 1081109975.0;

    private readonly int _order;
    private readonly double[] _r;
    private readonly double[] _a;
    private readonly double[] _tmp;
    private readonly double[] _k;

    /// <summary>Creates an encoder with model order <paramref name="order"/> (0..12; 0 = level only).</summary>
    /// <param name="order">Number of reflection coefficients per payload.</param>
    public ComfortNoiseEncoder(int order = 10)
    {
        if (order < 0 || order > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Model order must be 0..12.");
        }
        _order = order;
        _r = new double[order + 1];
        _a = new double[order + 1];
        _tmp = new double[order + 1];
        _k = new double[order + 1];
    }

    /// <summary>Payload length: 1 + order.</summary>
    public int PayloadLength => 1 + _order;

    /// <summary>Encodes one frame of noise.</summary>
    /// <param name="frame">PCM samples (at least order + 1).</param>
    /// <param name="payload">Receives <see cref="PayloadLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
    {
        if (frame.Length <= _order)
        {
            throw new ArgumentException($"A frame needs more than {_order} samples.", nameof(frame));
        }
        if (payload.Length < PayloadLength)
        {
            throw new ArgumentException($"The payload needs {PayloadLength} bytes.", nameof(payload));
        }
        double energy = 0;
        foreach (short s in frame)
        {
            energy += (double)s * s;
        }
        energy /= frame.Length;
        // RFC 3389 §3.1: 0..127 = 0..-127 dBov; the most significant bit stays 0.
        int level = energy > 0 ? (int)Math.Clamp(Math.Ceiling(-10 * Math.Log10(energy / ZeroDbovPower)), 0, 127) : 127;
        payload[0] = (byte)level;
        if (_order == 0)
        {
            return 1;
        }
        int n = frame.Length;
        for (int lag = 0; lag <= _order; lag++)
        {
            double sum = 0;
            for (int i = lag; i < n; i++)
            {
                sum += Window(i, n) * frame[i] * Window(i - lag, n) * frame[i - lag];
            }
            _r[lag] = sum;
        }
        // White-noise correction (+40 dB floor) keeps the model stable on near-tonal input.
        _r[0] = (_r[0] * 1.0001) + 1e-9;
        Reflection(_r, _a, _tmp, _k, _order);
        for (int i = 1; i <= _order; i++)
        {
            // RFC 3389 §3.2: one byte per coefficient, in ascending order.
            payload[i] = (byte)Math.Clamp((int)Math.Round(_k[i] * 128) + 127, 0, 255);
        }
        return PayloadLength;
    }

    private static double Window(int i, int n) => 0.5 - (0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n));

    // Levinson-Durbin: k[i] for A(z) = 1 + sum a_j z^-j.
    internal static void Reflection(double[] r, double[] a, double[] tmp, double[] k, int order)
    {
        Array.Clear(a);
        a[0] = 1;
        double error = r[0];
        for (int i = 1; i <= order; i++)
        {
            double acc = r[i];
            for (int j = 1; j < i; j++)
            {
                acc += a[j] * r[i - j];
            }
            double ki = error > 0 ? -acc / error : 0;
            ki = Math.Clamp(ki, -0.999, 0.999);
            k[i] = ki;
            Array.Copy(a, tmp, i);
            for (int j = 1; j < i; j++)
            {
                a[j] = tmp[j] + (ki * tmp[i - j]);
            }
            a[i] = ki;
            error *= 1 - (ki * ki);
        }
    }
}
