// Loads native/'s libsipwire_kernels so the C# DTMF and PLC kernels can be compared with their C fallbacks.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sipwire.Media.Tests;

/// <summary>
/// The C kernel library (native/CMakeLists.txt target sipwire_kernels_shared), from
/// $SIPWIRE_NATIVE_LIB_DIR or &lt;repository&gt;/artifacts/native — the same convention as
/// Sipwire.Dsp.Tests. Build it with <c>cmake -S native -B artifacts/native &amp;&amp; cmake --build artifacts/native</c>.
/// A missing library fails the tests that need it, with that instruction; they are never skipped.
/// </summary>
internal static class NativeKernels
{
    private static readonly Lazy<nint> s_handle = new(Load);

    public static string LibraryPath
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("SIPWIRE_NATIVE_LIB_DIR");
            if (string.IsNullOrEmpty(dir))
            {
                dir = Path.GetFullPath(Path.Combine(Vectors.Directory, "..", "..", "artifacts", "native"));
            }

            return Path.Combine(dir, "libsipwire_kernels.so");
        }
    }

    public static nint Export(string name) =>
        NativeLibrary.TryGetExport(s_handle.Value, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{LibraryPath} does not export {name}; rebuild native/ (cmake --build).");

    private static nint Load()
    {
        string path = LibraryPath;
        if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out nint handle))
        {
            throw new FileNotFoundException(
                $"The native kernel library {path} is missing. Build it with " +
                "`cmake -S native -B artifacts/native && cmake --build artifacts/native` or set SIPWIRE_NATIVE_LIB_DIR.");
        }

        return handle;
    }
}
