// SPDX-License-Identifier: MIT
// Command line of the header generator: write sipwire.h, or check that the checked-in copy is current.

using System;
using System.IO;

namespace Sipwire.HeaderGen;

internal static class Program
{
    private const string Usage = "usage: Sipwire.HeaderGen <Sipwire.Native.dll> <sipwire.h> [--check]";

    // Exit codes: 0 written or up to date, 1 the header differs (--check), 2 usage or input error.
    private static int Main(string[] args)
    {
        bool check = args.Length == 3 && args[2] == "--check";
        if (args.Length != 2 && !check)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string assemblyPath = args[0];
        string headerPath = args[1];
        string generated;
        try
        {
            generated = HeaderWriter.Generate(assemblyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or BadImageFormatException or NotSupportedException)
        {
            Console.Error.WriteLine($"Sipwire.HeaderGen: {ex.Message}");
            return 2;
        }

        if (!check)
        {
            File.WriteAllText(headerPath, generated);
            Console.WriteLine($"wrote {headerPath}");
            return 0;
        }
        string existing = File.Exists(headerPath) ? File.ReadAllText(headerPath) : string.Empty;
        string? difference = HeaderDiff.FirstDifference(existing, generated);
        if (difference is null)
        {
            Console.WriteLine($"{headerPath} is up to date");
            return 0;
        }
        Console.Error.WriteLine($"{headerPath} differs from what {Path.GetFileName(assemblyPath)} generates: {difference}");
        Console.Error.WriteLine("Regenerate it with `build.ps1 generate`; never edit it by hand.");
        return 1;
    }
}
