// Loads the C libraries the DSP benchmarks compare against: native/'s kernels and Debian's SpanDSP.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;
using Sipwire.Kernels.Native;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// A third-party native library opened by soname, with exports fetched as function pointers so the
/// benchmark calls them with no marshalling. native/'s kernels are called through the generated
/// Sipwire.Kernels.Native bindings, which load libsipwire_kernels.so from $SIPWIRE_NATIVE_LIB_DIR
/// (see <see cref="KernelLibrary"/>); <see cref="RequireSipwireKernels"/> checks it is there.
/// build.ps1 bench builds it and sets the variable.
/// SpanDSP comes from Debian's libspandsp2 (apt-get install libspandsp-dev).
/// </summary>
internal sealed class NativeBaselineLibrary
{
    private readonly nint _handle;
    private readonly string _name;

    private NativeBaselineLibrary(nint handle, string name)
    {
        _handle = handle;
        _name = name;
    }

    /// <summary>
    /// Throws with the build instructions unless libsipwire_kernels.so, which the generated
    /// bindings call, is in $SIPWIRE_NATIVE_LIB_DIR and loads.
    /// </summary>
    public static void RequireSipwireKernels()
    {
        const string build = "build it with `cmake --preset host -B artifacts/cmake/c/host && cmake --build artifacts/cmake/c/host` " +
            "and set SIPWIRE_NATIVE_LIB_DIR=<repository>/artifacts/cmake/c/host/native (build.ps1 bench does both).";
        string path = KernelLibrary.ConfiguredPath
            ?? throw new InvalidOperationException("SIPWIRE_NATIVE_LIB_DIR is not set, so libsipwire_kernels.so cannot be found: " + build);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: " + build, path);
        }

        _ = NativeLibrary.Load(path);
    }

    public static NativeBaselineLibrary SpanDsp()
    {
        foreach (string name in new[] { "libspandsp.so.2", "libspandsp.so" })
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return new NativeBaselineLibrary(handle, name);
            }
        }

        throw new DllNotFoundException("SpanDSP (libspandsp.so.2) is not installed: apt-get install -y libspandsp-dev.");
    }

    public nint Export(string symbol) =>
        NativeLibrary.TryGetExport(_handle, symbol, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{_name} does not export {symbol}.");
}
