// Loads the C libraries the DSP benchmarks compare against: native/'s kernels and Debian's SpanDSP.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sipwire.Bench.Dsp;

/// <summary>
/// A native library opened by path or soname, with exports fetched as function pointers so the
/// benchmark calls them with no marshalling. libsipwire_kernels.so is looked up in
/// $SIPWIRE_NATIVE_LIB_DIR, else in artifacts/native under the working directory's repository
/// (build: <c>cmake -S native -B artifacts/native -G Ninja &amp;&amp; cmake --build artifacts/native</c>).
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

    public static NativeBaselineLibrary SipwireKernels()
    {
        string? directory = Environment.GetEnvironmentVariable("SIPWIRE_NATIVE_LIB_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            directory = FindRepositoryArtifacts();
        }

        string path = Path.Combine(directory, "libsipwire_kernels.so");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build native/ with CMake and set SIPWIRE_NATIVE_LIB_DIR to its build directory.", path);
        }

        return new NativeBaselineLibrary(NativeLibrary.Load(path), path);
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

    private static string FindRepositoryArtifacts()
    {
        for (string? dir = Directory.GetCurrentDirectory(); dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Sdk.sln")))
            {
                return Path.Combine(dir, "artifacts", "native");
            }
        }

        return Path.Combine("artifacts", "native");
    }
}
