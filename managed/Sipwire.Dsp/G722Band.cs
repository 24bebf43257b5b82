// One G.722 sub-band's ADPCM state and the blocks shared by encoder and decoder (ITU-T G.722 §3.5-§3.6).
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;

namespace Sipwire.Dsp;

/// <summary>
/// Adaptive quantiser scale and the pole/zero predictor of one G.722 sub-band. Integer arithmetic
/// exactly as the ITU-T reference (16-bit saturating adds, arithmetic shifts).
/// </summary>
internal struct G722Band
{
    public short S;    // signal estimate
    public short Sz;   // zero-section estimate
    public short Det;  // quantiser scale factor
    private short _nb; // log scale factor
    private short _r;  // last reconstructed signal
    private short _a1, _a2;
    private short _p1, _p2;
    private short _d1, _d2, _d3, _d4, _d5, _d6;
    private short _b1, _b2, _b3, _b4, _b5, _b6;

    /// <summary>G.722 §6.2 reset values: everything zero, DETL = 32, DETH = 8.</summary>
    public static G722Band Initial(short det) => new() { Det = det };

    /// <summary>
    /// Blocks 3L/3H (LOGSCL + SCALEL, LOGSCH + SCALEH): nb = nb * (1 - 2^-7) + w, limited to
    /// [0, limit]; det = antilog(nb) from the 32-entry table, shifted by (nb &gt;&gt; 11) - shiftBase.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Scale(int w, int limit, int shiftBase)
    {
        int nb = Math.Clamp(((_nb * 127) >> 7) + w, 0, limit);
        _nb = (short)nb;
        int e = shiftBase - (nb >> 11);
        int v = G722Tables.Ilb[(nb >> 6) & 31];
        v = e < 0 ? v << -e : v >> e;
        Det = (short)(v << 2);
    }

    /// <summary>
    /// Block 4 (§3.6): RECONS, PARREC, UPPOL2, UPPOL1, FILTEP, UPZERO, DELAYA, FILTEZ, PREDIC for
    /// the quantised difference <paramref name="dx"/>; leaves the next estimate in <see cref="S"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Block4(short dx)
    {
        short r = Sat16(S + dx);
        short p = Sat16(Sz + dx);
        bool pNeg = p < 0;
        bool differ1 = pNeg != (_p1 < 0);
        bool differ2 = pNeg != (_p2 < 0);

        // UPPOL2: leak 2^-7, +-2^-7 on sgn(p)sgn(p(n-2)), -4*a1*2^-7 on sgn(p)sgn(p(n-1)); |a2| <= 0.75.
        int wd = Sat16(_a1 * 4);
        wd = differ1 ? wd : -wd;
        if (wd > 32767)
        {
            wd = 32767;
        }

        int a2 = (short)((differ2 ? -128 : 128) + (wd >> 7) + ((_a2 * 32512) >> 15));
        a2 = Math.Clamp(a2, -12288, 12288);

        // UPPOL1: leak 2^-8, +-3*2^-8 on sgn(p)sgn(p(n-1)); |a1| <= 1 - 2^-4 - a2.
        int a1 = Sat16((differ1 ? -192 : 192) + (short)((_a1 * 32640) >> 15));
        int lim = Sat16(15360 - a2);
        a1 = Math.Clamp(a1, -lim, lim);

        // FILTEP with the new coefficients.
        int sp = Sat16((short)((a1 * Sat16(r * 2)) >> 15) + (short)((a2 * Sat16(_r * 2)) >> 15));
        _r = r;
        _a1 = (short)a1;
        _a2 = (short)a2;
        _p2 = _p1;
        _p1 = p;

        // UPZERO: leak 2^-8, +-2^-7 on the sign agreement of dx and d(n-i); then DELAYA, FILTEZ.
        int g = dx == 0 ? 0 : 128;
        bool dNeg = dx < 0;
        _b6 = ZeroTap(_b6, _d6, dNeg, g);
        _b5 = ZeroTap(_b5, _d5, dNeg, g);
        _b4 = ZeroTap(_b4, _d4, dNeg, g);
        _b3 = ZeroTap(_b3, _d3, dNeg, g);
        _b2 = ZeroTap(_b2, _d2, dNeg, g);
        _b1 = ZeroTap(_b1, _d1, dNeg, g);
        _d6 = _d5;
        _d5 = _d4;
        _d4 = _d3;
        _d3 = _d2;
        _d2 = _d1;
        _d1 = dx;
        int sz = ((_b6 * Sat16(_d6 * 2)) >> 15) + ((_b5 * Sat16(_d5 * 2)) >> 15) + ((_b4 * Sat16(_d4 * 2)) >> 15)
            + ((_b3 * Sat16(_d3 * 2)) >> 15) + ((_b2 * Sat16(_d2 * 2)) >> 15) + ((_b1 * Sat16(_d1 * 2)) >> 15);
        Sz = Sat16(sz);

        // PREDIC
        S = Sat16(sp + Sz);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short ZeroTap(short b, short d, bool dxNegative, int g)
    {
        int step = (d < 0) != dxNegative ? -g : g;
        return Sat16(step + (short)((b * 32640) >> 15));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static short Sat16(int v) => (short)Math.Clamp(v, short.MinValue, short.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static short Sat15(int v) => (short)Math.Clamp(v, -16384, 16383);
}
