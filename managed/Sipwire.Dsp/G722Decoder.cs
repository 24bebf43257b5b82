// G.722 64 kbit/s SB-ADPCM decoder (ITU-T G.722 §4): one octet per pair of 16 kHz samples.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>
/// ITU-T G.722 decoder at 64 kbit/s (mode 1). Bit-exact with the ITU-T reference algorithm and
/// native/src/g722.c; equal to SpanDSP 0.0.6's g722_decode except that the receive QMF output is
/// limited to 16 bits where SpanDSP wraps around (only when the output would overflow). Every
/// octet value is valid input. One instance per stream; not thread-safe; no allocation after
/// construction.
/// </summary>
public sealed class G722Decoder
{
    private const int BlockPairs = 160;

    private readonly G722QmfPath _qmfPath;
    private readonly int[] _x = new int[G722Qmf.History + BlockPairs];
    private readonly int[] _y = new int[G722Qmf.History + BlockPairs];
    private G722Band _low;
    private G722Band _high;

    /// <summary>Creates a decoder in the G.722 initial state.</summary>
    public G722Decoder()
        : this(G722QmfPath.Auto)
    {
    }

    internal G722Decoder(G722QmfPath qmfPath)
    {
        _qmfPath = G722Qmf.Resolve(qmfPath);
        Reset();
    }

    /// <summary>Returns the decoder to the G.722 initial state (§6.2).</summary>
    public void Reset()
    {
        _low = G722Band.Initial(32);
        _high = G722Band.Initial(8);
        Array.Clear(_x);
        Array.Clear(_y);
    }

    /// <summary>Decodes G.722 octets to 16 kHz PCM; the state carries over to the next call.</summary>
    /// <param name="codes">The octets.</param>
    /// <param name="pcm">Receives 2 * <paramref name="codes"/>.Length samples.</param>
    /// <returns>The number of samples written.</returns>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is too short; nothing is decoded.</exception>
    public int Decode(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        if (pcm.Length / 2 < codes.Length)
        {
            throw new ArgumentException($"The PCM buffer holds {pcm.Length} samples; {codes.Length} octets need {2L * codes.Length}.", nameof(pcm));
        }

        for (int done = 0; done < codes.Length; done += BlockPairs)
        {
            int m = Math.Min(BlockPairs, codes.Length - done);
            DecodeBands(codes.Slice(done, m));
            G722Qmf.Synthesize(_qmfPath, _x.AsSpan(0, G722Qmf.History + m), _y.AsSpan(0, G722Qmf.History + m), pcm.Slice(2 * done, 2 * m));
            _x.AsSpan(m, G722Qmf.History).CopyTo(_x);
            _y.AsSpan(m, G722Qmf.History).CopyTo(_y);
        }

        return 2 * codes.Length;
    }

    private void DecodeBands(ReadOnlySpan<byte> codes)
    {
        ReadOnlySpan<short> qm6 = G722Tables.Qm6;
        ReadOnlySpan<short> qm4 = G722Tables.Qm4;
        ReadOnlySpan<short> qm2 = G722Tables.Qm2;
        ReadOnlySpan<short> wl = G722Tables.Wl;
        ReadOnlySpan<byte> rl42 = G722Tables.Rl42;
        ReadOnlySpan<short> wh = G722Tables.Wh;
        ReadOnlySpan<byte> rh2 = G722Tables.Rh2;
        ref G722Band low = ref _low;
        ref G722Band high = ref _high;
        Span<int> x = _x.AsSpan(G722Qmf.History, codes.Length);
        Span<int> y = _y.AsSpan(G722Qmf.History, codes.Length);
        for (int k = 0; k < codes.Length; k++)
        {
            int code = codes[k];
            int ilow = code & 0x3F;
            int ihigh = code >> 6;

            // Low band (§4.2): INVQBL with all 6 bits for the output (RECONS, LIMIT), INVQAL with
            // the 4 most significant bits for the predictor, as in the encoder.
            int rlow = G722Band.Sat15(low.S + ((low.Det * qm6[ilow]) >> 15));
            int ril = ilow >> 2;
            short dlow = (short)((low.Det * qm4[ril]) >> 15);
            low.Scale(wl[rl42[ril]], 18432, 8);
            low.Block4(dlow);

            // High band (§4.3): INVQAH, RECONS, LIMIT, LOGSCH, SCALEH, block 4H.
            short dhigh = (short)((high.Det * qm2[ihigh]) >> 15);
            int rhigh = G722Band.Sat15(dhigh + high.S);
            high.Scale(wh[rh2[ihigh]], 22528, 10);
            high.Block4(dhigh);

            // Receive QMF inputs (§4.4): both fit 16 bits since the band signals are 15-bit.
            x[k] = rlow + rhigh;
            y[k] = rlow - rhigh;
        }
    }
}
