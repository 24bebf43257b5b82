// The `--profiles FILE` and `--watchers FILE` of `sipwire presence`: the ua-profile table and the watcher authorization lists.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using Sipwire.Presence;

namespace Sipwire.Cli;

/// <summary>Loads the line files of the presence role ('#' starts a comment, blank lines are skipped).</summary>
internal static class PresenceProfiles
{
    /// <summary>
    /// Profiles, one per line: <c>device|user|local-network URL [resource=SIP-URI] [vendor=V] [model=M] [type=MEDIA/TYPE]</c>.
    /// On a bad line returns null with "FILE:LINE: why" in <paramref name="error"/>.
    /// </summary>
    public static List<UaProfile>? LoadProfiles(string path, out string error)
    {
        var profiles = new List<UaProfile>();
        return ReadLines(path, out error, (parts, where) =>
        {
            if (parts.Length < 2) return $"{where}: expected 'PROFILE-TYPE URL [resource=URI] [vendor=V] [model=M] [type=MEDIA/TYPE]'";
            var p = new UaProfile { ProfileType = parts[0], Url = parts[1] };
            for (int i = 2; i < parts.Length; i++)
            {
                int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
                string key = eq < 0 ? parts[i] : parts[i][..eq];
                string value = eq < 0 ? "" : parts[i][(eq + 1)..];
                switch (key)
                {
                    case "resource": p = p with { Resource = value }; break;
                    case "vendor": p = p with { Vendor = value }; break;
                    case "model": p = p with { Model = value }; break;
                    case "type": p = p with { ContentType = value }; break;
                    default: return $"{where}: unknown field '{parts[i]}' (resource=, vendor=, model=, type=)";
                }
            }
            try
            {
                p.Validate();
            }
            catch (ArgumentException ex)
            {
                return $"{where}: {ex.Message}";
            }
            if (profiles.Exists(q => q.Equals(p))) return $"{where}: the same profile is listed twice";
            profiles.Add(p);
            return null;
        }) ? profiles : null;
    }

    /// <summary>Watcher authorizations, one per line: <c>PRESENTITY WATCHER [WATCHER]...</c> (SIP URIs, or user names of <paramref name="domain"/>).</summary>
    public static List<(string Presentity, string Watcher)>? LoadWatchers(string path, string domain, out string error)
    {
        var list = new List<(string, string)>();
        string Uri(string s) => s.Contains(':', StringComparison.Ordinal) ? s : $"sip:{s}@{domain}";
        return ReadLines(path, out error, (parts, where) =>
        {
            if (parts.Length < 2) return $"{where}: expected 'PRESENTITY WATCHER [WATCHER]...'";
            foreach (string part in parts)
            {
                if (!Sipwire.Sip.SipUri.TryParse(Uri(part), out _)) return $"{where}: '{part}' is neither a user name nor a SIP URI";
            }
            for (int i = 1; i < parts.Length; i++) list.Add((Uri(parts[0]), Uri(parts[i])));
            return null;
        }) ? list : null;
    }

    private static bool ReadLines(string path, out string error, Func<string[], string, string?> line)
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
            return false;
        }
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i];
            int hash = text.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) text = text[..hash];
            string[] parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            string? problem = line(parts, $"{path}:{i + 1}");
            if (problem is not null)
            {
                error = problem;
                return false;
            }
        }
        return true;
    }
}
