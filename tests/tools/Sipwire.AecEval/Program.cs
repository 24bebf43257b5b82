// AEC evaluation tool: runs our canceller and SpeexDSP on the same echo scenarios in one process.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using Sipwire.Dsp;
using Sipwire.Dsp.Tests;

namespace Sipwire.AecEval;

internal static class Program
{
    private static int Main(string[] args)
    {
        int rate = 16000;
        int tailMs = 128;
        double seconds = 40;
        string source = "css";
        string outDir = "aec-eval-out";
        string? speechPath = null;
        double rt60 = 0.15;
        double noiseDb = -60;
        int maxDelayMs = 240;
        bool pink = false;
        double loudspeakerDb = double.PositiveInfinity;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--rate": rate = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--tail-ms": tailMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--source": source = Next(); break;
                case "--speech": speechPath = Next(); break;
                case "--rt60": rt60 = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--noise-db": noiseDb = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": outDir = Next(); break;
                case "--max-delay-ms": maxDelayMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--pink": pink = true; break;
                case "--loudspeaker-db": loudspeakerDb = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"aec-eval: unknown option {a}");
                    return 2;
            }
        }
        NativeLibrary.SetDllImportResolver(typeof(Program).Assembly, Resolve);
        Directory.CreateDirectory(outDir);
        var runs = Evaluation.RunAll(rate, tailMs, maxDelayMs, seconds, source, speechPath, rt60, noiseDb, pink, loudspeakerDb, outDir);
        return runs ? 0 : 1;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        // Only this assembly's imports (sw_speexdsp_baseline); libsipwire_kernels is found by the
        // generated bindings' KernelLibrary in $SIPWIRE_NATIVE_LIB_DIR.
        string[] dirs =
        [
            Environment.GetEnvironmentVariable("SIPWIRE_SPEEX_BASELINE_DIR") ?? string.Empty,
            AppContext.BaseDirectory,
        ];
        foreach (string dir in dirs)
        {
            if (dir.Length == 0)
            {
                continue;
            }
            string file = Path.Combine(dir, "lib" + name + ".so");
            if (File.Exists(file))
            {
                return NativeLibrary.Load(file);
            }
        }
        return IntPtr.Zero;
    }
}
