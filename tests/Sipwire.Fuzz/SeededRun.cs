// A bounded, seeded mutation run over the vector corpus (not coverage-guided): the `build.ps1 test` fuzz step.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Sipwire.Fuzz;

/// <summary>
/// Mutates the seed messages with a fixed PRNG seed (bit flips, byte edits, SIP-syntax token inserts,
/// chunk duplication, splicing, truncation) for a time budget. A finding is written to the output
/// directory (to become a vector) and the run fails.
/// </summary>
internal static class SeededRun
{
    private static readonly byte[][] s_tokens =
    [
        "\r\n"u8.ToArray(), "\r\n "u8.ToArray(), ";"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "<"u8.ToArray(), ">"u8.ToArray(),
        "\""u8.ToArray(), "\\"u8.ToArray(), "%"u8.ToArray(), "%00"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "@"u8.ToArray(),
        "="u8.ToArray(), "/"u8.ToArray(), " "u8.ToArray(), "\t"u8.ToArray(), "\r"u8.ToArray(), "\n"u8.ToArray(), "0"u8.ToArray(),
        "4294967296"u8.ToArray(), "99999999999999999999"u8.ToArray(), "-1"u8.ToArray(), "SIP/2.0"u8.ToArray(),
        "Content-Length: 10\r\n"u8.ToArray(), "Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1;rport\r\n"u8.ToArray(),
        "l: 0\r\n"u8.ToArray(), "sip:"u8.ToArray(), "tel:"u8.ToArray(), "[2001:db8:::192.0.2.1]"u8.ToArray(), ";tag="u8.ToArray(),
        "\r\n\r\n"u8.ToArray(), "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"u8.ToArray(), "c=IN IP6 "u8.ToArray(), "m=audio "u8.ToArray(),
    ];

    public static int Run(TimeSpan budget, IReadOnlyList<string> seedDirectories, string findings, int seed)
    {
        List<byte[]> corpus = LoadSeeds(seedDirectories);
        if (corpus.Count == 0)
        {
            Console.Error.WriteLine("sipwire-fuzz: no seed files (*.dat) found");
            return 2;
        }
        var rng = new Random(seed);
        var target = new FuzzTarget();
        var clock = Stopwatch.StartNew();
        long iterations = 0;
        long maxAllocPerIteration = 0;
        foreach (byte[] s in corpus) target.Run(s);
        while (clock.Elapsed < budget)
        {
            for (int batch = 0; batch < 256; batch++)
            {
                byte[] input = Mutate(corpus[rng.Next(corpus.Count)], corpus[rng.Next(corpus.Count)], rng);
                long acceptedBefore = target.Accepted;
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    target.Run(input);
                }
                catch (Exception ex)
                {
                    Directory.CreateDirectory(findings);
                    string path = Path.Combine(findings, $"crash-{seed}-{iterations}.dat");
                    File.WriteAllBytes(path, input);
                    Console.Error.WriteLine($"sipwire-fuzz: FINDING after {iterations} inputs, saved to {path}:");
                    Console.Error.WriteLine(ex);
                    return 1;
                }
                // Unbounded allocation guard: one input may not allocate more than 64x its size plus 1 MiB.
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                maxAllocPerIteration = Math.Max(maxAllocPerIteration, allocated);
                if (allocated > input.Length * 64L + (1 << 20))
                {
                    Directory.CreateDirectory(findings);
                    string path = Path.Combine(findings, $"alloc-{seed}-{iterations}.dat");
                    File.WriteAllBytes(path, input);
                    Console.Error.WriteLine($"sipwire-fuzz: FINDING: {allocated} bytes allocated for a {input.Length}-byte input, saved to {path}");
                    return 1;
                }
                iterations++;
                // Keep mutants the parser still accepts as further seeds (they reach the deep paths), bounded.
                if (target.Accepted > acceptedBefore && corpus.Count < 4096 && rng.Next(8) == 0) corpus.Add(input);
            }
        }
        Console.WriteLine($"sipwire-fuzz: {iterations} inputs ({target.Bytes / Math.Max(1, iterations)} bytes on average, {target.Accepted} parsed as messages) "
            + $"in {clock.Elapsed.TotalSeconds:F0} s (seed {seed}, {corpus.Count} corpus entries), max {maxAllocPerIteration} bytes allocated by one input, no findings");
        return 0;
    }

    public static List<byte[]> LoadSeeds(IReadOnlyList<string> directories) =>
        directories.SelectMany(d => Directory.EnumerateFiles(d, "*.dat", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

    private static byte[] Mutate(byte[] a, byte[] b, Random rng)
    {
        var data = new List<byte>(a);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int pos = data.Count == 0 ? 0 : rng.Next(data.Count + 1);
            switch (rng.Next(9))
            {
                case 0 when data.Count > 0:
                    int i = Math.Min(pos, data.Count - 1);
                    data[i] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data.RemoveAt(Math.Min(pos, data.Count - 1));
                    break;
                case 2:
                    data.Insert(pos, (byte)rng.Next(256));
                    break;
                case 3:
                case 4:
                    data.InsertRange(pos, s_tokens[rng.Next(s_tokens.Length)]);
                    break;
                case 5 when data.Count > 0:
                    int start = rng.Next(data.Count), len = Math.Min(data.Count - start, 1 + rng.Next(64));
                    data.InsertRange(pos, data.GetRange(start, len));
                    break;
                case 6:
                    int cut = rng.Next(b.Length + 1);
                    data.RemoveRange(pos, data.Count - pos);
                    data.AddRange(b.AsSpan(cut).ToArray());
                    break;
                case 7 when data.Count > 0:
                    data.RemoveRange(pos == data.Count ? pos - 1 : pos, data.Count - (pos == data.Count ? pos - 1 : pos));
                    break;
                default:
                    if (data.Count > 1)
                    {
                        int x = rng.Next(data.Count), y = rng.Next(data.Count);
                        (data[x], data[y]) = (data[y], data[x]);
                    }
                    break;
            }
        }
        return data.ToArray();
    }
}
