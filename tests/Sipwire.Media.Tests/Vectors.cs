// Locates tests/vectors (the shared test data) and reads the `key: value` vector files.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Sipwire.Media.Tests;

internal static class Vectors
{
    public static string Directory { get; } = typeof(Vectors).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "VectorsDirectory").Value!;

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Reads a vector file of `key: value` lines; `#` starts a comment; repeated keys keep their order.</summary>
    public static List<KeyValuePair<string, string>> ReadKeyValues(string relative)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (string raw in File.ReadAllLines(PathOf(relative)))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new InvalidDataException($"{relative}: line without ':' - {line}");
            }

            result.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return result;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
