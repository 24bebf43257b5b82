// Locates tests/vectors/sip and reads its manifests (tab-separated, one row per vector).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;

namespace Sipwire.Tests.Sip;

/// <summary>One row of a manifest.tsv: column name to value.</summary>
public sealed class SipVectorRow
{
    public SipVectorRow(IReadOnlyDictionary<string, string> columns) => Columns = columns;

    public IReadOnlyDictionary<string, string> Columns { get; }

    public string File => Columns["file"];

    public string Verdict => Columns["verdict"];

    public string Kind => Columns.TryGetValue("kind", out string? k) ? k : "parser";

    public string Expected => Columns["expected"];

    public override string ToString() => File;
}

/// <summary>The SIP vectors directory: $SIPWIRE_VECTORS_DIR/sip when set, else tests/vectors/sip beside this source tree.</summary>
internal static class SipVectors
{
    public static string Directory { get; } = Locate();

    public static byte[] Read(string relative) => System.IO.File.ReadAllBytes(Path.Combine(Directory, relative));

    public static IEnumerable<SipVectorRow> Manifest(string suite)
    {
        string[] lines = System.IO.File.ReadAllLines(Path.Combine(Directory, suite, "manifest.tsv"));
        string[] header = lines[0].Split('\t');
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] cells = lines[i].Split('\t');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < header.Length && c < cells.Length; c++) row[header[c]] = cells[c];
            yield return new SipVectorRow(row);
        }
    }

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        string? env = Environment.GetEnvironmentVariable("SIPWIRE_VECTORS_DIR");
        string dir = !string.IsNullOrEmpty(env)
            ? Path.Combine(env, "sip")
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "..", "vectors", "sip"));
        if (!System.IO.Directory.Exists(dir))
            throw new DirectoryNotFoundException($"SIP vectors not found at {dir}; set SIPWIRE_VECTORS_DIR to the repository's tests/vectors.");
        return dir;
    }
}
