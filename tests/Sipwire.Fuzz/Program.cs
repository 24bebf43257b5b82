// Entry point of the SIP/SDP fuzz harness: SharpFuzz AFL and libFuzzer modes, a seeded bounded run, replay.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace Sipwire.Fuzz;

internal static class Program
{
    private const string Usage =
        "usage: Sipwire.Fuzz --afl | --libfuzzer | --seeded SECONDS [--seed N] [--findings DIR] SEEDDIR... | --replay FILE... | --export-corpus OUTDIR SEEDDIR...";

    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        switch (args[0])
        {
            case "--afl":
            {
                // AFL fork server (afl-fuzz ... -- dotnet Sipwire.Fuzz.dll --afl) over a sharpfuzz-instrumented Sipwire.dll.
                // Instrumented code may only run inside Run (the coverage map exists from there on), so the
                // target is created on the first input.
                FuzzTarget? target = null;
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var ms = new MemoryStream();
                    stream.CopyTo(ms);
                    target ??= new FuzzTarget();
                    target.Run(ms.ToArray());
                });
                return 0;
            }
            case "--libfuzzer":
            {
                // Under libfuzzer-dotnet (https://github.com/Metalnem/libfuzzer-dotnet) over an instrumented Sipwire.dll.
                FuzzTarget? target = null;
                Fuzzer.LibFuzzer.Run(span =>
                {
                    target ??= new FuzzTarget();
                    target.Run(span);
                });
                return 0;
            }
            case "--seeded":
            {
                if (args.Length < 3 || !int.TryParse(args[1], out int seconds) || seconds <= 0)
                {
                    Console.Error.WriteLine(Usage);
                    return 2;
                }
                int seed = 3261;
                string findings = Path.Combine(Path.GetTempPath(), "sipwire-fuzz-findings");
                var dirs = new System.Collections.Generic.List<string>();
                for (int i = 2; i < args.Length; i++)
                {
                    if (args[i] == "--seed" && i + 1 < args.Length && int.TryParse(args[i + 1], out seed)) i++;
                    else if (args[i] == "--findings" && i + 1 < args.Length) findings = args[++i];
                    else dirs.Add(args[i]);
                }
                if (dirs.Count == 0 || dirs.Any(d => !Directory.Exists(d)))
                {
                    Console.Error.WriteLine("sipwire-fuzz: a seed directory is missing");
                    return 2;
                }
                return SeededRun.Run(TimeSpan.FromSeconds(seconds), dirs, findings, seed);
            }
            case "--replay":
            {
                var target = new FuzzTarget();
                foreach (string file in args.Skip(1))
                {
                    target.Run(File.ReadAllBytes(file));
                    Console.WriteLine($"{file}: ok");
                }
                return 0;
            }
            case "--export-corpus":
            {
                // afl-fuzz wants one flat directory of seeds.
                if (args.Length < 3)
                {
                    Console.Error.WriteLine(Usage);
                    return 2;
                }
                Directory.CreateDirectory(args[1]);
                int n = 0;
                foreach (byte[] seed in SeededRun.LoadSeeds(args.Skip(2).ToList()))
                    File.WriteAllBytes(Path.Combine(args[1], $"seed-{n++:D4}.dat"), seed);
                Console.WriteLine($"{n} seeds written to {args[1]}");
                return 0;
            }
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
