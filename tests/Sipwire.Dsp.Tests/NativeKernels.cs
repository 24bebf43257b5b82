// Checks that native/'s libsipwire_kernels is present so C# kernels can be compared with the C ones.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// The C kernel library built by native/CMakeLists.txt (target sipwire_kernels_shared), taken from
/// $SIPWIRE_NATIVE_LIB_DIR - the directory the generated Sipwire.Kernels.Native bindings load it from
/// (see <see cref="KernelLibrary"/>); build.ps1 sets it. A test that needs the library calls
/// <see cref="RequireLibrary"/> first, so a missing library fails it with the build instructions; it is
/// never skipped.
/// </summary>
internal static class NativeKernels
{
    private const string BuildInstructions =
        "Build it with `cmake --preset host -B artifacts/cmake/c/host && cmake --build artifacts/cmake/c/host` " +
        "and set SIPWIRE_NATIVE_LIB_DIR=<repository>/artifacts/cmake/c/host/native (build.ps1 test does both).";

    private static readonly Lazy<nint> s_handle = new(Load);
    private static readonly Lazy<nint> s_spanDsp = new(LoadSpanDsp);

    /// <summary>Throws with the build instructions unless the library the generated bindings call can be loaded.</summary>
    public static void RequireLibrary() => _ = s_handle.Value;

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
        string path = KernelLibrary.ConfiguredPath
            ?? throw new InvalidOperationException("SIPWIRE_NATIVE_LIB_DIR is not set, so the native kernel library cannot be found. " + BuildInstructions);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The native kernel library {path} is missing. " + BuildInstructions, path);
        }

        return NativeLibrary.TryLoad(path, out nint handle)
            ? handle
            : throw new DllNotFoundException($"{path} exists but cannot be loaded (wrong architecture or a missing dependency). " + BuildInstructions);
    }
}
