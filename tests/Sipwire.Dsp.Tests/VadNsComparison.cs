// Vad and NoiseSuppressor against SpeexDSP's preprocessor on espeak-ng speech in white, pink and babble noise.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Sipwire.Dsp.Audio;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// Builds the noisy test signals and scores both voice activity detectors and both noise
/// suppressors on them. Shared (as a linked source file) by the NUnit comparison test and by
/// tests/tools/Sipwire.VadNsEval.
/// </summary>
/// <remarks>
/// <para>Speech: espeak-ng (en-us, 150 words/min) resampled by sox, normalised to an active speech
/// level of -26 dBov (ITU-T P.56's nominal level, here measured simply as the mean power of the
/// labelled speech frames), preceded by 1 s of noise alone so both noise estimators start on noise.
/// </para>
/// <para>Labels (the truth for the VAD): a 10 ms frame of the clean speech is speech when its power
/// is within 30 dB of the 95th-percentile frame power; espeak-ng's pauses are digital silence, so
/// the labels are unambiguous except at word edges.</para>
/// <para>VAD scores: accuracy over all frames, speech missed (speech frames called noise, as a share
/// of speech frames) and false alarm (noise frames called speech, as a share of noise frames). A
/// detector with a hangover pays for it in false alarms; both are scored frame by frame without
/// allowance.</para>
/// <para>NS scores, output aligned by its latency (the lag of best correlation with the clean
/// speech): segmental SNR gain (mean over speech frames of 10 log10 of clean power over the power of
/// output minus clean, each clamped to -10..35 dB, output minus noisy input), noise reduction in the
/// pauses (noisy power over output power in the noise frames after the first second) and speech
/// level change (least-squares gain of the clean speech in the output, dB; 0 = untouched).</para>
/// </remarks>
public static class VadNsComparison
{
    /// <summary>A short text (about 3 s) for the tests.</summary>
    public const string ShortText = "Please call me back tomorrow morning at nine.";

    /// <summary>The evaluation text (about 12 s).</summary>
    public const string LongText = "The quick brown fox jumps over the lazy dog. Please call me back tomorrow morning at nine, " +
        "and bring the schedule for the meeting with the engineers. Seven hundred and forty two kilobytes of firmware fit in the flash of this little telephone adapter.";

    private const double ActiveLevelDbov = -26;
    private const double LabelSpanDb = 30;

    /// <summary>Noise kinds.</summary>
    public enum NoiseKind
    {
        /// <summary>White Gaussian noise.</summary>
        White,

        /// <summary>Pink (-3 dB per octave) noise, Kellet's three-pole filter on white noise.</summary>
        Pink,

        /// <summary>Babble-like: six copies of the same speech at random offsets and gains (non-stationary, speech-shaped).</summary>
        Babble,
    }

    /// <summary>espeak-ng speech at <paramref name="rate"/> with 1 s of silence in front, cached in <paramref name="dir"/>.</summary>
    public static short[] Speech(int rate, string text, string dir)
    {
        Directory.CreateDirectory(dir);
        string name = $"espeak-{rate}-{(uint)StableHash(text):x8}.wav";
        string path = Path.Combine(dir, name);
        if (!File.Exists(path))
        {
            string raw = Path.Combine(dir, $"raw-{Environment.ProcessId}-{name}");
            string tmp = Path.Combine(dir, $"tmp-{Environment.ProcessId}-{name}");
            RunTool("espeak-ng", ["-v", "en-us", "-s", "150", "-w", raw, text]);
            RunTool("sox", [raw, "-r", rate.ToString(CultureInfo.InvariantCulture), "-b", "16", "-c", "1", tmp]);
            File.Delete(raw);
            File.Move(tmp, path, overwrite: true);
        }
        short[] pcm = WavFile.Read(path, out int fileRate);
        if (fileRate != rate)
        {
            throw new InvalidDataException($"{path}: {fileRate} Hz, expected {rate} Hz.");
        }
        var x = new short[rate + pcm.Length];
        Array.Copy(pcm, 0, x, rate, pcm.Length);
        return x;
    }

    /// <summary>Speech labels per 10 ms frame (see the remarks).</summary>
    public static bool[] Labels(ReadOnlySpan<float> clean, int frame)
    {
        int frames = clean.Length / frame;
        var db = new double[frames];
        for (int t = 0; t < frames; t++)
        {
            db[t] = FrameDb(clean.Slice(t * frame, frame));
        }
        var sorted = (double[])db.Clone();
        Array.Sort(sorted);
        double reference = sorted[(int)(0.95 * (frames - 1))];
        var labels = new bool[frames];
        for (int t = 0; t < frames; t++)
        {
            labels[t] = db[t] > reference - LabelSpanDb;
        }
        return labels;
    }

    /// <summary>Noise of <paramref name="n"/> samples (unit-ish power; scaled by <see cref="Mix"/>).</summary>
    public static float[] Noise(NoiseKind kind, short[] speech, int rate, int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        switch (kind)
        {
            case NoiseKind.White:
                for (int i = 0; i < n; i++)
                {
                    x[i] = (float)Gaussian(rng);
                }
                break;
            case NoiseKind.Pink:
                double b0 = 0;
                double b1 = 0;
                double b2 = 0;
                for (int i = 0; i < n; i++)
                {
                    double w = Gaussian(rng);
                    b0 = (0.99765 * b0) + (w * 0.0990460);
                    b1 = (0.96300 * b1) + (w * 0.2965164);
                    b2 = (0.57000 * b2) + (w * 1.0526913);
                    x[i] = (float)(b0 + b1 + b2 + (w * 0.1848));
                }
                break;
            default:
                // Talkers start at random points of the speech (past the lead-in), wrapping around.
                int body = speech.Length - rate;
                for (int talker = 0; talker < 6; talker++)
                {
                    int offset = rng.Next(body);
                    double gain = 0.5 + (0.5 * rng.NextDouble());
                    for (int i = 0; i < n; i++)
                    {
                        x[i] += (float)(gain * speech[rate + ((offset + i) % body)]);
                    }
                }
                break;
        }
        return x;
    }

    /// <summary>Speech scaled to -26 dBov active level, and noise scaled to <paramref name="snrDb"/> under it.</summary>
    public static (short[] Noisy, float[] Clean) Mix(short[] speech, float[] noise, double snrDb, int frame)
    {
        int n = speech.Length;
        var clean = new float[n];
        for (int i = 0; i < n; i++)
        {
            clean[i] = speech[i];
        }
        bool[] labels = Labels(clean, frame);
        double active = ActivePower(clean, labels, frame);
        double fullScale = 32768.0 * 32768.0;
        float g = (float)Math.Sqrt(fullScale * Math.Pow(10, ActiveLevelDbov / 10) / active);
        for (int i = 0; i < n; i++)
        {
            clean[i] *= g;
        }
        double noisePower = 0;
        for (int i = 0; i < n; i++)
        {
            noisePower += (double)noise[i] * noise[i];
        }
        noisePower /= n;
        double target = fullScale * Math.Pow(10, (ActiveLevelDbov - snrDb) / 10);
        float gn = (float)Math.Sqrt(target / noisePower);
        var noisy = new short[n];
        for (int i = 0; i < n; i++)
        {
            noisy[i] = (short)Math.Clamp(Math.Round(clean[i] + (gn * noise[i])), short.MinValue, short.MaxValue);
        }
        return (noisy, clean);
    }

    /// <summary>Runs both VADs and both suppressors on one mixture and scores them.</summary>
    public static Result Compare(int rate, short[] speech, NoiseKind kind, double snrDb, int seed)
    {
        int frame = rate / 100;
        float[] noise = Noise(kind, speech, rate, speech.Length, seed);
        (short[] noisy, float[] clean) = Mix(speech, noise, snrDb, frame);
        bool[] labels = Labels(clean, frame);
        int frames = labels.Length;
        int n = frames * frame;

        var vad = new Vad(rate);
        var ns = new NoiseSuppressor(rate);
        using var speex = new SpeexPreprocessor(rate, vad: true, denoise: true);
        var ourVad = new bool[frames];
        var speexVad = new bool[frames];
        var ourOut = new short[n];
        var speexOut = new short[n];
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<short> input = noisy.AsSpan(t * frame, frame);
            ourVad[t] = vad.Process(input);
            ns.Process(input, ourOut.AsSpan(t * frame, frame));
            input.CopyTo(speexOut.AsSpan(t * frame, frame));
            speexVad[t] = speex.Process(speexOut.AsSpan(t * frame, frame));
        }
        return new Result(kind, snrDb, rate,
            ScoreVad(ourVad, labels), ScoreVad(speexVad, labels),
            ScoreNs(ourOut, noisy, clean, labels, frame, rate), ScoreNs(speexOut, noisy, clean, labels, frame, rate));
    }

    /// <summary>Frame decisions against the labels.</summary>
    public static VadScore ScoreVad(bool[] decisions, bool[] labels)
    {
        int speech = 0;
        int noise = 0;
        int missed = 0;
        int falseAlarm = 0;
        for (int t = 0; t < labels.Length; t++)
        {
            if (labels[t])
            {
                speech++;
                missed += decisions[t] ? 0 : 1;
            }
            else
            {
                noise++;
                falseAlarm += decisions[t] ? 1 : 0;
            }
        }
        return new VadScore(
            1.0 - ((double)(missed + falseAlarm) / labels.Length),
            speech == 0 ? 0 : (double)missed / speech,
            noise == 0 ? 0 : (double)falseAlarm / noise);
    }

    /// <summary>Suppressor output against the clean speech and the noisy input (see the remarks).</summary>
    public static NsScore ScoreNs(short[] output, short[] noisy, float[] clean, bool[] labels, int frame, int rate)
    {
        int latency = BestLag(output, clean, 3 * frame);
        double before = SegmentalSnr(noisy, 0, clean, labels, frame);
        double after = SegmentalSnr(output, latency, clean, labels, frame);
        double pauseIn = 0;
        double pauseOut = 0;
        double cross = 0;
        double speechPower = 0;
        for (int t = 0; t < labels.Length; t++)
        {
            for (int i = t * frame; i < (t + 1) * frame && i + latency < output.Length; i++)
            {
                double y = output[i + latency];
                if (labels[t])
                {
                    cross += clean[i] * y;
                    speechPower += (double)clean[i] * clean[i];
                }
                else if (i >= rate)
                {
                    pauseIn += (double)noisy[i] * noisy[i];
                    pauseOut += y * y;
                }
            }
        }
        return new NsScore(after - before, 10 * Math.Log10((pauseIn + 1) / (pauseOut + 1)),
            20 * Math.Log10(Math.Max(cross, 1e-9) / speechPower), latency);
    }

    private static double SegmentalSnr(short[] y, int latency, float[] clean, bool[] labels, int frame)
    {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < labels.Length; t++)
        {
            if (!labels[t] || ((t + 1) * frame) + latency > y.Length)
            {
                continue;
            }
            double s = 0;
            double e = 0;
            for (int i = t * frame; i < (t + 1) * frame; i++)
            {
                double d = y[i + latency] - clean[i];
                s += (double)clean[i] * clean[i];
                e += d * d;
            }
            sum += Math.Clamp(10 * Math.Log10((s + 1e-9) / (e + 1e-9)), -10, 35);
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    private static int BestLag(short[] y, float[] clean, int maxLag)
    {
        int best = 0;
        double bestCross = double.NegativeInfinity;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double c = 0;
            for (int i = 0; i + lag < y.Length && i < clean.Length; i++)
            {
                c += clean[i] * (double)y[i + lag];
            }
            if (c > bestCross)
            {
                bestCross = c;
                best = lag;
            }
        }
        return best;
    }

    private static double ActivePower(float[] x, bool[] labels, int frame)
    {
        double s = 0;
        int count = 0;
        for (int t = 0; t < labels.Length; t++)
        {
            if (labels[t])
            {
                for (int i = t * frame; i < (t + 1) * frame; i++)
                {
                    s += (double)x[i] * x[i];
                }
                count += frame;
            }
        }
        return s / Math.Max(1, count);
    }

    private static double FrameDb(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += (double)v * v;
        }
        return 10 * Math.Log10((s / x.Length) + 1e-3);
    }

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char c in s)
        {
            h = (h * 31) + c;
        }
        return h;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void RunTool(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file} (apt-get install -y espeak-ng sox).");
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {err}");
        }
    }

    /// <summary>Frame-level VAD scores (shares of 1).</summary>
    public sealed record VadScore(double Accuracy, double Missed, double FalseAlarm);

    /// <summary>Suppressor scores in dB, and the output latency found, in samples.</summary>
    public sealed record NsScore(double SegSnrGainDb, double PauseNoiseReductionDb, double SpeechLevelDb, int Latency);

    /// <summary>One mixture's scores.</summary>
    public sealed record Result(NoiseKind Noise, double SnrDb, int Rate, VadScore OurVad, VadScore SpeexVad, NsScore OurNs, NsScore SpeexNs);
}
