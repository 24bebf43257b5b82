// SPDX-License-Identifier: MIT
// The checked-in sipwire.h is exactly what the generator makes, and the check catches any drift.

using System;
using System.Diagnostics;
using System.IO;
using System.Reflection.Metadata;
using NUnit.Framework;
using Sipwire.HeaderGen;

namespace Sipwire.Tests.Abi;

[TestFixture]
public sealed class HeaderGeneratorTests
{
    [Test]
    public void CheckedInHeaderIsCurrent()
    {
        string generated = HeaderWriter.Generate(RepositoryPaths.NativeAssembly);
        string checkedIn = File.ReadAllText(RepositoryPaths.Header);
        Assert.That(HeaderDiff.FirstDifference(checkedIn, generated), Is.Null,
            "bindings/c/include/sipwire.h is stale: run `build.ps1 generate`");
    }

    [Test]
    public void HeaderDeclaresEveryExportWithItsDocs()
    {
        string header = HeaderWriter.Generate(RepositoryPaths.NativeAssembly);
        Assert.That(header, Does.Contain("SW_API sw_status sw_endpoint_create(const sw_endpoint_config *config, sw_endpoint **out_endpoint);"));
        Assert.That(header, Does.Contain("SW_API const char *sw_status_str(sw_status status);"));
        Assert.That(header, Does.Contain("SW_API void sw_endpoint_destroy(sw_endpoint *endpoint);"));
        Assert.That(header, Does.Contain("typedef int32_t sw_status;"));
        Assert.That(header, Does.Contain("#define SW_E_INTERNAL (-999)"));
        Assert.That(header, Does.Contain(" * @param out_endpoint Receives the new endpoint"));
        Assert.That(header, Does.Contain(" * @par Ownership"));
    }

    [Test]
    public void CheckFailsWhenTheHeaderIsEditedByHand()
    {
        string edited = File.ReadAllText(RepositoryPaths.Header).Replace("#define SW_E_LIMIT (-101)", "#define SW_E_LIMIT (-102)", StringComparison.Ordinal);
        (int exitCode, string output) = RunCheck(edited);
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Does.Contain("expected \"#define SW_E_LIMIT (-101)\", found \"#define SW_E_LIMIT (-102)\""));
    }

    [Test]
    public void CheckFailsWhenAnExportChangedWithoutRegenerating()
    {
        // A header made before sw_endpoint_get_config existed: what a stale header looks like.
        string header = File.ReadAllText(RepositoryPaths.Header);
        int start = header.IndexOf("/**\n * @brief Reads back the configuration", StringComparison.Ordinal);
        int end = header.IndexOf("sw_endpoint_get_config(", start, StringComparison.Ordinal);
        end = header.IndexOf('\n', end) + 2;
        Assert.That(start, Is.GreaterThan(0));
        (int exitCode, string output) = RunCheck(header.Remove(start, end - start));
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Does.Contain("differs from what Sipwire.Native.dll generates"));
    }

    [Test]
    public void CheckPassesOnTheCheckedInHeader()
    {
        (int exitCode, string output) = RunCheck(File.ReadAllText(RepositoryPaths.Header));
        Assert.That(exitCode, Is.Zero, output);
    }

    [TestCase(PrimitiveTypeCode.Boolean)]
    [TestCase(PrimitiveTypeCode.Char)]
    [TestCase(PrimitiveTypeCode.String)]
    [TestCase(PrimitiveTypeCode.Object)]
    public void TypesWithoutAStableCAbiAreRefused(PrimitiveTypeCode code)
    {
        var provider = new CTypeProvider(null!, _ => null);
        Assert.That(() => provider.GetPrimitiveType(code), Throws.TypeOf<NotSupportedException>());
    }

    // Runs the generator as `build.ps1 verify` does, against a header file with the given text.
    private static (int ExitCode, string Output) RunCheck(string headerText)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sipwire-{Guid.NewGuid():N}.h");
        File.WriteAllText(path, headerText);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Sipwire.HeaderGen.dll"));
            start.ArgumentList.Add(RepositoryPaths.NativeAssembly);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add("--check");
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
