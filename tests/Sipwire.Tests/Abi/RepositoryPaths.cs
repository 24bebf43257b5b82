// SPDX-License-Identifier: MIT
// Locates files of the repository from the test output folder.

using System.IO;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Sipwire.Tests.Abi;

internal static class RepositoryPaths
{
    /// <summary>The folder holding Sdk.sln, found by walking up from the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
                {
                    return dir.FullName;
                }
            }
            // SIPWIRE_ARTIFACTS may put the binaries outside the tree: fall back to this source file's folder.
            for (DirectoryInfo? dir = new(SourceDirectory()); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new DirectoryNotFoundException("Sdk.sln not found above the test folder or the test sources");
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    public static string Header => Path.Combine(Root, "bindings", "c", "include", "sipwire.h");

    public static string NativeAssembly => Path.Combine(TestContext.CurrentContext.TestDirectory, "Sipwire.Native.dll");
}
