// SPDX-License-Identifier: MIT
// Command line of the binding generator: write bindings/csharp, or check that it is current.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Sipwire.BindGen;

internal static class Program
{
    private const string Usage = "usage: Sipwire.BindGen <native/include> <bindings/csharp/Sipwire.Kernels.Native> [--check]";

    // Exit codes: 0 written or up to date, 1 a generated file differs (--check), 2 usage or input error.
    private static int Main(string[] args)
    {
        bool check = args.Length == 3 && args[2] == "--check";
        if (args.Length != 2 && !check)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string includeDirectory = Path.GetFullPath(args[0]);
        string outputDirectory = Path.GetFullPath(args[1]);
        Dictionary<string, string> generated;
        try
        {
            generated = GenerateAll(includeDirectory);
        }
        catch (Exception ex) when (ex is IOException or FormatException or DllNotFoundException)
        {
            Console.Error.WriteLine($"Sipwire.BindGen: {ex.Message}");
            return 2;
        }

        var existing = Directory.Exists(outputDirectory)
            ? Directory.GetFiles(outputDirectory, "*.g.cs").ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        if (check)
        {
            var problems = new List<string>();
            foreach ((string name, string text) in generated)
            {
                if (!existing.TryGetValue(name, out string? current))
                {
                    problems.Add($"{name} is missing");
                }
                else if (current != text)
                {
                    problems.Add($"{name} is stale");
                }
            }
            problems.AddRange(existing.Keys.Where(n => !generated.ContainsKey(n)).Select(n => $"{n} has no header any more"));
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"{outputDirectory}: {problem}");
            }
            if (problems.Count > 0)
            {
                Console.Error.WriteLine("Regenerate with `build.ps1 generate`; never edit generated bindings by hand.");
                return 1;
            }
            Console.WriteLine($"{outputDirectory} is up to date ({generated.Count} headers)");
            return 0;
        }

        Directory.CreateDirectory(outputDirectory);
        foreach (string stale in existing.Keys.Where(n => !generated.ContainsKey(n)))
        {
            File.Delete(Path.Combine(outputDirectory, stale));
        }
        foreach ((string name, string text) in generated)
        {
            File.WriteAllText(Path.Combine(outputDirectory, name), text);
        }
        Console.WriteLine($"wrote {generated.Count} binding files to {outputDirectory}");
        return 0;
    }

    /// <summary>Binding file name to text, for every header in &lt;include&gt;/sipwire.</summary>
    internal static Dictionary<string, string> GenerateAll(string includeDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string header in Directory.GetFiles(Path.Combine(includeDirectory, "sipwire"), "*.h").Order(StringComparer.Ordinal))
        {
            string relative = "native/include/sipwire/" + Path.GetFileName(header);
            result[BindingWriter.ClassName(header) + ".g.cs"] = BindingWriter.Generate(header, includeDirectory, relative);
        }
        return result;
    }
}
