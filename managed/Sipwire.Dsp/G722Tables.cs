// Constant tables of ITU-T G.722 (QMF coefficients, quantiser levels, scale-factor tables).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>G.722 tables; the section and table numbers are those of ITU-T G.722 (09/2012).</summary>
internal static class G722Tables
{
    // Arrays behind the spans: a ReadOnlySpan<short/int> property over a collection literal is
    // allocation-free only when optimized; unoptimized (Debug) code allocates it on every read,
    // which broke the media session's zero-allocation check in the test build.
    private static readonly int[] s_qmfForward = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];
    private static readonly int[] s_qmfReverse = [-11, 53, -156, 362, -805, 3876, 951, -210, 32, 12, -11, 3];
    private static readonly short[] s_q6 = [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650,
        714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    ];
    private static readonly short[] s_qm4 = [
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    ];
    private static readonly short[] s_qm6 = [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136,
    ];
    private static readonly short[] s_qm2 = [-7408, -1616, 7408, 1616];
    private static readonly short[] s_wl = [-60, -30, 58, 172, 334, 538, 1198, 3042];
    private static readonly short[] s_wh = [0, -214, 798];
    private static readonly short[] s_ilb = [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];

    /// <summary>QMF coefficients h(0)..h(11) (§3.1, Table 11; symmetric, DC gain 4096), oldest sample first.</summary>
    public static ReadOnlySpan<int> QmfForward => s_qmfForward;

    /// <summary>The same coefficients reversed, for the second sample of each pair.</summary>
    public static ReadOnlySpan<int> QmfReverse => s_qmfReverse;

    /// <summary>Low-band quantiser decision levels (Table 6), times 8; index 1..29 are used.</summary>
    public static ReadOnlySpan<short> Q6 => s_q6;

    /// <summary>Quantiser interval to 6-bit code for a negative difference (Table 6).</summary>
    public static ReadOnlySpan<byte> Iln =>
    [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
    ];

    /// <summary>Quantiser interval to 6-bit code for a positive difference (Table 6).</summary>
    public static ReadOnlySpan<byte> Ilp =>
    [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
    ];

    /// <summary>4-bit inverse quantiser (predictor feedback, Table 7), indexed by the 4 MSBs of the low-band code.</summary>
    public static ReadOnlySpan<short> Qm4 => s_qm4;

    /// <summary>6-bit inverse quantiser (low-band output at 64 kbit/s, Table 6).</summary>
    public static ReadOnlySpan<short> Qm6 => s_qm6;

    /// <summary>2-bit inverse quantiser (high band, Table 9).</summary>
    public static ReadOnlySpan<short> Qm2 => s_qm2;

    /// <summary>Low-band log scale-factor multipliers (Table 8), indexed through <see cref="Rl42"/>.</summary>
    public static ReadOnlySpan<short> Wl => s_wl;

    /// <summary>4-bit low-band code to <see cref="Wl"/> index.</summary>
    public static ReadOnlySpan<byte> Rl42 => [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];

    /// <summary>High-band log scale-factor multipliers (Table 10), indexed through <see cref="Rh2"/>.</summary>
    public static ReadOnlySpan<short> Wh => s_wh;

    /// <summary>2-bit high-band code to <see cref="Wh"/> index.</summary>
    public static ReadOnlySpan<byte> Rh2 => [2, 1, 2, 1];

    /// <summary>Antilog table of blocks 3L/3H (SCALEL/SCALEH).</summary>
    public static ReadOnlySpan<short> Ilb => s_ilb;
}
