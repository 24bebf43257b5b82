// Runs every canceller on one scenario and reports ERLE, convergence, double talk and CPU.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Sipwire.Dsp;
using Sipwire.Dsp.Audio;
using Sipwire.Dsp.Tests;

namespace Sipwire.AecEval;

internal static class Evaluation
{
    internal sealed record Result(string Name, double[] Erle, double[] ErleEcho, int Latency, double SteadyDb, double SteadyEchoDb, double To10, double To20, double NearGainDb, double AfterDtDb, double AfterDtEchoDb, double Reconverge20, double CpuUsPerFrame, short[] Output);

    public static bool RunAll(int rate, int tailMs, int maxDelayMs, double seconds, string source, string? speechPath, double rt60, double noiseDb, bool pink, double loudspeakerDb, string outDir)
    {
        int n = (int)(seconds * rate);
        int frame = rate / 100;
        n -= n % frame;
        AecScenario.Source kind = source switch
        {
            "white" => AecScenario.Source.WhiteNoise,
            "css" => AecScenario.Source.CompositeSource,
            "speech" => AecScenario.Source.Speech,
            _ => throw new ArgumentException($"unknown source {source} (white, css, speech)"),
        };
        float[]? speech = null;
        if (kind == AecScenario.Source.Speech)
        {
            speech = LoadSpeech(speechPath, rate, outDir);
        }
        float[] far = AecScenario.FarSignal(kind, rate, n, 1, speech);
        double[] room = [4.2, 3.4, 2.7];
        float[] rir1 = AecScenario.RoomImpulseResponse(rate, rt60, room, [1.2, 1.5, 1.1], [1.5, 1.7, 1.2], rate / 2);
        float[] rir2 = AecScenario.RoomImpulseResponse(rate, rt60, room, [1.2, 1.5, 1.1], [2.0, 1.4, 1.3], rate / 2);
        int dtStart = (int)(0.5 * n);
        int dtEnd = (int)(0.625 * n);
        int change = (int)(0.75 * n);
        var sc = AecScenario.Build(rate, far, rir1, rir2, change, dtStart, dtEnd, noiseDb, 0, 7, pink, loudspeakerDb);
        WavFile.Write(Path.Combine(outDir, "far.wav"), sc.Far, rate);
        WavFile.Write(Path.Combine(outDir, "mic.wav"), sc.Mic, rate);
        int tail = tailMs * rate / 1000;
        int window = rate / 2;
        var results = new List<Result>();
        WarmUp(sc, frame, rate, tailMs);

        using (var sp = new SpeexBaseline(frame, tail, rate, SpeexBaseline.Chain.EchoCanceller))
        {
            results.Add(Measure("speexdsp-mdf", sc, frame, 0, window, sp.Process));
        }
        using (var sp = new SpeexBaseline(frame, tail, rate, SpeexBaseline.Chain.Preprocess))
        {
            results.Add(Measure("speexdsp-mdf+preprocess", sc, frame, -1, window, sp.Process));
        }
        using (var sp = new SpeexBaseline(frame, tail, rate, SpeexBaseline.Chain.ResidualEchoOnly))
        {
            results.Add(Measure("speexdsp-mdf+res", sc, frame, -1, window, sp.Process));
        }
        var linear = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, MaxDelayMs = maxDelayMs, Suppression = false });
        results.Add(Measure("sipwire-linear", sc, frame, linear.Latency, window, linear.Process));
        var scalar = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, MaxDelayMs = maxDelayMs, Vectorized = false });
        results.Add(Measure("sipwire-scalar", sc, frame, scalar.Latency, window, scalar.Process));
        using (var c = new NativeCanceller(rate, tailMs, maxDelayMs))
        {
            results.Add(Measure("sipwire-c", sc, frame, 2 * (rate == 8000 ? 64 : 128), window, c.Process));
        }
        var noCn = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, MaxDelayMs = maxDelayMs, ComfortNoise = false });
        Result withoutCn = Measure("sipwire-no-cn", sc, frame, noCn.Latency, window, noCn.Process);
        results.Add(withoutCn);
        var full = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, MaxDelayMs = maxDelayMs });
        Result ours = Measure("sipwire", sc, frame, full.Latency, window, full.Process, Path.Combine(outDir, "out.wav"));
        results.Add(ours);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"scenario: {source}, {rate} Hz, {seconds} s, tail {tailMs} ms, RT60 {rt60} s, ERL 6 dB, near-end noise {noiseDb} dB re echo ({(pink ? "pink" : "white")}), double talk {dtStart / (double)rate:F1}-{dtEnd / (double)rate:F1} s (0 dB), path change at {change / (double)rate:F1} s");
        text.AppendLine("ERLE_echo: G.168 ERLE on the echo alone, out - G*near with the canceller's own per-bin gain G on the near end (AecScenario.ErleEcho);");
        text.AppendLine("ERLE_ss:   out - near, which also charges a canceller for every change to the near-end noise (suppressing it or replacing it).");
        text.AppendLine("speexdsp-mdf+preprocess: SpeexDSP's preprocessor with the echo state (residual echo suppression) and its default -15 dB noise suppression;");
        text.AppendLine("speexdsp-mdf+res:        the same with the noise suppression limit at 0 dB (residual echo suppression only);");
        text.AppendLine("sipwire-no-cn:           our chain with comfort noise off = our full output minus its comfort noise (added after every decision, fed back nowhere): the echo that reaches the far end.");
        text.AppendLine("canceller                   latency  ERLE_echo  ERLE_ss  t10    t20    DT_gain  postDT_echo  postDT_ss  reconv20  cpu_us/frame");
        foreach (Result r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Name,-27} {r.Latency,7} {r.SteadyEchoDb,9:F1}  {r.SteadyDb,7:F1}  {r.To10,5:F1}  {r.To20,5:F1}  {r.NearGainDb,7:F2}  {r.AfterDtEchoDb,11:F1}  {r.AfterDtDb,9:F1}  {r.Reconverge20,8:F1}  {r.CpuUsPerFrame,8:F1}");
        }
        // Where the output power goes in the steady state (far-end single talk, 30 % of the run to
        // the double talk), dB relative to the echo: the near-end noise in the microphone, the
        // comfort noise we inject (full output minus the same run without comfort noise: the
        // noise is added after every decision, so the difference is exactly the injected noise),
        // and the residual of each output by both metrics.
        double from = 0.3 * seconds;
        double to = (double)dtStart / rate;
        short[] cn = new short[ours.Output.Length];
        for (int i = 0; i < cn.Length; i++)
        {
            cn[i] = (short)Math.Clamp(ours.Output[i] - withoutCn.Output[i], short.MinValue, short.MaxValue);
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"steady-state power split, dB re echo ({from:F1}-{to:F1} s):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  near-end noise in the microphone       {-PowerRatioDb(sc.Echo, sc.Near, 0, rate, from, to),7:F1}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  sipwire comfort noise injected         {-PowerRatioDb(sc.Echo, cn, ours.Latency, rate, from, to),7:F1}");
        // Where the suppressor removed everything (the no-comfort-noise output is digital silence
        // for a whole 10 ms frame), the comfort noise should match the near-end noise it replaces.
        double cnGated = 0;
        double nearGated = 0;
        for (int i = (int)(from * rate); i + frame <= (int)(to * rate) && i + frame + ours.Latency <= cn.Length; i += frame)
        {
            bool silent = true;
            for (int j = i; j < i + frame && silent; j++)
            {
                silent = withoutCn.Output[j + ours.Latency] == 0;
            }
            if (silent)
            {
                for (int j = i; j < i + frame; j++)
                {
                    cnGated += (double)cn[j + ours.Latency] * cn[j + ours.Latency];
                    nearGated += (double)sc.Near[j] * sc.Near[j];
                }
            }
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"  comfort noise vs near-end noise where fully suppressed {10 * Math.Log10((cnGated + 1e-9) / (nearGated + 1e-9)),6:F1} dB");
        foreach (Result r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {r.Name,-27} out-near {-r.SteadyDb,7:F1}   out-G*near {-r.SteadyEchoDb,7:F1}");
        }
        // Noise transparency: what a listener hears of the near-end background in far-end single
        // talk, output power (noise, residual echo and comfort noise alike) re the near-end noise in
        // the microphone over the same span (0 dB = the background passes unchanged; a mute is
        // -inf; a noise suppressor shows its attenuation here).
        // Second column: the near-end noise alone as it passes, |G|^2 P(near) / P(near) with the
        // chain's own per-bin gain G (AecScenario.NearEndPassDb): residual echo and comfort noise
        // excluded, so a noise suppressor or a mute shows here and nothing else does.
        text.AppendLine(CultureInfo.InvariantCulture, $"noise transparency in far-end single talk ({from:F1}-{to:F1} s), dB re the near-end noise in the microphone:");
        text.AppendLine("  canceller                   output (all)  near-end noise passed");
        foreach (Result r in results)
        {
            double outDb = -PowerRatioDb(sc.Near, r.Output, r.Latency, rate, from, to);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {r.Name,-27} {outDb,12:F1}  {sc.NearEndPassDb(r.Output, r.Latency, from, to),20:F1}");
        }
        // What a far-end listener hears in far-end single talk: the residual echo (the residual of
        // the echo-only ERLE; ours without its comfort noise, whose decisions are the same) and the
        // background the chain sends (the near-end noise it passes; ours plus its comfort noise),
        // both re the microphone's noise, and their ratio: negative, the echo lies under the
        // background it rides on; positive, it stands out of it.
        double echoReNear = PowerRatioDb(sc.Echo, sc.Near, 0, rate, from, to);
        double cnReNear = -PowerRatioDb(sc.Near, cn, ours.Latency, rate, from, to);
        text.AppendLine(CultureInfo.InvariantCulture, $"residual echo against the background sent in far-end single talk ({from:F1}-{to:F1} s), dB re the near-end noise in the microphone:");
        text.AppendLine("  canceller                   residual echo  background  echo-to-background");
        foreach (Result r in results)
        {
            if (r.Name is "sipwire-scalar" or "sipwire-c" or "sipwire-no-cn")
            {
                continue; // the same samples as sipwire, or its echo part
            }
            double residual = echoReNear - (r == ours ? withoutCn : r).SteadyEchoDb;
            double passed = sc.NearEndPassDb(r.Output, r.Latency, from, to);
            double background = r == ours ? 10 * Math.Log10(Math.Pow(10, passed / 10) + Math.Pow(10, cnReNear / 10)) : passed;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {r.Name,-27} {residual,13:F1}  {background,10:F1}  {residual - background,18:F1}");
        }
        Console.Write(text.ToString());
        File.WriteAllText(Path.Combine(outDir, "summary.txt"), text.ToString());
        var csv = new StringBuilder("time_s");
        foreach (Result r in results)
        {
            csv.Append(',').Append(r.Name).Append(',').Append(r.Name).Append("-echo");
        }
        csv.AppendLine();
        for (int i = 0; i < results[0].Erle.Length; i++)
        {
            csv.Append(((double)i * window / rate).ToString("F2", CultureInfo.InvariantCulture));
            foreach (Result r in results)
            {
                csv.Append(',').Append(i < r.Erle.Length ? r.Erle[i].ToString("F2", CultureInfo.InvariantCulture) : string.Empty);
                csv.Append(',').Append(i < r.ErleEcho.Length ? r.ErleEcho[i].ToString("F2", CultureInfo.InvariantCulture) : string.Empty);
            }
            csv.AppendLine();
        }
        File.WriteAllText(Path.Combine(outDir, "erle.csv"), csv.ToString());
        ErlePlot.Save(Path.Combine(outDir, "erle.png"), results, window, rate, dtStart, dtEnd, change, $"ERLE over time - {source}, {rate} Hz, tail {tailMs} ms, RT60 {rt60} s");
        return true;
    }

    // Runs each managed path over 5 s first so tiered JIT compilation is not charged to the
    // measured run (the CPU column is thread CPU time of the processing loop).
    private static void WarmUp(AecScenario sc, int frame, int rate, int tailMs)
    {
        var output = new short[frame];
        foreach (bool vectorized in new[] { false, true })
        {
            var aec = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, Vectorized = vectorized });
            var linear = new EchoCanceller(new EchoCancellerOptions { SampleRate = rate, TailMs = tailMs, Vectorized = vectorized, Suppression = false });
            for (int i = 0; i + frame <= Math.Min(sc.Mic.Length, 5 * rate); i += frame)
            {
                aec.Process(sc.Mic.AsSpan(i, frame), sc.Far.AsSpan(i, frame), output);
                linear.Process(sc.Mic.AsSpan(i, frame), sc.Far.AsSpan(i, frame), output);
            }
        }
    }

    private static Result Measure(string name, AecScenario sc, int frame, int latency, int window, AecScenario.FrameProcessor process, string? wavPath = null)
    {
        long cpu0 = SpeexBaseline.ThreadCpuNs();
        short[] output = sc.Run(frame, process);
        long cpu1 = SpeexBaseline.ThreadCpuNs();
        int rate = sc.SampleRate;
        if (latency < 0)
        {
            latency = sc.BestLatency(output, 4 * frame);
        }
        double[] erle = sc.Erle(output, latency, window);
        double[] erleEcho = sc.ErleEcho(output, latency, window);
        double total = (double)sc.Mic.Length / rate;
        double dtFrom = (double)sc.DoubleTalkStart / rate;
        double dtTo = (double)sc.DoubleTalkEnd / rate;
        double change = (double)sc.PathChange / rate;
        double steady = AecScenario.MeanErle(erle, window, rate, 0.3 * total, dtFrom);
        double to10 = AecScenario.TimeTo(erle, window, rate, 10);
        double to20 = AecScenario.TimeTo(erle, window, rate, 20);
        double after = AecScenario.MeanErle(erle, window, rate, dtTo + 0.5, change);
        double steadyEcho = AecScenario.MeanErle(erleEcho, window, rate, 0.3 * total, dtFrom);
        double afterEcho = AecScenario.MeanErle(erleEcho, window, rate, dtTo + 0.5, change);
        int changeWindow = sc.PathChange / window;
        double reconv = AecScenario.TimeTo(erle[changeWindow..], window, rate, 20);
        double gain = sc.NearEndGainDb(output, latency);
        double frames = sc.Mic.Length / frame;
        if (wavPath != null)
        {
            WavFile.Write(wavPath, output, rate);
        }
        return new Result(name, erle, erleEcho, latency, steady, steadyEcho, to10, to20, gain, after, afterEcho, reconv, (cpu1 - cpu0) / 1000.0 / frames, output);
    }

    // 10 log10(P(a) / P(b)) over [from, to) seconds, b read latency samples later than a.
    private static double PowerRatioDb(float[] a, ReadOnlySpan<short> b, int latency, int rate, double from, double to)
    {
        var f = new float[b.Length];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = b[i];
        }
        return PowerRatioDb(a, f, latency, rate, from, to);
    }

    private static double PowerRatioDb(float[] a, float[] b, int latency, int rate, double from, double to)
    {
        double pa = 0;
        double pb = 0;
        for (int i = (int)(from * rate); i < (int)(to * rate) && i + latency < b.Length; i++)
        {
            pa += (double)a[i] * a[i];
            pb += (double)b[i + latency] * b[i + latency];
        }
        return 10 * Math.Log10((pa + 1e-9) / (pb + 1e-9));
    }

    private static float[] LoadSpeech(string? path, int rate, string outDir)
    {
        if (path == null)
        {
            path = Path.Combine(outDir, $"speech{rate}.wav");
            if (!File.Exists(path))
            {
                string raw = Path.Combine(outDir, "espeak.wav");
                const string Text = "The quick brown fox jumps over the lazy dog. A speakerphone without an echo canceller is unusable. " +
                    "Please call me back tomorrow morning at nine, and bring the schedule for the meeting with the engineers. " +
                    "Seven hundred and forty two kilobytes of firmware fit in the flash of this little telephone adapter.";
                RunTool("espeak-ng", ["-v", "en-us", "-s", "150", "-w", raw, Text]);
                RunTool("sox", [raw, "-r", rate.ToString(CultureInfo.InvariantCulture), "-b", "16", "-c", "1", path]);
            }
        }
        short[] pcm = WavFile.Read(path, out int fileRate);
        if (fileRate != rate)
        {
            throw new InvalidDataException($"{path}: {fileRate} Hz, expected {rate} Hz");
        }
        var x = new float[pcm.Length];
        for (int i = 0; i < pcm.Length; i++)
        {
            x[i] = pcm[i];
        }
        return x;
    }

    private static void RunTool(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {p.StandardError.ReadToEnd()}");
        }
    }
}
