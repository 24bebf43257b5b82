// Echo canceller block core: MDF two-path filter, learning-rate control, suppressor, comfort noise.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

public sealed partial class EchoCanceller
{
    private const float Preemphasis = 0.9f;
    private const float MinLeak = 0.005f;
    // Residual echo suppressor (noise-referenced). Per bin, the residual echo estimate decides the
    // gain: a bin whose echo is under the near-end noise passes, a bin whose echo could be heard
    // over it is taken down well under the noise (in far-end single talk, every bin the echo
    // reaches: see SingleTalkFloorShare), and comfort noise at the measured noise level fills
    // what a bin lost (ITU-T G.168 §3.4 counts echo only; ITU-T P.1110/P.1100 ask for a
    // constant background noise level between talk states): in far-end single talk the output
    // stands at the microphone's noise level, real where the echo allowed, synthetic elsewhere.
    private const float OverSubtraction = 10f;
    // A suppressed bin keeps at least NoiseFloorShare of the noise power (-3 dB) where the noise
    // dominates it, and less the more residual echo it holds: the floor is that share of N / (Ps +
    // EchoFloorWeight R), so where the residual echo R stands well over the noise the floor passes
    // it about 13 dB under the noise instead of at it, and comfort noise tops the bin up to the
    // full noise level.
    private const float NoiseFloorShare = 0.5f;
    private const float EchoFloorWeight = 10f;
    // Far-end single talk: a bin whose echo reference stands over the near-end noise holds nothing
    // of the near end but its background, plus a residual echo that the leakage estimate can
    // underrate (the linear stage's misadjustment moves with the far end). Such a bin always takes
    // the floor, with SingleTalkFloorShare (-10 dB) for the noise share, and comfort noise carries
    // the background: the echo under the noise goes down with it instead of passing at ~0 dB
    // (AecEval, echo-only ERLE without comfort noise: +5 to +8 dB in every case, and a white far end
    // at -60 dB noise now rounds to digital zero before comfort noise).
    private const float SingleTalkFloorShare = 0.1f;
    // Echo reference: the echo estimate with a decaying memory (-2.2 dB per block) for the
    // reverberation beyond the filter, smoothed like the error power.
    private const float EchoDecay = 0.6f;
    private const float PowerSmoothing = 0.2f;
    // Per-bin leakage (residual echo / echo reference), learned in far-end single talk only, twice:
    // its mean (BinLeakStep), and its upper envelope, which rises fast to a block whose residual is
    // higher than expected and decays slowly. The linear stage's misadjustment in a bin changes with
    // what the far end excites, so the mean left a third of the time-frequency points of a speech
    // far end with the residual echo 10x over its estimate, passed unsuppressed (AecEval, 16 kHz
    // speech). The envelope rules in far-end single talk, where over-suppression costs nothing
    // (comfort noise fills it); the mean in double talk, where it would cost near-end speech.
    private const float BinLeakStep = 0.02f;
    // The mean starts as the plain average of the updates a bin has seen (step 1/n) until that step
    // comes down to BinLeakStep: from its initial 1 (full suppression) the exponential mean needed
    // about 340 updates to reach a converged filter's leakage, so a near talker in the first
    // seconds of a call met a suppressor that had learned nearly nothing (boards voice pipeline,
    // double talk at 2.5 s: -5.5 / -4.9 dB at 8 / 16 kHz, now -4.2 / -2.8 dB).
    private const int BinLeakWarmup = 50;
    private const float BinLeakRise = 0.1f;
    private const float BinLeakDecay = 0.005f;
    // Double talk holds for 480 ms after the detector last fired: a near talker under the echo
    // trips the block detector only on its louder syllables, and a 240 ms hold left a talker 10-20
    // dB under the echo 3-4 dB down (far-end single-talk treatment between syllables);
    // AecDoubleTalkLevelTests.
    private const int DoubleTalkHoldBlocks = 60;

    // Near-end noise PSD: minima-controlled recursive averaging (I. Cohen and B. Berdugo, IEEE
    // SPL 9(1), 2002). The minimum of the smoothed error power (rising 2.7 dB/s at 125 blocks/s)
    // only decides whether a bin holds anything but noise (more than PresenceRatio times the
    // minimum); the noise PSD itself is the recursive mean of the periodogram over the noise-only
    // blocks, so it has no minimum-statistics bias, and it can never exceed NoiseCap times the
    // minimum, which bounds what a loud onset missed by the detector can leave in it.
    private const float MinimumRise = 1.005f;
    private const float PresenceRatio = 5f;
    private const float NoiseStep = 0.05f;
    private const float NoiseCap = 4f;
    // Echo gate on the noise PSD: the error holds the linear stage's residual echo while the far
    // end is active, and averaging that in made the suppressor take the echo for background (the
    // leakage, learned as (error - noise) / echo, lost it too: far-end single talk came out 4.7 dB
    // over the microphone's noise on a speech far end). So the PSD is averaged only where the echo
    // reference stands under EchoNoiseGate times the noise minimum; while a bin's gate is shut it
    // only follows the smoothed power down (a noise floor that falls is seen at once, a residual
    // echo never raises it). A far end that never pauses (a tone, music, noise) keeps a gate shut:
    // after NoiseGateHoldBlocks (2 s) the bin averages regardless - the linear stage has converged
    // by then, and what remains is the best evidence of the noise there is.
    private const float EchoNoiseGate = 3f;
    private const int NoiseGateHoldBlocks = 250;

    // Comfort-noise amplitude^2 per unit of noise power: 1.5 (Uniform(-1, 1) has variance 1/3 per
    // part, so sqrt(3/2) per part gives |X|^2 = 1) times 2 (a random-phase spectrum spreads its
    // energy evenly over the frame, where the analysed noise was shaped by the sqrt-Hann analysis
    // window, mean w^2 = 1/2; through the synthesis window and overlap-add it comes out at half
    // the power of the noise it replaces). The noise PSD is an unbiased mean: no further factor.
    private const float ComfortNoiseScale = 3f;

    private readonly int _maxDelayBlocks;
    private readonly DelayEstimator? _delayEstimator;
    private int _delayBlocks;

    // Far-end history (pre-emphasised, undelayed): ring of (maxDelay + P + 2) blocks.
    private float[] _farLine = null!;
    private int _farLineBlocks;
    private int _farLineHead; // index (in blocks) of the newest block
    // Spectra of the delayed far end: partition k (k blocks old) lives at slot (head - k) mod P.
    private float[] _xr = null!;
    private float[] _xi = null!;
    private int _xHead;
    // Background (adapting) and foreground (output) filters, P x F each.
    private float[] _wbr = null!;
    private float[] _wbi = null!;
    private float[] _wfr = null!;
    private float[] _wfi = null!;
    // Per-bin work.
    private float[] _tr = null!;
    private float[] _ti = null!;
    private float[] _ur = null!;
    private float[] _ui = null!;
    private float[] _prop = null!; // proportionate step per partition
    private float[] _sx = null!;   // sum over partitions of |X_k|^2
    private float[] _eh = null!;   // smoothed |E|^2 (leak estimator)
    private float[] _yh = null!;   // smoothed |Y|^2
    private float[] _gr = null!;   // step * E
    private float[] _gi = null!;
    private float[] _time = null!; // K samples
    private float[] _yb = null!;   // B samples each
    private float[] _yf = null!;
    private float[] _eb = null!;
    private float[] _ef = null!;
    private float[] _mic = null!;
    // Suppressor state (de-emphasised signals, windowed spectra).
    private float[] _window = null!;
    private float[] _ePrev = null!;
    private float[] _yPrev = null!;
    private float[] _olaTail = null!;
    private float[] _noise = null!;
    private float[] _smoothPower = null!;
    private float[] _noisePsd = null!;
    private float[] _echoRef = null!;
    private float[] _echoSmooth = null!;
    private float[] _binLeak = null!;
    private float[] _binLeakPeak = null!;
    private byte[] _leakCount = null!;  // learning updates per bin, up to BinLeakWarmup
    private float[] _gain = null!;
    private int[] _gateShut = null!; // blocks the echo gate of a bin's noise PSD has been shut
    private float[] _dr = null!;   // mic spectrum for the delay estimator
    private float[] _di = null!;

    // Scalars.
    private float _micPrevIn;      // DC blocker x[n-1]
    private float _micDc;          // DC blocker y[n-1]
    private float _micPre;         // pre-emphasis memory (mic)
    private float _farPre;         // pre-emphasis memory (far)
    private float _deEmphE;
    private float _deEmphY;
    private float _pey;
    private float _pyy;
    private float _leak;
    private float _peyFree;        // _pey without the MinLeak floor
    private float _echoLeak;       // leakage for the suppressor
    private int _doubleTalkHold;   // blocks left in which the per-bin leakage is not learned
    private bool _noiseStarted;
    private float _sumAdapt;
    private bool _adapted;
    private float _errorFloor;
    private float _davg1;
    private float _davg2;
    private float _dvar1;
    private float _dvar2;
    private int _constrainNext;
    private uint _seed;

    private void AllocateState()
    {
        int pf = _partitions * _bins;
        _farLineBlocks = _maxDelayBlocks + _partitions + 2;
        _farLine = new float[_farLineBlocks * _block];
        _xr = new float[pf];
        _xi = new float[pf];
        _wbr = new float[pf];
        _wbi = new float[pf];
        _wfr = new float[pf];
        _wfi = new float[pf];
        _tr = new float[_bins];
        _ti = new float[_bins];
        _ur = new float[_bins];
        _ui = new float[_bins];
        _sx = new float[_bins];
        _prop = new float[_partitions];
        _eh = new float[_bins];
        _yh = new float[_bins];
        _gr = new float[_bins];
        _gi = new float[_bins];
        _time = new float[_fftSize];
        _yb = new float[_block];
        _yf = new float[_block];
        _eb = new float[_block];
        _ef = new float[_block];
        _mic = new float[_block];
        _window = new float[_fftSize];
        // Periodic sqrt-Hann: the squares of two half-overlapped windows sum to exactly 1.
        for (int i = 0; i < _fftSize; i++)
        {
            _window[i] = (float)Math.Sqrt(0.5 - (0.5 * Math.Cos(2.0 * Math.PI * i / _fftSize)));
        }
        _ePrev = new float[_block];
        _yPrev = new float[_block];
        _olaTail = new float[_block];
        _noise = new float[_bins];
        _smoothPower = new float[_bins];
        _noisePsd = new float[_bins];
        _echoRef = new float[_bins];
        _echoSmooth = new float[_bins];
        _binLeak = new float[_bins];
        _binLeakPeak = new float[_bins];
        _leakCount = new byte[_bins];
        _gain = new float[_bins];
        _gateShut = new int[_bins];
        _dr = new float[_bins];
        _di = new float[_bins];
    }

    private void ResetState()
    {
        Array.Clear(_farLine);
        Array.Clear(_xr);
        Array.Clear(_xi);
        Array.Clear(_wbr);
        Array.Clear(_wbi);
        Array.Clear(_wfr);
        Array.Clear(_wfi);
        Array.Clear(_eh);
        Array.Clear(_yh);
        Array.Clear(_ePrev);
        Array.Clear(_yPrev);
        Array.Clear(_olaTail);
        Array.Clear(_smoothPower);
        Array.Clear(_noisePsd);
        Array.Clear(_echoRef);
        Array.Clear(_echoSmooth);
        Array.Clear(_gateShut);
        for (int f = 0; f < _bins; f++)
        {
            _noise[f] = 1e12f;
            _gain[f] = 1f;
            _binLeak[f] = 1f;
            _binLeakPeak[f] = 1f;
            _leakCount[f] = 0;
        }
        _farLineHead = 0;
        _xHead = 0;
        _delayBlocks = 0;
        _micPrevIn = 0f;
        _micDc = 0f;
        _micPre = 0f;
        _farPre = 0f;
        _deEmphE = 0f;
        _deEmphY = 0f;
        _pey = 0f;
        _pyy = 1f;
        _leak = 0f;
        _peyFree = 0f;
        _echoLeak = 0f;
        _doubleTalkHold = 0;
        _noiseStarted = false;
        _sumAdapt = 0f;
        _adapted = false;
        _errorFloor = 0f;
        _davg1 = 0f;
        _davg2 = 0f;
        _dvar1 = 0f;
        _dvar2 = 0f;
        _constrainNext = 0;
        _seed = 0x12345678u;
    }

    private void ProcessBlock(float[] micIn, float[] farIn, float[] output, int outOffset)
    {
        int n = _block;
        int bins = _bins;
        int p = _partitions;
        float[] time = _time;

        // 1. Input conditioning. Mic: DC blocker (pole 0.98 at 16 kHz) then pre-emphasis
        // 1 - 0.9 z^-1 on both signals, which whitens speech so the adaptive filter converges
        // evenly across the band; the output is de-emphasised again.
        float dcPole = _rate == 8000 ? 0.96f : 0.98f;
        float sdd = 0f;
        for (int i = 0; i < n; i++)
        {
            float x = micIn[i];
            float dc = x - _micPrevIn + (dcPole * _micDc);
            _micPrevIn = x;
            _micDc = dc;
            _mic[i] = dc - (Preemphasis * _micPre);
            _micPre = dc;
            sdd += _mic[i] * _mic[i];
        }
        _farLineHead = _farLineHead + 1 == _farLineBlocks ? 0 : _farLineHead + 1;
        int lineBase = _farLineHead * n;
        float sxx = 0f;
        for (int i = 0; i < n; i++)
        {
            float x = farIn[i];
            float v = x - (Preemphasis * _farPre);
            _farPre = x;
            _farLine[lineBase + i] = v;
        }

        // 2. Bulk delay: the estimator compares the undelayed far end with the microphone.
        bool farSpectrumReady = false;
        if (_delayEstimator != null)
        {
            LoadFarWindow(0, time);
            _fft.Forward(time, _tr, _ti);
            farSpectrumReady = _delayBlocks == 0;
            Array.Clear(time, 0, n);
            Array.Copy(_mic, 0, time, n, n);
            _fft.Forward(time, _dr, _di);
            _delayEstimator.Update(_tr, _ti, _dr, _di, n * 1e5f);
            int wanted = Math.Max(0, _delayEstimator.DelayBlocks - 1);
            if (Math.Abs(wanted - _delayBlocks) >= 2)
            {
                ChangeDelay(wanted);
                farSpectrumReady = false;
            }
        }

        // 3. Spectrum of the delayed far-end window [previous block, this block] into partition 0.
        _xHead = _xHead + 1 == p ? 0 : _xHead + 1;
        LoadFarWindow(_delayBlocks, time);
        for (int i = n; i < 2 * n; i++)
        {
            sxx += time[i] * time[i];
        }
        if (!farSpectrumReady)
        {
            // With no bulk delay the estimator's far spectrum is this one already.
            _fft.Forward(time, _tr, _ti);
        }
        Array.Copy(_tr, 0, _xr, _xHead * bins, bins);
        Array.Copy(_ti, 0, _xi, _xHead * bins, bins);
        Array.Clear(_sx);
        for (int k = 0; k < p; k++)
        {
            AecKernels.PowerAccumulate(_vectorized, _xr, _xi, Slot(k) * bins, _sx, bins);
        }

        // 4. Echo estimates of both filters (overlap-save: keep the last B samples).
        FilterOutput(_wbr, _wbi, _yb);
        FilterOutput(_wfr, _wfi, _yf);
        float see = 0f;
        float sff = 0f;
        float dbf = 0f;
        float syy = 0f;
        float sey = 0f;
        for (int i = 0; i < n; i++)
        {
            float eb = _mic[i] - _yb[i];
            float ef = _mic[i] - _yf[i];
            _eb[i] = eb;
            _ef[i] = ef;
            see += eb * eb;
            sff += ef * ef;
            float d = ef - eb;
            dbf += d * d;
            syy += _yb[i] * _yb[i];
            sey += eb * _yb[i];
        }

        // 5. Two paths. The background filter adapts every block; it replaces the foreground when
        // its error is consistently smaller (short and long averages of Sff - See against their
        // variance), and it is reset to the foreground when it is consistently worse (it has
        // diverged, typically in double talk). The output always comes from the foreground.
        // Double talk: the background error is far above what the leakage and the error floor
        // explain. Then Sff - See is dominated by the near end's cross term and says nothing
        // about which filter is better, so the foreground is not replaced.
        if (see < _errorFloor)
        {
            _errorFloor = see;
        }
        else
        {
            _errorFloor = (1.01f * _errorFloor) + 1f;
        }
        bool doubleTalk = _adapted && see > (4f * _leak * syy) + (8f * _errorFloor);
        _doubleTalkHold = doubleTalk ? DoubleTalkHoldBlocks : _doubleTalkHold > 0 ? _doubleTalkHold - 1 : 0;
        float diff = sff - see;
        _davg1 = (0.6f * _davg1) + (0.4f * diff);
        _davg2 = (0.85f * _davg2) + (0.15f * diff);
        _dvar1 = (0.36f * _dvar1) + (0.16f * sff * dbf);
        _dvar2 = (0.7225f * _dvar2) + (0.0225f * sff * dbf);
        bool update = !doubleTalk && ((diff * Math.Abs(diff) > sff * dbf)
            || (_davg1 * Math.Abs(_davg1) > 0.5f * _dvar1)
            || (_davg2 * Math.Abs(_davg2) > 0.25f * _dvar2));
        if (update)
        {
            Array.Copy(_wbr, _wfr, _wbr.Length);
            Array.Copy(_wbi, _wfi, _wbi.Length);
            Array.Copy(_eb, _ef, n);
            Array.Copy(_yb, _yf, n);
            _davg1 = 0f;
            _davg2 = 0f;
            _dvar1 = 0f;
            _dvar2 = 0f;
        }
        else if ((-diff * Math.Abs(diff) > 4f * sff * dbf)
            || (-_davg1 * Math.Abs(_davg1) > 4f * _dvar1)
            || (-_davg2 * Math.Abs(_davg2) > 4f * _dvar2))
        {
            Array.Copy(_wfr, _wbr, _wfr.Length);
            Array.Copy(_wfi, _wbi, _wfi.Length);
            Array.Copy(_ef, _eb, n);
            Array.Copy(_yf, _yb, n);
            see = sff;
            syy = 0f;
            sey = 0f;
            for (int i = 0; i < n; i++)
            {
                syy += _yb[i] * _yb[i];
                sey += _eb[i] * _yb[i];
            }
            _davg1 = 0f;
            _davg2 = 0f;
            _dvar1 = 0f;
            _dvar2 = 0f;
        }

        // 6. Learning rate (Valin 2007). E and Y are the spectra of the background error and
        // echo estimate; the leakage (how much of Y remains in E) comes from the correlation of
        // their power fluctuations, and the per-bin step is the residual-echo-to-error ratio.
        Array.Clear(time, 0, n);
        Array.Copy(_eb, 0, time, n, n);
        _fft.Forward(time, _gr, _gi);          // E
        Array.Copy(_yb, 0, time, n, n);
        _fft.Forward(time, _ur, _ui);          // Y
        float peyInst = 0f;
        float pyyInst = 0f;
        for (int f = 0; f < bins; f++)
        {
            float ep = (_gr[f] * _gr[f]) + (_gi[f] * _gi[f]);
            float yp = (_ur[f] * _ur[f]) + (_ui[f] * _ui[f]);
            _tr[f] = ep;
            _ti[f] = yp;
            float de = ep - _eh[f];
            float dy = yp - _yh[f];
            peyInst += de * dy;
            pyyInst += dy * dy;
            _eh[f] += 0.35f * (ep - _eh[f]);
            _yh[f] += 0.35f * (yp - _yh[f]);
        }
        float beta0 = 2f * n / _rate;
        float betaMax = 0.5f * n / _rate;
        float beta = beta0 * syy / (see + 1f);
        if (beta > betaMax)
        {
            beta = betaMax;
        }
        _pey = ((1f - beta) * _pey) + (beta * peyInst);
        _pyy = ((1f - beta) * _pyy) + (beta * pyyInst);
        if (_pyy < 1f)
        {
            _pyy = 1f;
        }
        // The suppressor's leakage has no floor once the filter has adapted: with a converged
        // filter the true leakage is far under MinLeak (about -50 dB), and a floored estimate
        // would suppress the whole near-end noise floor under any far-end activity.
        _peyFree = ((1f - beta) * _peyFree) + (beta * peyInst);
        if (_peyFree < 0f)
        {
            _peyFree = 0f;
        }
        if (_pey < MinLeak * _pyy)
        {
            _pey = MinLeak * _pyy;
        }
        if (_pey > _pyy)
        {
            _pey = _pyy;
        }
        _leak = _pey / _pyy;
        float free = _peyFree / _pyy;
        if (!_adapted && free < MinLeak)
        {
            free = MinLeak;
        }
        _echoLeak = free > 1f ? 1f : free;
        float rer = ((0.0001f * sxx) + (3f * _leak * syy)) / (see + 1f);
        float corr = sey * sey / (1f + (see * syy));
        if (rer < corr)
        {
            rer = corr;
        }
        if (rer > 0.5f)
        {
            rer = 0.5f;
        }
        float regularizer = p * _fftSize * 100f;
        if (!_adapted)
        {
            // Before the leakage estimate means anything: a fixed rate, cut when the error is
            // much larger than the far end (the near end talks from the start).
            float rate = 0f;
            if (sxx > n * 1000f)
            {
                float t = 0.25f * sxx;
                if (t > 0.25f * see)
                {
                    t = 0.25f * see;
                }
                rate = t / (see + 1f);
            }
            _sumAdapt += rate;
            if (_sumAdapt > p)
            {
                _adapted = true;
            }
            for (int f = 0; f < bins; f++)
            {
                float step = 2f * rate / (_sx[f] + regularizer);
                _gr[f] *= step;
                _gi[f] *= step;
            }
        }
        else
        {
            for (int f = 0; f < bins; f++)
            {
                float e = _tr[f] + 1f;
                float r = _leak * _ti[f];
                if (r > 0.5f * e)
                {
                    r = 0.5f * e;
                }
                r = (0.7f * r) + (0.3f * rer * e);
                float step = r / (e * (_sx[f] + regularizer));
                _gr[f] *= step;
                _gi[f] *= step;
            }
        }

        // 7. Adapt the background: W_k += conj(X_k) * step * E, then re-impose the linear
        // convolution constraint (zero the second half of w_k) on two partitions per block in
        // turn (alternately updated MDF), which keeps the cost at two FFT pairs per block.
        // Proportionate step over partitions: a partition's share grows with the size of its
        // weights (plus 10 % of the largest), so the step goes where the echo path has energy.
        float maxNorm = 0f;
        float sumNorm = 0f;
        for (int k = 0; k < p; k++)
        {
            float e2 = 0f;
            int o = k * bins;
            for (int f = 0; f < bins; f++)
            {
                e2 += (_wbr[o + f] * _wbr[o + f]) + (_wbi[o + f] * _wbi[o + f]);
            }
            float norm = MathF.Sqrt(e2);
            _prop[k] = norm;
            if (norm > maxNorm)
            {
                maxNorm = norm;
            }
        }
        for (int k = 0; k < p; k++)
        {
            _prop[k] += (0.1f * maxNorm) + 1f;
            sumNorm += _prop[k];
        }
        for (int k = 0; k < p; k++)
        {
            AecKernels.ConjugateMultiplyAdd(_vectorized, _xr, _xi, Slot(k) * bins, _gr, _gi, 0.99f * p * _prop[k] / sumNorm, _wbr, _wbi, k * bins, bins);
        }
        for (int c = 0; c < 2 && c < p; c++)
        {
            int k = _constrainNext;
            _constrainNext = _constrainNext + 1 == p ? 0 : _constrainNext + 1;
            Array.Copy(_wbr, k * bins, _ur, 0, bins);
            Array.Copy(_wbi, k * bins, _ui, 0, bins);
            _fft.Inverse(_ur, _ui, time);
            Array.Clear(time, n, n);
            _fft.Forward(time, _ur, _ui);
            Array.Copy(_ur, 0, _wbr, k * bins, bins);
            Array.Copy(_ui, 0, _wbi, k * bins, bins);
        }

        // 8. De-emphasis of the foreground error (the linear output) and of its echo estimate.
        for (int i = 0; i < n; i++)
        {
            _deEmphE = _ef[i] + (Preemphasis * _deEmphE);
            _ef[i] = _deEmphE;
            _deEmphY = _yf[i] + (Preemphasis * _deEmphY);
            _yf[i] = _deEmphY;
        }
        Suppress(output, outOffset);
    }

    // Residual echo suppressor and comfort noise on sqrt-Hann windows of 2B, hop B (overlap-add).
    private void Suppress(float[] output, int outOffset)
    {
        int n = _block;
        int bins = _bins;
        float[] time = _time;
        for (int i = 0; i < n; i++)
        {
            time[i] = _window[i] * _ePrev[i];
            time[n + i] = _window[n + i] * _ef[i];
        }
        _fft.Forward(time, _tr, _ti);
        Array.Copy(_ef, _ePrev, n);
        if (_suppression)
        {
            for (int i = 0; i < n; i++)
            {
                time[i] = _window[i] * _yPrev[i];
                time[n + i] = _window[n + i] * _yf[i];
            }
            _fft.Forward(time, _ur, _ui);
            Array.Copy(_yf, _yPrev, n);
            float leak = _echoLeak;
            bool first = !_noiseStarted;
            _noiseStarted = true;
            bool learn = _doubleTalkHold == 0;
            for (int f = 0; f < bins; f++)
            {
                float pe = (_tr[f] * _tr[f]) + (_ti[f] * _ti[f]);
                float py = (_ur[f] * _ur[f]) + (_ui[f] * _ui[f]);
                float ps = first ? pe : _smoothPower[f] + (PowerSmoothing * (pe - _smoothPower[f]));
                _smoothPower[f] = ps;

                // Echo reference: the echo estimate with a decaying memory, smoothed.
                float yr = py;
                float yd = EchoDecay * _echoRef[f];
                if (yr < yd)
                {
                    yr = yd;
                }
                _echoRef[f] = yr;
                float ys = _echoSmooth[f] + (PowerSmoothing * (yr - _echoSmooth[f]));
                _echoSmooth[f] = ys;

                // Near-end noise PSD (MCRA): the minimum decides presence, the mean is the PSD,
                // averaged only where the echo gate is open (see EchoNoiseGate).
                float minimum = _noise[f];
                minimum = ps < minimum ? ps : minimum * MinimumRise;
                _noise[f] = minimum;
                float nn = _noisePsd[f];
                if (first)
                {
                    nn = pe;
                }
                else if (ps < PresenceRatio * minimum)
                {
                    int shut = ys < EchoNoiseGate * minimum ? 0 : _gateShut[f] + 1;
                    if (shut > NoiseGateHoldBlocks)
                    {
                        shut = NoiseGateHoldBlocks;
                    }
                    _gateShut[f] = shut;
                    if (shut == 0 || shut == NoiseGateHoldBlocks)
                    {
                        nn += NoiseStep * (pe - nn);
                    }
                    else if (ps < nn)
                    {
                        nn += NoiseStep * (ps - nn);
                    }
                }
                if (nn > NoiseCap * minimum)
                {
                    nn = NoiseCap * minimum;
                }
                _noisePsd[f] = nn;

                // Residual echo PSD: the per-bin leakage times the echo reference. The leakage is
                // (error - noise) / echo, learned where the echo reference stands 6 dB over the
                // noise and not in double talk (nor 480 ms after it), where the error holds the
                // near talker; it starts at 1 (full suppression until the filter has shown what
                // it removes); far-end single talk uses the upper envelope of the ratio, double
                // talk its mean (see BinLeakStep).
                // The filter's global leakage times the echo estimate is a lower bound that
                // reacts at once to an echo path change, which looks like double talk.
                float bl = _binLeak[f];
                float bp = _binLeakPeak[f];
                if (learn && ys > 4f * nn)
                {
                    float inst = (ps - nn) / ys;
                    int seen = _leakCount[f];
                    float step = BinLeakStep;
                    if (seen < BinLeakWarmup)
                    {
                        step = 1f / (seen + 1);
                        _leakCount[f] = (byte)(seen + 1);
                    }
                    inst = inst < -1f ? -1f : inst > 1f ? 1f : inst;
                    bl += step * (inst - bl);
                    _binLeak[f] = bl;
                    bp += (inst > bp ? BinLeakRise : BinLeakDecay) * (inst - bp);
                    _binLeakPeak[f] = bp;
                }
                if (learn)
                {
                    bl = bp;
                }
                float r = bl > 0f ? bl * yr : 0f;
                float rl = leak * py;
                if (r < rl)
                {
                    r = rl;
                }

                float g = 1f - (OverSubtraction * r / (pe + 1e-3f));
                if (g < 0f)
                {
                    g = 0f;
                }
                // Fast attack, release over a few blocks.
                float gs = _gain[f];
                gs = g < gs ? g : gs + (0.5f * (g - gs));
                _gain[f] = gs;
                // Noise-aware floor: a suppressed bin keeps NoiseFloorShare of the noise power,
                // less where residual echo dominates it (of the smoothed power, so the floor does
                // not flicker with the periodogram).
                bool echoOnly = learn && ys > nn;
                if (gs < 1f || echoOnly)
                {
                    float share = echoOnly ? SingleTalkFloorShare : NoiseFloorShare;
                    float floor = share * nn / (ps + (EchoFloorWeight * r) + 1e-3f);
                    if (floor > 1f)
                    {
                        floor = 1f;
                    }
                    if (echoOnly || gs * gs < floor)
                    {
                        gs = MathF.Sqrt(floor);
                    }
                }
                float outR = gs * _tr[f];
                float outI = gs * _ti[f];
                if (_comfortNoise && gs < 1f)
                {
                    // Top the bin up to the noise level: what the floor left of the power is
                    // g^2 Ps, so the fill is N - g^2 Ps (never above the microphone's own noise).
                    float fill = nn - (gs * gs * ps);
                    if (fill > 0f)
                    {
                        float a = MathF.Sqrt(ComfortNoiseScale * fill);
                        outR += a * NextUniform();
                        outI += a * NextUniform();
                    }
                }
                _tr[f] = outR;
                _ti[f] = outI;
            }
        }
        _fft.Inverse(_tr, _ti, time);
        for (int i = 0; i < n; i++)
        {
            output[outOffset + i] = _olaTail[i] + (_window[i] * time[i]);
            _olaTail[i] = _window[n + i] * time[n + i];
        }
    }

    private float NextUniform()
    {
        _seed = (_seed * 1664525u) + 1013904223u;
        return ((float)(_seed >> 8) - 8388608f) * (1f / 8388608f);
    }

    private int Slot(int k)
    {
        int s = _xHead - k;
        return s < 0 ? s + _partitions : s;
    }

    // time = [block at (delay + 1) ago, block at delay ago] from the far-end line.
    private void LoadFarWindow(int delayBlocks, float[] time)
    {
        int n = _block;
        int newest = _farLineHead - delayBlocks;
        if (newest < 0)
        {
            newest += _farLineBlocks;
        }
        int older = newest == 0 ? _farLineBlocks - 1 : newest - 1;
        Array.Copy(_farLine, older * n, time, 0, n);
        Array.Copy(_farLine, newest * n, time, n, n);
    }

    private void FilterOutput(float[] wr, float[] wi, float[] y)
    {
        int bins = _bins;
        Array.Clear(_ur);
        Array.Clear(_ui);
        for (int k = 0; k < _partitions; k++)
        {
            AecKernels.MultiplyAccumulate(_vectorized, _xr, _xi, Slot(k) * bins, wr, wi, k * bins, _ur, _ui, bins);
        }
        _fft.Inverse(_ur, _ui, _time);
        Array.Copy(_time, _block, y, 0, _block);
    }

    // Moves the far-end delay to newDelay blocks: the filters shift by the change (the echo path
    // they hold moves earlier or later by whole partitions) and the far spectra are rebuilt.
    private void ChangeDelay(int newDelay)
    {
        int shift = newDelay - _delayBlocks;
        int p = _partitions;
        int bins = _bins;
        ShiftFilter(_wbr, _wbi, shift);
        ShiftFilter(_wfr, _wfi, shift);
        _delayBlocks = newDelay;
        // Called before this block's partition 0 is stored: slot (head - k) becomes partition
        // k + 1 once the head advances.
        for (int k = 0; k < p; k++)
        {
            int slot = Slot(k);
            LoadFarWindow(newDelay + k + 1, _time);
            _fft.Forward(_time, _tr, _ti);
            Array.Copy(_tr, 0, _xr, slot * bins, bins);
            Array.Copy(_ti, 0, _xi, slot * bins, bins);
        }
    }

    private void ShiftFilter(float[] wr, float[] wi, int shift)
    {
        int p = _partitions;
        int bins = _bins;
        if (shift > 0)
        {
            for (int k = 0; k < p; k++)
            {
                int from = k + shift;
                if (from < p)
                {
                    Array.Copy(wr, from * bins, wr, k * bins, bins);
                    Array.Copy(wi, from * bins, wi, k * bins, bins);
                }
                else
                {
                    Array.Clear(wr, k * bins, bins);
                    Array.Clear(wi, k * bins, bins);
                }
            }
        }
        else if (shift < 0)
        {
            for (int k = p - 1; k >= 0; k--)
            {
                int from = k + shift;
                if (from >= 0)
                {
                    Array.Copy(wr, from * bins, wr, k * bins, bins);
                    Array.Copy(wi, from * bins, wi, k * bins, bins);
                }
                else
                {
                    Array.Clear(wr, k * bins, bins);
                    Array.Clear(wi, k * bins, bins);
                }
            }
        }
    }
}
