// SPDX-License-Identifier: MIT
// Finds the first line where the checked-in header and the generated one part.

using System;

namespace Sipwire.HeaderGen;

/// <summary>Line-by-line comparison that names the first differing line.</summary>
internal static class HeaderDiff
{
    /// <summary>Null when equal; otherwise "line N: expected ... found ...".</summary>
    public static string? FirstDifference(string existing, string generated)
    {
        if (existing == generated)
        {
            return null;
        }
        string[] have = existing.Split('\n');
        string[] want = generated.Split('\n');
        for (int i = 0; i < Math.Max(have.Length, want.Length); i++)
        {
            string h = i < have.Length ? have[i] : "<end of file>";
            string w = i < want.Length ? want[i] : "<end of file>";
            if (h != w)
            {
                return $"line {i + 1}: expected \"{w}\", found \"{h}\"";
            }
        }
        return "line endings differ";
    }
}
