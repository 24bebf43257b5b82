// Echo-canceller test scenarios: image-source rooms, G.168-style signals, echo and metrics.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// Builds the signals an echo canceller is judged on and measures the result. Shared (as a linked
/// source file) by the NUnit quality tests and by tests/tools/Sipwire.AecEval.
/// </summary>
internal sealed class AecScenario
{
    public AecScenario(int sampleRate, short[] far, short[] mic, float[] echo, float[] near, int doubleTalkStart, int doubleTalkEnd, int pathChange)
    {
        SampleRate = sampleRate;
        Far = far;
        Mic = mic;
        Echo = echo;
        Near = near;
        DoubleTalkStart = doubleTalkStart;
        DoubleTalkEnd = doubleTalkEnd;
        PathChange = pathChange;
    }

    public int SampleRate { get; }

    /// <summary>Far-end (loudspeaker) signal.</summary>
    public short[] Far { get; }

    /// <summary>Microphone: echo + near end (noise, and the double talker).</summary>
    public short[] Mic { get; }

    /// <summary>The echo component of the microphone signal.</summary>
    public float[] Echo { get; }

    /// <summary>Everything in the microphone that is not echo.</summary>
    public float[] Near { get; }

    public int DoubleTalkStart { get; }

    public int DoubleTalkEnd { get; }

    /// <summary>Sample where the echo path changes (or -1).</summary>
    public int PathChange { get; }

    /// <summary>Far-end signal kinds (G.168 §6.4: white noise, composite source signal, speech).</summary>
    public enum Source
    {
        WhiteNoise,
        CompositeSource,
        Speech,
    }

    /// <summary>
    /// Room impulse response by the image-source method (Allen and Berkley 1979) for a shoebox
    /// room; wall reflection from Sabine's RT60; fractional delays by a Hann-windowed sinc.
    /// </summary>
    public static float[] RoomImpulseResponse(int sampleRate, double rt60, double[] room, double[] source, double[] receiver, int length)
    {
        const double C = 343.0;
        double volume = room[0] * room[1] * room[2];
        double surface = 2 * ((room[0] * room[1]) + (room[0] * room[2]) + (room[1] * room[2]));
        double alpha = Math.Min(0.99, 0.161 * volume / (surface * rt60));
        double beta = Math.Sqrt(1 - alpha);
        var h = new double[length];
        double maxDist = length * C / sampleRate;
        int[] orders = new int[3];
        for (int a = 0; a < 3; a++)
        {
            orders[a] = (int)Math.Ceiling(maxDist / (2 * room[a])) + 1;
        }
        for (int nx = -orders[0]; nx <= orders[0]; nx++)
        {
            for (int ny = -orders[1]; ny <= orders[1]; ny++)
            {
                for (int nz = -orders[2]; nz <= orders[2]; nz++)
                {
                    for (int q = 0; q < 8; q++)
                    {
                        int qx = q & 1;
                        int qy = (q >> 1) & 1;
                        int qz = (q >> 2) & 1;
                        double ix = ((1 - (2 * qx)) * source[0]) + (2 * nx * room[0]);
                        double iy = ((1 - (2 * qy)) * source[1]) + (2 * ny * room[1]);
                        double iz = ((1 - (2 * qz)) * source[2]) + (2 * nz * room[2]);
                        double dx = ix - receiver[0];
                        double dy = iy - receiver[1];
                        double dz = iz - receiver[2];
                        double dist = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
                        double t = dist / C * sampleRate;
                        if (t >= length - 8)
                        {
                            continue;
                        }
                        int reflections = Math.Abs(nx - qx) + Math.Abs(nx) + Math.Abs(ny - qy) + Math.Abs(ny) + Math.Abs(nz - qz) + Math.Abs(nz);
                        double amp = Math.Pow(beta, reflections) / Math.Max(dist, 0.1);
                        int center = (int)Math.Floor(t);
                        for (int k = center - 7; k <= center + 8; k++)
                        {
                            if (k < 0 || k >= length)
                            {
                                continue;
                            }
                            double x = k - t;
                            double sinc = Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
                            double w = 0.5 + (0.5 * Math.Cos(Math.PI * x / 8.5));
                            h[k] += amp * sinc * w;
                        }
                    }
                }
            }
        }
        var result = new float[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = (float)h[i];
        }
        return result;
    }

    /// <summary>Far-end signal of <paramref name="samples"/> samples at about -21 dBFS rms.</summary>
    public static float[] FarSignal(Source kind, int sampleRate, int samples, int seed, float[]? speech = null)
    {
        var rng = new Random(seed);
        var x = new float[samples];
        switch (kind)
        {
            case Source.WhiteNoise:
                for (int i = 0; i < samples; i++)
                {
                    x[i] = (float)Gaussian(rng);
                }
                break;
            case Source.CompositeSource:
                CompositeSource(x, sampleRate, rng);
                break;
            case Source.Speech:
                if (speech == null || speech.Length == 0)
                {
                    throw new ArgumentException("Speech source needs a recording.", nameof(speech));
                }
                for (int i = 0; i < samples; i++)
                {
                    x[i] = speech[i % speech.Length];
                }
                break;
        }
        Normalize(x, 32768.0 * Math.Pow(10, -21.0 / 20));
        return x;
    }

    // G.168 §6.4.2 / P.501 composite source signal shape: a voiced burst (~48 ms, pitch pulses
    // through formant resonators), an unvoiced pseudo-noise burst (~200 ms), a pause (~100 ms);
    // the sign alternates each period so it has no DC. The parameters are ours, not the ITU table.
    private static void CompositeSource(float[] x, int sampleRate, Random rng)
    {
        int voiced = 48 * sampleRate / 1000;
        int noise = 200 * sampleRate / 1000;
        int pause = 101 * sampleRate / 1000;
        int period = voiced + noise + pause;
        var f1 = new Resonator(700, 130, sampleRate);
        var f2 = new Resonator(1220, 70, sampleRate);
        var f3 = new Resonator(2600, 160, sampleRate);
        double sign = 1;
        for (int start = 0; start < x.Length; start += period)
        {
            double f0 = 110 + (40 * rng.NextDouble());
            int pitch = (int)(sampleRate / f0);
            for (int i = 0; i < period && start + i < x.Length; i++)
            {
                double v = 0;
                if (i < voiced)
                {
                    double pulse = i % pitch == 0 ? 1.0 : 0.0;
                    double a = f1.Step(pulse);
                    double b = f2.Step(a);
                    v = f3.Step(b) * 0.5 * (1 - Math.Cos(2 * Math.PI * i / voiced));
                    v *= 0.02;
                }
                else if (i < voiced + noise)
                {
                    v = Gaussian(rng);
                }
                x[start + i] = (float)(sign * v);
            }
            sign = -sign;
        }
    }

    /// <summary>
    /// Near-end talker for double talk: formant-shaped pulse trains at a 4 Hz syllabic rate
    /// (independent of the far end).
    /// </summary>
    public static float[] NearTalker(int sampleRate, int samples, int seed)
    {
        var rng = new Random(seed);
        var x = new float[samples];
        var f1 = new Resonator(500, 90, sampleRate);
        var f2 = new Resonator(1500, 120, sampleRate);
        int pitch = sampleRate / 180;
        for (int i = 0; i < samples; i++)
        {
            double excitation = (i % pitch == 0 ? 1.0 : 0.0) + (0.05 * Gaussian(rng));
            double env = Math.Max(0, Math.Sin(2 * Math.PI * 4.0 * i / sampleRate));
            x[i] = (float)(f2.Step(f1.Step(excitation)) * env);
        }
        return x;
    }

    /// <summary>
    /// Echo plus near end, with the double talker at -<paramref name="doubleTalkRatioDb"/> below
    /// the echo and the near-end noise <paramref name="noiseDb"/> re the echo: white, or pink
    /// (-3 dB per octave, room-noise-like) when <paramref name="pinkNoise"/> is set. A finite
    /// <paramref name="loudspeakerDb"/> makes the loudspeaker saturate: the room hears
    /// L tanh(x / L), L that many dB over the far end's RMS, while the canceller's reference stays x
    /// (a small loudspeaker driven hard, the echo no linear filter can model).
    /// </summary>
    public static AecScenario Build(int sampleRate, float[] far, float[] rir1, float[]? rir2, int pathChange, int dtStart, int dtEnd, double noiseDb, double doubleTalkRatioDb, int seed, bool pinkNoise = false, double loudspeakerDb = double.PositiveInfinity)
    {
        int n = far.Length;
        float[] driven = far;
        if (double.IsFinite(loudspeakerDb))
        {
            double level = Rms(far) * Math.Pow(10, loudspeakerDb / 20);
            driven = new float[n];
            for (int i = 0; i < n; i++)
            {
                driven[i] = (float)(level * Math.Tanh(far[i] / level));
            }
        }
        var echo = new float[n];
        Convolve(driven, rir1, echo, 0, pathChange < 0 ? n : pathChange);
        if (rir2 != null && pathChange >= 0)
        {
            Convolve(driven, rir2, echo, pathChange, n);
        }
        // ERL 6 dB: echo 6 dB below the far end over the whole file.
        Normalize(echo, Rms(far) * Math.Pow(10, -6.0 / 20), Rms(echo));
        var near = new float[n];
        var rng = new Random(seed);
        double echoRms = Rms(echo);
        double noiseRms = echoRms * Math.Pow(10, noiseDb / 20);
        if (pinkNoise)
        {
            PinkNoise(near, rng);
            Normalize(near, noiseRms);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                near[i] = (float)(Gaussian(rng) * noiseRms);
            }
        }
        if (dtStart >= 0)
        {
            float[] talker = NearTalker(sampleRate, dtEnd - dtStart, seed + 1);
            Normalize(talker, echoRms * Math.Pow(10, -doubleTalkRatioDb / 20));
            for (int i = 0; i < talker.Length; i++)
            {
                near[dtStart + i] += talker[i];
            }
        }
        var farPcm = new short[n];
        var micPcm = new short[n];
        for (int i = 0; i < n; i++)
        {
            farPcm[i] = Clip(far[i]);
            micPcm[i] = Clip(echo[i] + near[i]);
            echo[i] = micPcm[i] - near[i];
        }
        return new AecScenario(sampleRate, farPcm, micPcm, echo, near, dtStart, dtEnd, pathChange);
    }

    /// <summary>Runs a 10 ms frame processor over the whole scenario.</summary>
    public short[] Run(int frame, FrameProcessor process)
    {
        var output = new short[Mic.Length];
        for (int i = 0; i + frame <= Mic.Length; i += frame)
        {
            process(Mic.AsSpan(i, frame), Far.AsSpan(i, frame), output.AsSpan(i, frame));
        }
        return output;
    }

    public delegate void FrameProcessor(ReadOnlySpan<short> mic, ReadOnlySpan<short> far, Span<short> output);

    /// <summary>
    /// ERLE per window: 10 log10(P(echo) / P(out - near)), the output aligned by
    /// <paramref name="latency"/>. Windows with less echo than 30 dB below full scale are NaN.
    /// </summary>
    public double[] Erle(short[] output, int latency, int window)
    {
        var list = new List<double>();
        for (int start = 0; start + window + latency <= Mic.Length; start += window)
        {
            double pe = 0;
            double pr = 0;
            for (int i = start; i < start + window; i++)
            {
                pe += (double)Echo[i] * Echo[i];
                double r = output[i + latency] - Near[i];
                pr += r * r;
            }
            double echoDb = 10 * Math.Log10((pe / window) + 1e-9) - (20 * Math.Log10(32768));
            list.Add(echoDb < -50 ? double.NaN : 10 * Math.Log10((pe + 1e-9) / (pr + 1e-9)));
        }
        return list.ToArray();
    }

    /// <summary>
    /// ERLE per window on the echo alone (ITU-T G.168 §3.4: the attenuation of the echo through
    /// the send path): 10 log10(P(echo) / P(out - G near)), where G is the canceller's own gain on
    /// the near end, estimated by least squares per frequency bin over groups of 8 STFT frames
    /// (256-point Hann, hop 128) inside the window. A canceller is thus neither credited nor penalized for what it
    /// does to the near-end noise it passes through; residual echo and anything it adds (comfort
    /// noise, distortion) count as residual. The projection's bias on a residual independent of
    /// the near end (it removes 1/M of it, M frames per group) is corrected. Windows as <see cref="Erle"/>.
    /// </summary>
    public double[] ErleEcho(short[] output, int latency, int window)
    {
        const int N = StftGroup.N;
        const int Hop = StftGroup.Hop;
        const int M = StftGroup.M;
        const int Bins = StftGroup.Bins;
        var group = new StftGroup();
        var list = new List<double>();
        for (int start = 0; start + window + latency <= Mic.Length; start += window)
        {
            double pt = 0;
            for (int i = start; i < start + window; i++)
            {
                pt += (double)Echo[i] * Echo[i];
            }
            // STFT frames wholly inside the window, in groups of M (the last group takes the
            // remainder), echo and residual in the same Hann-windowed spectrum units.
            int frames = ((window - N) / Hop) + 1;
            double pe = 0;
            double pr = 0;
            for (int g0 = 0; g0 < frames; g0 += M)
            {
                int count = frames - g0 < (2 * M) ? frames - g0 : M;
                group.Clear();
                for (int m = 0; m < count; m++)
                {
                    pe += group.Add(this, output, latency, start + ((g0 + m) * Hop), withEcho: true);
                }
                for (int f = 0; f < Bins; f++)
                {
                    pr += BinWeight(f, Bins) * Math.Max(0, group.Soo[f] - group.Projected(f)) * count / (count - 1);
                }
                if (count > M)
                {
                    break;
                }
            }
            double echoDb = 10 * Math.Log10((pt / window) + 1e-9) - (20 * Math.Log10(32768));
            list.Add(echoDb < -50 || pe <= 0 ? double.NaN : 10 * Math.Log10((pe + 1e-9) / (pr + 1e-9)));
        }
        return list.ToArray();
    }

    /// <summary>
    /// How much of the near-end signal passes, dB: 10 log10(sum |G|^2 P(near) / sum P(near)) over
    /// [<paramref name="from"/>, <paramref name="to"/>) seconds, with G the canceller's per-bin
    /// near-end gain estimated as in <see cref="ErleEcho"/> (least squares per bin over groups of
    /// 8 STFT frames). Residual echo and comfort noise are not near end and do not count: in far-end
    /// single talk this is the noise transparency (0 dB: the background passes untouched).
    /// </summary>
    public double NearEndPassDb(short[] output, int latency, double from, double to)
    {
        const int N = StftGroup.N;
        const int Hop = StftGroup.Hop;
        const int M = StftGroup.M;
        const int Bins = StftGroup.Bins;
        var group = new StftGroup();
        double passed = 0;
        double total = 0;
        int end = (int)(to * SampleRate);
        for (int start = (int)(from * SampleRate); start + (M * Hop) + N + latency <= Math.Min(end, Mic.Length); start += M * Hop)
        {
            group.Clear();
            for (int m = 0; m < M; m++)
            {
                group.Add(this, output, latency, start + (m * Hop), withEcho: false);
            }
            for (int f = 0; f < Bins; f++)
            {
                if (group.Snn[f] > 0)
                {
                    // The projection also takes 1/M of a residual independent of the near end
                    // (its chance correlation); remove that share, as ErleEcho adds it back.
                    double projected = group.Projected(f);
                    passed += BinWeight(f, Bins) * (projected - ((group.Soo[f] - projected) / (M - 1)));
                    total += BinWeight(f, Bins) * group.Snn[f];
                }
            }
        }
        return 10 * Math.Log10((passed + 1e-9) / (total + 1e-9));
    }

    // A group of Hann-windowed STFT frames (256 points, hop 128) of the output and the near end,
    // summed per bin for the least-squares projection of the output onto the near end (the
    // chain's own per-bin near-end gain) that ErleEcho and NearEndPassDb share.
    private sealed class StftGroup
    {
        public const int N = 256;
        public const int Hop = 128;
        public const int M = 8;
        public const int Bins = (N / 2) + 1;
        private readonly double[] _hann = new double[N];
        private readonly double[] _or = new double[N];
        private readonly double[] _oi = new double[N];
        private readonly double[] _nr = new double[N];
        private readonly double[] _ni = new double[N];
        private readonly double[] _er = new double[N];
        private readonly double[] _ei = new double[N];
        private readonly double[] _sr = new double[Bins];
        private readonly double[] _si = new double[Bins];

        public StftGroup()
        {
            for (int i = 0; i < N; i++)
            {
                _hann[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / N));
            }
        }

        /// <summary>Sum of |O|^2 per bin.</summary>
        public double[] Soo { get; } = new double[Bins];

        /// <summary>Sum of |Near|^2 per bin.</summary>
        public double[] Snn { get; } = new double[Bins];


        public void Clear()
        {
            Array.Clear(Soo);
            Array.Clear(Snn);
            Array.Clear(_sr);
            Array.Clear(_si);
        }

        /// <summary>|sum O conj(Near)|^2 / sum |Near|^2: the output power the near end explains.</summary>
        public double Projected(int f) => Snn[f] > 0 ? ((_sr[f] * _sr[f]) + (_si[f] * _si[f])) / Snn[f] : 0;

        /// <summary>
        /// Adds the frame starting at sample <paramref name="at"/> (the output read
        /// <paramref name="latency"/> samples later); returns the frame's bin-weighted echo power
        /// when <paramref name="withEcho"/>, else 0.
        /// </summary>
        public double Add(AecScenario sc, short[] output, int latency, int at, bool withEcho)
        {
            for (int i = 0; i < N; i++)
            {
                _or[i] = _hann[i] * output[at + i + latency];
                _nr[i] = _hann[i] * sc.Near[at + i];
                _oi[i] = 0;
                _ni[i] = 0;
            }
            ComplexFft(_or, _oi);
            ComplexFft(_nr, _ni);
            double echo = 0;
            if (withEcho)
            {
                for (int i = 0; i < N; i++)
                {
                    _er[i] = _hann[i] * sc.Echo[at + i];
                    _ei[i] = 0;
                }
                ComplexFft(_er, _ei);
                for (int f = 0; f < Bins; f++)
                {
                    echo += BinWeight(f, Bins) * ((_er[f] * _er[f]) + (_ei[f] * _ei[f]));
                }
            }
            for (int f = 0; f < Bins; f++)
            {
                Soo[f] += (_or[f] * _or[f]) + (_oi[f] * _oi[f]);
                Snn[f] += (_nr[f] * _nr[f]) + (_ni[f] * _ni[f]);
                _sr[f] += (_or[f] * _nr[f]) + (_oi[f] * _ni[f]);
                _si[f] += (_oi[f] * _nr[f]) - (_or[f] * _ni[f]);
            }
            return echo;
        }
    }

    // One-sided spectrum: DC and Nyquist count once, every other bin twice (its mirror).
    private static double BinWeight(int f, int bins) => f == 0 || f == bins - 1 ? 0.5 : 1.0;

    // In-place radix-2 complex FFT (double), for the metric only: independent of the kernels under test.
    internal static void ComplexFft(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len)
            {
                for (int k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(ang * k);
                    double wi = Math.Sin(ang * k);
                    int a = i + k;
                    int b = a + (len / 2);
                    double xr = (re[b] * wr) - (im[b] * wi);
                    double xi = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /// <summary>Seconds until the ERLE (per <paramref name="window"/>) first stays at or above <paramref name="db"/> for 1 s.</summary>
    public static double TimeTo(double[] erle, int window, int sampleRate, double db)
    {
        int hold = Math.Max(1, sampleRate / window);
        for (int i = 0; i + hold <= erle.Length; i++)
        {
            bool ok = true;
            for (int j = i; j < i + hold; j++)
            {
                if (!(erle[j] >= db) && !double.IsNaN(erle[j]))
                {
                    ok = false;
                    break;
                }
            }
            if (ok)
            {
                return (double)i * window / sampleRate;
            }
        }
        return double.PositiveInfinity;
    }

    /// <summary>Mean ERLE in dB (power average) over [from, to) seconds.</summary>
    public static double MeanErle(double[] erle, int window, int sampleRate, double from, double to)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < erle.Length; i++)
        {
            double t = (double)i * window / sampleRate;
            if (t >= from && t < to && !double.IsNaN(erle[i]))
            {
                sum += Math.Pow(10, -erle[i] / 10);
                count++;
            }
        }
        return count == 0 ? double.NaN : -10 * Math.Log10(sum / count);
    }

    /// <summary>
    /// Near-end gain in double talk, dB: the least-squares gain of the near-end signal in the
    /// aligned output over the double-talk span (0 dB = untouched; negative = attenuated).
    /// </summary>
    public double NearEndGainDb(short[] output, int latency)
    {
        double cross = 0;
        double power = 0;
        for (int i = DoubleTalkStart; i < DoubleTalkEnd && i + latency < output.Length; i++)
        {
            cross += Near[i] * (double)output[i + latency];
            power += (double)Near[i] * Near[i];
        }
        return 20 * Math.Log10(Math.Max(cross, 1e-9) / power);
    }

    /// <summary>Output lag (0..maxLag) that best aligns the output with the microphone's near end.</summary>
    public int BestLatency(short[] output, int maxLag)
    {
        int best = 0;
        double bestCross = double.NegativeInfinity;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double cross = 0;
            for (int i = DoubleTalkStart; i < DoubleTalkEnd && i + lag < output.Length; i++)
            {
                cross += Near[i] * (double)output[i + lag];
            }
            if (cross > bestCross)
            {
                bestCross = cross;
                best = lag;
            }
        }
        return best;
    }

    private static void Convolve(float[] x, float[] h, float[] y, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            double s = 0;
            int kmax = Math.Min(h.Length - 1, i);
            for (int k = 0; k <= kmax; k++)
            {
                s += h[k] * (double)x[i - k];
            }
            y[i] = (float)s;
        }
    }

    private static double Rms(float[] x)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += (double)v * v;
        }
        return Math.Sqrt(s / Math.Max(1, x.Length));
    }

    private static void Normalize(float[] x, double targetRms, double currentRms = -1)
    {
        double rms = currentRms > 0 ? currentRms : Rms(x);
        if (rms <= 0)
        {
            return;
        }
        float g = (float)(targetRms / rms);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= g;
        }
    }

    private static short Clip(double v)
    {
        double r = Math.Round(v);
        return r > 32767 ? (short)32767 : r < -32768 ? (short)-32768 : (short)r;
    }

    // Pink noise by the Voss-McCartney method: 16 Gaussian rows, row k drawn anew every 2^k
    // samples (the row picked by the number of trailing zeros of the sample index), plus a white
    // row every sample; the sum falls 3 dB per octave from 16 Hz-ish upwards.
    private static void PinkNoise(float[] x, Random rng)
    {
        const int Rows = 16;
        var rows = new double[Rows];
        double sum = 0;
        for (int k = 0; k < Rows; k++)
        {
            rows[k] = Gaussian(rng);
            sum += rows[k];
        }
        for (int i = 0; i < x.Length; i++)
        {
            if (i > 0)
            {
                int k = System.Numerics.BitOperations.TrailingZeroCount(i);
                if (k < Rows)
                {
                    sum -= rows[k];
                    rows[k] = Gaussian(rng);
                    sum += rows[k];
                }
            }
            x[i] = (float)(sum + Gaussian(rng));
        }
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class Resonator
    {
        private readonly double _a1;
        private readonly double _a2;
        private readonly double _g;
        private double _y1;
        private double _y2;

        public Resonator(double freq, double bandwidth, int sampleRate)
        {
            double r = Math.Exp(-Math.PI * bandwidth / sampleRate);
            _a1 = 2 * r * Math.Cos(2 * Math.PI * freq / sampleRate);
            _a2 = -r * r;
            _g = 1 - r;
        }

        public double Step(double x)
        {
            double y = (_g * x) + (_a1 * _y1) + (_a2 * _y2);
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}
