// `sipwire aec --far FAR.wav --mic MIC.wav --out OUT.wav [--tail-ms N]`: the echo canceller offline on files.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Sipwire.Dsp;
using Sipwire.Dsp.Audio;

namespace Sipwire.Cli;

/// <summary>
/// Runs <see cref="EchoCanceller"/> over a far-end and a microphone recording (mono 16-bit PCM WAV,
/// 8 or 16 kHz, the same rate) in 10 ms frames and writes the echo-cancelled microphone signal,
/// aligned with the input (the canceller's 16 ms latency is taken out). Prints, per second,
/// <c>t=Ns erle_db=X</c> with X = 10 log10(P(mic) / P(out)) over that second, then last
/// <c>cpu_us_per_frame=N</c>: thread CPU time spent inside the canceller per 10 ms frame.
/// Exit code: 0 done, 2 usage or bad file.
/// </summary>
internal static partial class AecCommand
{
    private const string Usage = "usage: sipwire aec --far FAR.wav --mic MIC.wav --out OUT.wav [--tail-ms N]";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? farPath = null;
        string? micPath = null;
        string? outPath = null;
        int tailMs = 128;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (i + 1 >= args.Length)
            {
                stderr.WriteLine($"sipwire aec: {option} needs a value");
                stderr.WriteLine(Usage);
                return 2;
            }
            string value = args[++i];
            switch (option)
            {
                case "--far": farPath = value; break;
                case "--mic": micPath = value; break;
                case "--out": outPath = value; break;
                case "--tail-ms":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out tailMs) || tailMs < 16 || tailMs > 500)
                    {
                        stderr.WriteLine($"sipwire aec: --tail-ms must be an integer from 16 to 500, not '{value}'");
                        return 2;
                    }
                    break;
                default:
                    stderr.WriteLine($"sipwire aec: unknown option '{option}'");
                    stderr.WriteLine(Usage);
                    return 2;
            }
        }
        if (farPath == null || micPath == null || outPath == null)
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        if (!TryRead(farPath, stderr, out short[] far, out int farRate) || !TryRead(micPath, stderr, out short[] mic, out int micRate))
        {
            return 2;
        }
        if (farRate != micRate)
        {
            stderr.WriteLine($"sipwire aec: sample rates differ: {farPath} is {farRate} Hz, {micPath} is {micRate} Hz");
            return 2;
        }
        if (far.Length < mic.Length)
        {
            // The far end was silent for the rest: nothing more can leak into the microphone.
            Array.Resize(ref far, mic.Length);
        }

        var aec = new EchoCanceller(new EchoCancellerOptions { SampleRate = micRate, TailMs = tailMs });
        int frame = aec.FrameSize;
        int latency = aec.Latency;
        // Frames cover the microphone plus the latency, so the last input samples come out.
        int frames = (mic.Length + latency + frame - 1) / frame;
        var output = new short[(frames * frame) + frame];
        var micFrame = new short[frame];
        var farFrame = new short[frame];
        long cpuNs = 0;
        for (int f = 0; f < frames; f++)
        {
            int at = f * frame;
            micFrame.AsSpan().Clear();
            farFrame.AsSpan().Clear();
            if (at < mic.Length)
            {
                int count = Math.Min(frame, mic.Length - at);
                mic.AsSpan(at, count).CopyTo(micFrame);
                far.AsSpan(at, count).CopyTo(farFrame);
            }
            long t0 = ThreadCpuNs();
            aec.Process(micFrame, farFrame, output.AsSpan(at, frame));
            cpuNs += ThreadCpuNs() - t0;
        }
        ReadOnlySpan<short> aligned = output.AsSpan(latency, mic.Length);
        try
        {
            WavFile.Write(outPath, aligned, micRate);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sipwire aec: cannot write {outPath}: {ex.Message}");
            return 2;
        }

        for (int second = 0; second * micRate < mic.Length; second++)
        {
            int start = second * micRate;
            int count = Math.Min(micRate, mic.Length - start);
            double pMic = Power(mic.AsSpan(start, count));
            double pOut = Power(aligned.Slice(start, count));
            double erle = 10 * Math.Log10((pMic + 1e-3) / (pOut + 1e-3));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t={second + 1}s erle_db={erle:F1}"));
        }
        long perFrame = (long)Math.Round(cpuNs / 1000.0 / frames);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu_us_per_frame={perFrame}"));
        return 0;
    }

    private static bool TryRead(string path, TextWriter stderr, out short[] samples, out int rate)
    {
        samples = [];
        rate = 0;
        try
        {
            samples = WavFile.Read(path, out rate);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: not a mono PCM16 RIFF/WAVE file; its message names the problem.
            stderr.WriteLine($"sipwire aec: {path}: {ex.Message}");
            return false;
        }
        if (rate != 8000 && rate != 16000)
        {
            stderr.WriteLine($"sipwire aec: {path}: {rate} Hz; the canceller runs at 8000 or 16000 Hz");
            return false;
        }
        return true;
    }

    private static double Power(ReadOnlySpan<short> x)
    {
        double s = 0;
        foreach (short v in x)
        {
            s += (double)v * v;
        }
        return s / Math.Max(1, x.Length);
    }

    // CLOCK_THREAD_CPUTIME_ID (3): CPU time of this thread only; struct timespec is two C longs.
    private static long ThreadCpuNs()
    {
        if (OperatingSystem.IsLinux())
        {
            Timespec ts;
            if (ClockGetTime(3, out ts) == 0)
            {
                return ((long)ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
            }
        }
        return (long)(Process.GetCurrentProcess().TotalProcessorTime.Ticks * 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec ts);
}
