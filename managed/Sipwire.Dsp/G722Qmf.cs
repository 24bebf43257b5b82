// G.722 quadrature mirror filters (ITU-T G.722 §3.1 transmit, §4.4 receive): API, dispatch and scalar reference.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>Which implementation of the QMF a G.722 encoder or decoder uses.</summary>
internal enum G722QmfPath
{
    /// <summary>The widest path the CPU accelerates.</summary>
    Auto,

    /// <summary>The scalar reference.</summary>
    Scalar,

    /// <summary>Vector128 (4 outputs per step).</summary>
    Vector128,

    /// <summary>Vector256 (8 outputs per step).</summary>
    Vector256,
}

/// <summary>
/// The 24-tap G.722 QMF pair, written as two 12-tap FIRs over the de-interleaved streams: the
/// first samples of each pair (a) and the second (b). Buffers carry <see cref="History"/> older
/// values in front of the block, oldest first, so output j reads inputs j..j+11. Results are
/// exact integers, identical on every path.
/// </summary>
internal static partial class G722Qmf
{
    /// <summary>Past values each FIR needs in front of the block.</summary>
    public const int History = 11;

    public static G722QmfPath Resolve(G722QmfPath path) => path switch
    {
        G722QmfPath.Auto when Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian => G722QmfPath.Vector256,
        G722QmfPath.Auto when Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian => G722QmfPath.Vector128,
        G722QmfPath.Auto => G722QmfPath.Scalar,
        _ => path,
    };

    /// <summary>
    /// Transmit QMF: splits <paramref name="pcm"/> (2m samples) into the de-interleaved streams
    /// a and b (after their history), then computes the low and high band inputs of the ADPCM
    /// coders: xlow = (even + odd) &gt;&gt; 14 and xhigh = (even - odd) &gt;&gt; 14, where odd filters a with
    /// h(0..11) and even filters b with h(11..0). The shift by 14 removes the DC gain of 4096, the
    /// sum of two filters and one more bit for the 15-bit signal of the ADPCM blocks.
    /// </summary>
    public static void Analyze(G722QmfPath path, ReadOnlySpan<short> pcm, Span<int> a, Span<int> b, Span<int> xlow, Span<int> xhigh)
    {
        switch (path)
        {
            case G722QmfPath.Vector256:
                AnalyzeVector256(pcm, a, b, xlow, xhigh);
                break;
            case G722QmfPath.Vector128:
                AnalyzeVector128(pcm, a, b, xlow, xhigh);
                break;
            default:
                AnalyzeScalar(pcm, a, b, xlow, xhigh, 0);
                break;
        }
    }

    /// <summary>
    /// Receive QMF: from the sum (x = rlow + rhigh) and difference (y = rlow - rhigh) streams,
    /// writes 2m samples: pcm[2j] = y filtered by h(11..0), pcm[2j+1] = x filtered by h(0..11),
    /// both shifted right by 11 (DC gain 4096, less one bit for the 15-bit band signals) and
    /// limited to 16 bits as the ITU-T reference does (SpanDSP 0.0.6 wraps instead).
    /// </summary>
    public static void Synthesize(G722QmfPath path, ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<short> pcm)
    {
        switch (path)
        {
            case G722QmfPath.Vector256:
                SynthesizeVector256(x, y, pcm);
                break;
            case G722QmfPath.Vector128:
                SynthesizeVector128(x, y, pcm);
                break;
            default:
                SynthesizeScalar(x, y, pcm, 0);
                break;
        }
    }

    /// <summary>The vector paths address the buffers without bounds checks, so their sizes are checked once here.</summary>
    internal static int CheckAnalyze(ReadOnlySpan<short> pcm, Span<int> a, Span<int> b, Span<int> xlow, Span<int> xhigh)
    {
        int pairs = pcm.Length / 2;
        if (a.Length < History + pairs || b.Length < History + pairs || xlow.Length < pairs || xhigh.Length < pairs)
        {
            throw new ArgumentException("QMF buffers are shorter than the block.");
        }

        return pairs;
    }

    internal static int CheckSynthesize(ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<short> pcm)
    {
        int pairs = pcm.Length / 2;
        if (x.Length < History + pairs || y.Length < History + pairs)
        {
            throw new ArgumentException("QMF buffers are shorter than the block.");
        }

        return pairs;
    }

    /// <summary>Scalar transmit QMF from pair <paramref name="start"/> on (the vector paths finish their tails here).</summary>
    internal static void AnalyzeScalar(ReadOnlySpan<short> pcm, Span<int> a, Span<int> b, Span<int> xlow, Span<int> xhigh, int start)
    {
        int pairs = pcm.Length / 2;
        for (int j = start; j < pairs; j++)
        {
            a[History + j] = pcm[2 * j];
            b[History + j] = pcm[(2 * j) + 1];
        }

        ReadOnlySpan<int> forward = G722Tables.QmfForward;
        ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
        for (int j = start; j < pairs; j++)
        {
            ReadOnlySpan<int> wa = a.Slice(j, 12);
            ReadOnlySpan<int> wb = b.Slice(j, 12);
            int odd = 0;
            int even = 0;
            for (int i = 0; i < 12; i++)
            {
                odd += wa[i] * forward[i];
                even += wb[i] * reverse[i];
            }

            xlow[j] = (even + odd) >> 14;
            xhigh[j] = (even - odd) >> 14;
        }
    }

    /// <summary>Scalar receive QMF from pair <paramref name="start"/> on.</summary>
    internal static void SynthesizeScalar(ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<short> pcm, int start)
    {
        int pairs = pcm.Length / 2;
        ReadOnlySpan<int> forward = G722Tables.QmfForward;
        ReadOnlySpan<int> reverse = G722Tables.QmfReverse;
        for (int j = start; j < pairs; j++)
        {
            ReadOnlySpan<int> wx = x.Slice(j, 12);
            ReadOnlySpan<int> wy = y.Slice(j, 12);
            int out1 = 0;
            int out2 = 0;
            for (int i = 0; i < 12; i++)
            {
                out1 += wy[i] * reverse[i];
                out2 += wx[i] * forward[i];
            }

            pcm[2 * j] = G722Band.Sat16(out1 >> 11);
            pcm[(2 * j) + 1] = G722Band.Sat16(out2 >> 11);
        }
    }
}
