// SPDX-License-Identifier: MIT
// Finds libsipwire_kernels for the generated bindings: $SIPWIRE_NATIVE_LIB_DIR first, then the usual search.

using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sipwire.Kernels.Native;

/// <summary>
/// The native kernel library the generated <c>*Native</c> classes call. build.ps1 builds it from native/
/// and sets SIPWIRE_NATIVE_LIB_DIR to its folder; without the variable the loader's usual search applies.
/// </summary>
public static class KernelLibrary
{
    /// <summary>The library name given to [LibraryImport]: libsipwire_kernels.so on Linux.</summary>
    public const string Name = "sipwire_kernels";

    private static int s_registered;

    /// <summary>Installs the resolver once; the generated classes call it from their static constructors.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(KernelLibrary).Assembly, Resolve);
        }
    }

    /// <summary>Full path of the library in SIPWIRE_NATIVE_LIB_DIR, or null when the variable is not set.</summary>
    public static string? ConfiguredPath
    {
        get
        {
            string? directory = Environment.GetEnvironmentVariable("SIPWIRE_NATIVE_LIB_DIR");
            return string.IsNullOrEmpty(directory) ? null : Path.Combine(directory, "lib" + Name + ".so");
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Name || ConfiguredPath is not { } path)
        {
            return 0;
        }
        if (!File.Exists(path))
        {
            throw new DllNotFoundException($"SIPWIRE_NATIVE_LIB_DIR names {Path.GetDirectoryName(path)}, which has no lib{Name}.so: build native/ (build.ps1 native)");
        }
        return NativeLibrary.Load(path);
    }
}
