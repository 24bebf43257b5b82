// G.722 64 kbit/s SB-ADPCM encoder (ITU-T G.722 §3): 16 kHz PCM in, one octet per pair of samples out.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// ITU-T G.722 encoder at 64 kbit/s (mode 1): each pair of 16 kHz samples becomes one octet with
/// the 6-bit low-band code in bits 0-5 and the 2-bit high-band code in bits 6-7 (the RTP payload
/// format of RFC 3551 §4.5.2). Bit-exact with the ITU-T reference algorithm and with SpanDSP's
/// g722_encode and native/src/g722.c. One instance per stream; not thread-safe; no allocation
/// after construction.
/// </summary>
public sealed class G722Encoder
{
    private const int BlockPairs = 160; // QMF block: 20 ms at 16 kHz

    private readonly G722QmfPath _qmfPath;
    private readonly int[] _a = new int[G722Qmf.History + BlockPairs];
    private readonly int[] _b = new int[G722Qmf.History + BlockPairs];
    private readonly int[] _xlow = new int[BlockPairs];
    private readonly int[] _xhigh = new int[BlockPairs];
    // For every bound 0..q6[29]: how many of the levels q6[1..29] are at or below it.
    private static readonly byte[] s_levelsAtOrBelow = CountLevels();

    private G722Band _low;
    private G722Band _high;

    /// <summary>Creates an encoder in the G.722 initial state.</summary>
    public G722Encoder()
        : this(G722QmfPath.Auto)
    {
    }

    internal G722Encoder(G722QmfPath qmfPath)
    {
        _qmfPath = G722Qmf.Resolve(qmfPath);
        Reset();
    }

    /// <summary>Returns the encoder to the G.722 initial state (§6.2), as at the start of a stream.</summary>
    public void Reset()
    {
        _low = G722Band.Initial(32);
        _high = G722Band.Initial(8);
        Array.Clear(_a);
        Array.Clear(_b);
    }

    /// <summary>Encodes 16 kHz PCM; the state carries over to the next call.</summary>
    /// <param name="pcm">An even number of samples (G.722 codes pairs).</param>
    /// <param name="codes">Receives <paramref name="pcm"/>.Length / 2 octets.</param>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ArgumentException">The sample count is odd or <paramref name="codes"/> is too short; nothing is encoded.</exception>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        if ((pcm.Length & 1) != 0)
        {
            throw new ArgumentException($"G.722 encodes pairs of samples; {pcm.Length} samples is odd.", nameof(pcm));
        }

        int pairs = pcm.Length / 2;
        if (codes.Length < pairs)
        {
            throw new ArgumentException($"The code buffer holds {codes.Length} octets; {pcm.Length} samples need {pairs}.", nameof(codes));
        }

        for (int done = 0; done < pairs; done += BlockPairs)
        {
            int m = Math.Min(BlockPairs, pairs - done);
            G722Qmf.Analyze(_qmfPath, pcm.Slice(2 * done, 2 * m), _a, _b, _xlow, _xhigh);
            _a.AsSpan(m, G722Qmf.History).CopyTo(_a);
            _b.AsSpan(m, G722Qmf.History).CopyTo(_b);
            EncodeBands(_xlow.AsSpan(0, m), _xhigh.AsSpan(0, m), codes.Slice(done, m));
        }

        return pairs;
    }

    private void EncodeBands(ReadOnlySpan<int> xlow, ReadOnlySpan<int> xhigh, Span<byte> codes)
    {
        ReadOnlySpan<short> qm4 = G722Tables.Qm4;
        ReadOnlySpan<short> qm2 = G722Tables.Qm2;
        ReadOnlySpan<short> wl = G722Tables.Wl;
        ReadOnlySpan<byte> rl42 = G722Tables.Rl42;
        ReadOnlySpan<short> wh = G722Tables.Wh;
        ReadOnlySpan<byte> rh2 = G722Tables.Rh2;
        ref G722Band low = ref _low;
        ref G722Band high = ref _high;
        xhigh = xhigh[..xlow.Length];
        codes = codes[..xlow.Length];
        for (int k = 0; k < xlow.Length; k++)
        {
            // Low band: SUBTRA, QUANTL (6 bits), INVQAL (4-bit feedback), LOGSCL, SCALEL, block 4L.
            int el = G722Band.Sat16(xlow[k] - low.S);
            int wd = el ^ (el >> 31); // |el| with the one's complement for negatives, as QUANTL
            int interval = QuantizeLow(wd, low.Det);
            int ilow = el < 0 ? G722Tables.Iln[interval] : G722Tables.Ilp[interval];
            int ril = ilow >> 2;
            short dlow = (short)((low.Det * qm4[ril]) >> 15);
            low.Scale(wl[rl42[ril]], 18432, 8);
            low.Block4(dlow);

            // High band: SUBTRA, QUANTH (2 bits), INVQAH, LOGSCH, SCALEH, block 4H.
            int eh = G722Band.Sat16(xhigh[k] - high.S);
            wd = eh ^ (eh >> 31);
            int ihigh = wd >= ((564 * high.Det) >> 12)
                ? (eh < 0 ? 0 : 2)
                : (eh < 0 ? 1 : 3);
            short dhigh = (short)((high.Det * qm2[ihigh]) >> 15);
            high.Scale(wh[rh2[ihigh]], 22528, 10);
            high.Block4(dhigh);

            codes[k] = (byte)((ihigh << 6) | ilow);
        }
    }

    /// <summary>
    /// QUANTL (§3.3): the first interval i in 1..29 whose level (q6[i] * det) &gt;&gt; 12 exceeds
    /// <paramref name="wd"/>, else 30. Since wd &lt; floor(q * det / 4096) exactly when
    /// q &gt; floor((4096 * (wd + 1) - 1) / det), the answer is one more than the number of levels
    /// q6[i] at or below that bound: one division and one table read instead of the reference's
    /// data-dependent search (same result for every wd and det &gt; 0).
    /// </summary>
    internal static int QuantizeLow(int wd, int det)
    {
        int bound = ((4096 * (wd + 1)) - 1) / det;
        return 1 + s_levelsAtOrBelow[Math.Min(bound, s_levelsAtOrBelow.Length - 1)];
    }

    private static byte[] CountLevels()
    {
        ReadOnlySpan<short> q6 = G722Tables.Q6;
        var counts = new byte[q6[29] + 1];
        for (int bound = 0; bound < counts.Length; bound++)
        {
            int n = 0;
            for (int i = 1; i <= 29; i++)
            {
                n += q6[i] <= bound ? 1 : 0;
            }

            counts[bound] = (byte)n;
        }

        return counts;
    }
}
