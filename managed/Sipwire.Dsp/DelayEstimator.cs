// Bulk delay estimator (far end to microphone) on binary band-energy spectra, block rate.
// SPDX-License-Identifier: MIT

using System.Numerics;

namespace Sipwire.Dsp;

/// <summary>
/// Finds the bulk delay between the far-end reference and the microphone in whole blocks. Each
/// block both spectra are reduced to 32 band energies and then to a 32-bit word whose bit b says
/// "band b is above its long-term mean"; the delay is the lag whose far word best matches the
/// microphone word (smoothed Hamming distance), accepted once it has won for 250 ms in a row.
/// This is the binary-spectrum idea WebRTC's AECM uses; it costs a few hundred operations per block.
/// <para>The estimator refuses to decide on ambiguous evidence, and keeps the delay it has (initially
/// none): a far block is evidence only when its spectrum is broadband (call-progress tones such as
/// busy, ring-back or a 1 kHz test tone look the same at every lag), and a lag wins only with a clear
/// margin over every lag that is not its neighbour (a far end periodic within the search range
/// matches at two lags equally).</para>
/// </summary>
internal sealed class DelayEstimator
{
    private const int Bands = 32;
    private const float MeanRate = 0.02f;
    private const float CostRate = 0.04f;

    // Narrowband test: a far block is broadband when at least BroadbandBands of the 32 bands are
    // within 15 dB (1/32 in power, exact in binary floating point) of its strongest band. Measured
    // on the test signals at 8 and 16 kHz: one or two steady tones reach at most 7 (the 16 ms
    // window's leakage), white noise and the composite source at least 11, formant-shaped voiced
    // pulse trains 8 or more in 98 % of blocks.
    private const float BandSpan = 1f / 32f;
    private const int BroadbandBands = 8;

    // Margin: the best lag's cost must be under this fraction of the best cost among lags at least
    // two blocks away from it.
    private const float RivalMargin = 0.85f;
    private readonly int _history;
    private readonly int _lo;
    private readonly int _hi;
    private readonly float[] _farMean = new float[Bands];
    private readonly float[] _micMean = new float[Bands];
    private readonly float[] _band = new float[Bands];
    private readonly uint[] _farWords;
    private readonly bool[] _farActive;
    private readonly float[] _cost;
    private int _head;
    private int _candidate = -1;
    private int _candidateBlocks;
    private readonly int _holdBlocks;

    public DelayEstimator(int bins, int historyBlocks, int blocksPerSecond)
    {
        _history = historyBlocks;
        _farWords = new uint[historyBlocks];
        _farActive = new bool[historyBlocks];
        _cost = new float[historyBlocks];
        for (int i = 0; i < historyBlocks; i++)
        {
            _cost[i] = 16f;
        }
        _lo = bins / 32;
        _hi = (bins * 3) / 4;
        _holdBlocks = blocksPerSecond / 4;
        DelayBlocks = 0;
    }

    /// <summary>Accepted delay in blocks (0 until a delay has been found).</summary>
    public int DelayBlocks { get; private set; }

    /// <summary>Feeds one block: spectra of the undelayed far end and of the microphone.</summary>
    public void Update(float[] farRe, float[] farIm, float[] micRe, float[] micIm, float activityThreshold)
    {
        float farEnergy = BandEnergies(farRe, farIm);
        bool broadband = IsBroadband();
        uint farWord = Binarize(_farMean, farEnergy > activityThreshold);
        _head = _head + 1 == _history ? 0 : _head + 1;
        _farWords[_head] = farWord;
        // A narrowband far block (a tone) is no evidence: its word is the same at every lag, and
        // the bits that flip with the tone's phase make a periodic tone match at wrong lags (issue 9).
        _farActive[_head] = farEnergy > activityThreshold && broadband;
        float micEnergy = BandEnergies(micRe, micIm);
        bool micActive = micEnergy > activityThreshold * 0.001f;
        // A silent microphone (below the activity threshold, or digital silence from a noiseless
        // microphone) is compared too: its word is all zeros (every band under its mean), which is
        // the evidence against every lag whose far block was active - a far-end burst that left no
        // trace in the microphone is not the echo of it. Skipping such blocks left only the quiet
        // edges of far-end bursts to compare, where both words are zero at ANY lag, so a far end
        // of bursts between exact zeros locked the delay onto a wrong lag (half a syllable period)
        // and the canceller, its filter shifted past the echo, never adapted (issue 9).
        uint micWord = micActive ? Binarize(_micMean, true) : 0u;
        int best = 0;
        float bestCost = float.MaxValue;
        float sum = 0f;
        int idx = _head;
        for (int lag = 0; lag < _history; lag++)
        {
            if (_farActive[idx])
            {
                float d = BitOperations.PopCount(micWord ^ _farWords[idx]);
                _cost[lag] += CostRate * (d - _cost[lag]);
            }
            sum += _cost[lag];
            if (_cost[lag] < bestCost)
            {
                bestCost = _cost[lag];
                best = lag;
            }
            idx = idx == 0 ? _history - 1 : idx - 1;
        }
        // A rival: the best cost among lags that are not the winner's neighbours.
        float rivalCost = float.MaxValue;
        for (int lag = 0; lag < _history; lag++)
        {
            if ((lag < best - 1 || lag > best + 1) && _cost[lag] < rivalCost)
            {
                rivalCost = _cost[lag];
            }
        }
        // A clear winner only: well below the average distance over all lags, and clearly below
        // its best rival; otherwise the accepted delay stays as it is.
        if (bestCost < 0.75f * (sum / _history) && bestCost < RivalMargin * rivalCost)
        {
            if (best == _candidate)
            {
                _candidateBlocks++;
            }
            else
            {
                _candidate = best;
                _candidateBlocks = 1;
            }
            if (_candidateBlocks >= _holdBlocks)
            {
                DelayBlocks = best;
            }
        }
    }

    private float BandEnergies(float[] re, float[] im)
    {
        int width = (_hi - _lo) / Bands;
        float total = 0f;
        for (int b = 0; b < Bands; b++)
        {
            float e = 0f;
            int start = _lo + (b * width);
            for (int k = start; k < start + width; k++)
            {
                e += (re[k] * re[k]) + (im[k] * im[k]);
            }
            _band[b] = e;
            total += e;
        }
        return total;
    }

    // At least BroadbandBands bands within 15 dB of the strongest (on the band energies just computed).
    private bool IsBroadband()
    {
        float max = 0f;
        for (int b = 0; b < Bands; b++)
        {
            if (_band[b] > max)
            {
                max = _band[b];
            }
        }
        float floor = max * BandSpan;
        int count = 0;
        for (int b = 0; b < Bands; b++)
        {
            if (_band[b] > floor)
            {
                count++;
            }
        }
        return count >= BroadbandBands;
    }

    private uint Binarize(float[] mean, bool active)
    {
        uint word = 0;
        for (int b = 0; b < Bands; b++)
        {
            if (_band[b] > mean[b])
            {
                word |= 1u << b;
            }
            if (active)
            {
                mean[b] += MeanRate * (_band[b] - mean[b]);
            }
        }
        return word;
    }
}
