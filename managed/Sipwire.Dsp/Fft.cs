// Real FFT plan for power-of-two sizes (split re/im spectra), scalar reference and SIMD paths.
// SPDX-License-Identifier: MIT

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// Real-input FFT of a fixed power-of-two size <c>N</c> (8..4096). The spectrum is returned in
/// split form: <c>N/2 + 1</c> real parts and <c>N/2 + 1</c> imaginary parts (bins 0..N/2).
/// <see cref="Inverse"/> is scaled by <c>1/N</c>, so <c>Inverse(Forward(x)) == x</c>.
/// </summary>
/// <remarks>
/// The transform packs the N real samples into an N/2-point complex FFT (radix-2,
/// decimation in time) and splits the result. The scalar and SIMD paths perform the same IEEE
/// operations in the same order (multiply and add, never fused), so they give identical bits;
/// the C fallback <c>native/src/fft.c</c> does the same. An instance holds its own work buffers:
/// it is not thread safe, and it allocates nothing per call.
/// </remarks>
public sealed partial class Fft
{
    private readonly int _n;
    private readonly int _m;            // N/2, the complex FFT size
    private readonly bool _vectorized;
    private readonly int[] _bitReverse; // bit reversal of 0..M-1
    // Twiddles of the complex stages, stage with half-span h at [h, 2h): e^{-2 pi i j / (2h)}.
    private readonly float[] _stageCos;
    private readonly float[] _stageSin;
    // Split twiddles W^k = e^{-2 pi i k / N}, k = 0..M.
    private readonly float[] _splitCos;
    private readonly float[] _splitSin;
    private readonly float[] _workRe;
    private readonly float[] _workIm;

    /// <summary>Creates a plan of size <paramref name="n"/> using SIMD where the CPU has it.</summary>
    /// <param name="n">Transform size, a power of two from 8 to 4096.</param>
    public Fft(int n)
        : this(n, Vector128.IsHardwareAccelerated)
    {
    }

    /// <summary>Creates a plan; <paramref name="vectorized"/> false selects the scalar reference.</summary>
    /// <param name="n">Transform size, a power of two from 8 to 4096.</param>
    /// <param name="vectorized">Use the Vector128/Vector256 path.</param>
    public Fft(int n, bool vectorized)
    {
        if (n < 8 || n > 4096 || !BitOperations.IsPow2(n))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "FFT size must be a power of two from 8 to 4096.");
        }
        _n = n;
        _m = n / 2;
        _vectorized = vectorized && Vector128.IsHardwareAccelerated;
        int bits = BitOperations.Log2((uint)_m);
        _bitReverse = new int[_m];
        for (int i = 0; i < _m; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }
            _bitReverse[i] = r;
        }
        _stageCos = new float[_m];
        _stageSin = new float[_m];
        for (int h = 1; h < _m; h <<= 1)
        {
            for (int j = 0; j < h; j++)
            {
                double a = -Math.PI * j / h;
                _stageCos[h + j] = (float)Math.Cos(a);
                _stageSin[h + j] = (float)Math.Sin(a);
            }
        }
        _splitCos = new float[_m + 1];
        _splitSin = new float[_m + 1];
        for (int k = 0; k <= _m; k++)
        {
            double a = -2.0 * Math.PI * k / n;
            _splitCos[k] = (float)Math.Cos(a);
            _splitSin[k] = (float)Math.Sin(a);
        }
        _workRe = new float[_m];
        _workIm = new float[_m];
    }

    /// <summary>Transform size N.</summary>
    public int Size => _n;

    /// <summary>Number of spectrum bins, N/2 + 1.</summary>
    public int Bins => _m + 1;

    /// <summary>True when this plan runs the SIMD path.</summary>
    public bool IsVectorized => _vectorized;

    /// <summary>Forward transform: X[k] = sum x[n] e^{-2 pi i k n / N}, k = 0..N/2.</summary>
    /// <param name="input">N real samples.</param>
    /// <param name="re">Receives N/2 + 1 real parts.</param>
    /// <param name="im">Receives N/2 + 1 imaginary parts (bins 0 and N/2 are 0).</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im)
    {
        if (input.Length < _n || re.Length < _m + 1 || im.Length < _m + 1)
        {
            throw new ArgumentException($"Forward needs {_n} input samples and {_m + 1} bins per output.");
        }
        float[] zr = _workRe;
        float[] zi = _workIm;
        int[] rev = _bitReverse;
        // Pack z[n] = x[2n] + i x[2n+1] in bit-reversed order for the in-place DIT stages.
        // Sizes were checked above: the loops index without bounds checks.
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float pzr = ref MemoryMarshal.GetArrayDataReference(zr);
        ref float pzi = ref MemoryMarshal.GetArrayDataReference(zi);
        ref int prev = ref MemoryMarshal.GetArrayDataReference(rev);
        for (int i = 0; i < _m; i++)
        {
            int r = Unsafe.Add(ref prev, i);
            Unsafe.Add(ref pzr, r) = Unsafe.Add(ref x0, 2 * i);
            Unsafe.Add(ref pzi, r) = Unsafe.Add(ref x0, (2 * i) + 1);
        }
        Complex(zr, zi);
        // Split: X[k] = Fe[k] + W^k Fo[k], Fe = (Z[k] + conj Z[M-k]) / 2, Fo = -i (Z[k] - conj Z[M-k]) / 2.
        re[0] = zr[0] + zi[0];
        im[0] = 0f;
        re[_m] = zr[0] - zi[0];
        im[_m] = 0f;
        float[] wc = _splitCos;
        float[] ws = _splitSin;
        ref float pre = ref MemoryMarshal.GetReference(re);
        ref float pim = ref MemoryMarshal.GetReference(im);
        ref float pwc = ref MemoryMarshal.GetArrayDataReference(wc);
        ref float pws = ref MemoryMarshal.GetArrayDataReference(ws);
        for (int k = 1; k < _m; k++)
        {
            float ar = Unsafe.Add(ref pzr, k);
            float ai = Unsafe.Add(ref pzi, k);
            float br = Unsafe.Add(ref pzr, _m - k);
            float bi = -Unsafe.Add(ref pzi, _m - k);
            float fer = 0.5f * (ar + br);
            float fei = 0.5f * (ai + bi);
            // (a - b) * (-i/2) = ((ai - bi) - i (ar - br)) / 2
            float for_ = 0.5f * (ai - bi);
            float foi = -0.5f * (ar - br);
            float c = Unsafe.Add(ref pwc, k);
            float sn = Unsafe.Add(ref pws, k);
            Unsafe.Add(ref pre, k) = fer + ((c * for_) - (sn * foi));
            Unsafe.Add(ref pim, k) = fei + ((c * foi) + (sn * for_));
        }
    }

    /// <summary>Inverse transform scaled by 1/N: x[n] = (1/N) sum X[k] e^{+2 pi i k n / N}.</summary>
    /// <param name="re">N/2 + 1 real parts.</param>
    /// <param name="im">N/2 + 1 imaginary parts (the parts of bins 0 and N/2 are ignored).</param>
    /// <param name="output">Receives N real samples.</param>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output)
    {
        if (output.Length < _n || re.Length < _m + 1 || im.Length < _m + 1)
        {
            throw new ArgumentException($"Inverse needs {_m + 1} bins per input and {_n} output samples.");
        }
        float[] zr = _workRe;
        float[] zi = _workIm;
        int[] rev = _bitReverse;
        float[] wc = _splitCos;
        float[] ws = _splitSin;
        float scale = 1f / _m;
        // Z[k] = Fe + i Fo with Fe = (X[k] + conj X[M-k]) / 2, Fo = W^-k (X[k] - conj X[M-k]) / 2;
        // the 1/M of the inverse complex FFT is folded in. Real and imaginary parts are stored
        // swapped so the forward stages compute the inverse (IFFT(Z) = swap(FFT(swap(Z)))).
        ref float pre = ref MemoryMarshal.GetReference(re);
        ref float pim = ref MemoryMarshal.GetReference(im);
        ref float pwc = ref MemoryMarshal.GetArrayDataReference(wc);
        ref float pws = ref MemoryMarshal.GetArrayDataReference(ws);
        ref float pzr = ref MemoryMarshal.GetArrayDataReference(zr);
        ref float pzi = ref MemoryMarshal.GetArrayDataReference(zi);
        ref int prev = ref MemoryMarshal.GetArrayDataReference(rev);
        float halfScale = 0.5f * scale;
        for (int k = 0; k < _m; k++)
        {
            float ar = Unsafe.Add(ref pre, k);
            float ai = k == 0 ? 0f : Unsafe.Add(ref pim, k);
            float br = Unsafe.Add(ref pre, _m - k);
            float bi = (k == 0) ? 0f : -Unsafe.Add(ref pim, _m - k);
            float fer = ar + br;
            float fei = ai + bi;
            float dr = ar - br;
            float di = ai - bi;
            // W^-k = cos + i(-sin) with (cos, sin) of W^k: conj.
            float c = Unsafe.Add(ref pwc, k);
            float sn = Unsafe.Add(ref pws, k);
            float for_ = (c * dr) + (sn * di);
            float foi = (c * di) - (sn * dr);
            int r = Unsafe.Add(ref prev, k);
            Unsafe.Add(ref pzr, r) = (fei + for_) * halfScale;
            Unsafe.Add(ref pzi, r) = (fer - foi) * halfScale;
        }
        Complex(zr, zi);
        ref float y0 = ref MemoryMarshal.GetReference(output);
        for (int i = 0; i < _m; i++)
        {
            Unsafe.Add(ref y0, 2 * i) = Unsafe.Add(ref pzi, i);
            Unsafe.Add(ref y0, (2 * i) + 1) = Unsafe.Add(ref pzr, i);
        }
    }

    private void Complex(float[] zr, float[] zi)
    {
        if (_vectorized)
        {
            StagesVector(zr, zi, _m, _stageCos, _stageSin);
        }
        else
        {
            StagesScalar(zr, zi, _m, _stageCos, _stageSin, _m);
        }
    }
}
