// Loads native/'s libsipwire_kernels shared library so C# kernels can be compared with the C ones.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// The C kernel library built by native/CMakeLists.txt (target sipwire_kernels_shared). It is looked
/// up in $SIPWIRE_NATIVE_LIB_DIR (build.ps1 sets it), else in &lt;repository&gt;/artifacts/native, the
/// documented default build directory:
/// <c>cmake -S native -B artifacts/native -G Ninja &amp;&amp; cmake --build artifacts/native</c>.
/// A missing library fails the test that needs it with this instruction; it is never skipped.
/// </summary>
internal static class NativeKernels
{
    private static readonly Lazy<nint> s_handle = new(Load);
    private static readonly Lazy<nint> s_spanDsp = new(LoadSpanDsp);

    public static string DefaultDirectory { get; } = Path.Combine(KernelVectors.RepositoryRoot, "artifacts", "native");

    public static string LibraryDirectory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("SIPWIRE_NATIVE_LIB_DIR");
            return string.IsNullOrEmpty(fromEnvironment) ? DefaultDirectory : fromEnvironment;
        }
    }

    public static string LibraryPath => Path.Combine(LibraryDirectory, LibraryFileName);

    private static string LibraryFileName =>
        OperatingSystem.IsWindows() ? "sipwire_kernels.dll"
        : OperatingSystem.IsMacOS() ? "libsipwire_kernels.dylib"
        : "libsipwire_kernels.so";

    /// <summary>Address of an exported C function; throws with the build instructions when the library or symbol is missing.</summary>
    public static nint Export(string name)
    {
        nint handle = s_handle.Value;
        if (!NativeLibrary.TryGetExport(handle, name, out nint address))
        {
            throw new EntryPointNotFoundException($"{LibraryPath} does not export {name}; rebuild native/ (cmake --build).");
        }

        return address;
    }

    /// <summary>
    /// Address of a function in Debian's SpanDSP (the differential reference for G.722); throws
    /// with the install command when libspandsp is missing.
    /// </summary>
    public static nint SpanDspExport(string name) =>
        NativeLibrary.TryGetExport(s_spanDsp.Value, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"libspandsp does not export {name}.");

    private static nint LoadSpanDsp()
    {
        foreach (string name in (string[])["libspandsp.so.2", "libspandsp.so"])
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException("SpanDSP (libspandsp.so.2) is missing: apt-get install -y libspandsp-dev.");
    }

    private static nint Load()
    {
        string path = LibraryPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The native kernel library {path} is missing. Build it with " +
                $"`cmake -S native -B {LibraryDirectory} -G Ninja && cmake --build {LibraryDirectory}` " +
                "or point SIPWIRE_NATIVE_LIB_DIR at the directory holding it.", path);
        }

        return NativeLibrary.Load(path);
    }
}
