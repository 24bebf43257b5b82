// SPDX-License-Identifier: MIT
// Reads tests/vectors/auth (made by tests/tools/digest_vectors.py with Python's hashlib).

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sipwire.Tests.Abi;

namespace Sipwire.Tests.Auth;

internal static class AuthVectors
{
    public static IEnumerable<string[]> Rows(string file) =>
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "vectors", "auth", file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'));
}
