// Checks that native/'s libsipwire_kernels is present so the C# DTMF and PLC kernels can be compared with their C fallbacks.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using Sipwire.Kernels.Native;

namespace Sipwire.Media.Tests;

/// <summary>
/// The C kernel library (native/CMakeLists.txt target sipwire_kernels_shared), taken from
/// $SIPWIRE_NATIVE_LIB_DIR - the directory the generated Sipwire.Kernels.Native bindings load it from
/// (see <see cref="KernelLibrary"/>); the same convention as Sipwire.Dsp.Tests. A test that needs the
/// library calls <see cref="RequireLibrary"/> first, so a missing library fails it with the build
/// instructions; it is never skipped.
/// </summary>
internal static class NativeKernels
{
    private const string BuildInstructions =
        "Build it with `cmake --preset host -B artifacts/cmake/c/host && cmake --build artifacts/cmake/c/host` " +
        "and set SIPWIRE_NATIVE_LIB_DIR=<repository>/artifacts/cmake/c/host/native (build.ps1 test does both).";

    private static readonly Lazy<bool> s_loaded = new(Load);

    /// <summary>Throws with the build instructions unless the library the generated bindings call can be loaded.</summary>
    public static void RequireLibrary() => _ = s_loaded.Value;

    private static bool Load()
    {
        string path = KernelLibrary.ConfiguredPath
            ?? throw new InvalidOperationException("SIPWIRE_NATIVE_LIB_DIR is not set, so the native kernel library cannot be found. " + BuildInstructions);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The native kernel library {path} is missing. " + BuildInstructions, path);
        }

        if (!NativeLibrary.TryLoad(path, out _))
        {
            throw new DllNotFoundException($"{path} exists but cannot be loaded (wrong architecture or a missing dependency). " + BuildInstructions);
        }

        return true;
    }
}
