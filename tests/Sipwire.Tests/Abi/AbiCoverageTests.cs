// SPDX-License-Identifier: MIT
// The C ABI tests (tests/abi/*.c) call every function the header declares.

using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Sipwire.Tests.Abi;

[TestFixture]
public sealed partial class AbiCoverageTests
{
    [Test]
    public void EveryExportIsCalledByTheCTest()
    {
        string header = File.ReadAllText(RepositoryPaths.Header);
        // abi_test.c and the feature tests beside it (abi_media_test.c).
        string cTest = string.Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "tests", "abi"), "*.c").Select(File.ReadAllText));
        string[] exports = ExportPattern().Matches(header).Select(m => m.Groups[1].Value).ToArray();
        Assert.That(exports, Is.Not.Empty);
        string[] uncalled = exports.Where(name => !cTest.Contains(name + "(", System.StringComparison.Ordinal)).ToArray();
        Assert.That(uncalled, Is.Empty, "exports not exercised by the C tests in tests/abi");
    }

    [GeneratedRegex(@"^SW_API [^(]*?\b(sw_\w+)\(", RegexOptions.Multiline)]
    private static partial Regex ExportPattern();
}
