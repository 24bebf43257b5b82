// The `--users FILE` of the server roles: one "user password" pair per line, '#' starts a comment.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;

namespace Sipwire.Cli;

/// <summary>Loads the credentials the registrar checks digest responses against.</summary>
internal static class ServerUsers
{
    /// <summary>Reads <paramref name="path"/>; on a bad line returns null with "FILE:LINE: why" in <paramref name="error"/>.</summary>
    public static Dictionary<string, string>? Load(string path, out string error)
    {
        error = "";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: {ex.Message}";
            return null;
        }
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            string[] parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts.Length != 2)
            {
                error = $"{path}:{i + 1}: expected 'user password' (two words), found {parts.Length}";
                return null;
            }
            if (!users.TryAdd(parts[0], parts[1]))
            {
                error = $"{path}:{i + 1}: user '{parts[0]}' is listed twice";
                return null;
            }
        }
        return users;
    }
}
