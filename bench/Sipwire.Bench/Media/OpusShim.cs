// P/Invoke binding to the libopus shim (bench/native/opus): the reference Opus used as interop peer and baseline.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sipwire.Bench.Media;

/// <summary>
/// Loads libsipwire_opus_shim.so (built by CMake from bench/native/opus) from, in order:
/// $SIPWIRE_OPUS_SHIM, the application directory, $SIPWIRE_ARTIFACTS/native/opus-shim (the test
/// build's OpusShim.targets), $SIPWIRE_ARTIFACTS/native/opus (`build.ps1 bench`).
/// </summary>
internal static unsafe class OpusShim
{
    public const string LibraryFile = "libsipwire_opus_shim.so";

    private static readonly object s_lock = new();
    private static nint s_library;

    public static delegate* unmanaged<nint> Version { get; private set; }

    public static delegate* unmanaged<int, int, int, int, int, int, int, int, nint*, int> EncoderCreate { get; private set; }

    public static delegate* unmanaged<nint, short*, int, byte*, int, int> Encode { get; private set; }

    public static delegate* unmanaged<nint, void> EncoderDestroy { get; private set; }

    public static delegate* unmanaged<int, int, nint*, int> DecoderCreate { get; private set; }

    public static delegate* unmanaged<nint, byte*, int, short*, int, int, int> Decode { get; private set; }

    public static delegate* unmanaged<nint, void> DecoderDestroy { get; private set; }

    /// <summary>The libopus version string ("libopus 1.3.1").</summary>
    public static string VersionString
    {
        get
        {
            EnsureLoaded();
            return Marshal.PtrToStringUTF8(Version()) ?? "";
        }
    }

    /// <summary>Loads the shim once; throws with the searched paths and the fix when it is missing.</summary>
    public static void EnsureLoaded()
    {
        lock (s_lock)
        {
            if (s_library != 0)
            {
                return;
            }

            string? artifacts = Environment.GetEnvironmentVariable("SIPWIRE_ARTIFACTS");
            string?[] candidates =
            [
                Environment.GetEnvironmentVariable("SIPWIRE_OPUS_SHIM"),
                Path.Combine(AppContext.BaseDirectory, LibraryFile),
                string.IsNullOrEmpty(artifacts) ? null : Path.Combine(artifacts, "native", "opus-shim", LibraryFile),
                string.IsNullOrEmpty(artifacts) ? null : Path.Combine(artifacts, "native", "opus", LibraryFile),
            ];
            foreach (string? path in candidates)
            {
                if (!string.IsNullOrEmpty(path) && File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle))
                {
                    s_library = handle;
                    break;
                }
            }

            if (s_library == 0)
            {
                throw new DllNotFoundException(
                    $"{LibraryFile} not found (searched: {string.Join(", ", candidates)}). Install libopus-dev (apt-get install -y libopus-dev) and build it: " +
                    "cmake -S bench/native/opus -B /tmp/build-opus-shim && cmake --build /tmp/build-opus-shim, then set SIPWIRE_OPUS_SHIM=/tmp/build-opus-shim/" + LibraryFile + ".");
            }

            Version = (delegate* unmanaged<nint>)NativeLibrary.GetExport(s_library, "sw_opus_shim_version");
            EncoderCreate = (delegate* unmanaged<int, int, int, int, int, int, int, int, nint*, int>)NativeLibrary.GetExport(s_library, "sw_opus_shim_encoder_create");
            Encode = (delegate* unmanaged<nint, short*, int, byte*, int, int>)NativeLibrary.GetExport(s_library, "sw_opus_shim_encode");
            EncoderDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(s_library, "sw_opus_shim_encoder_destroy");
            DecoderCreate = (delegate* unmanaged<int, int, nint*, int>)NativeLibrary.GetExport(s_library, "sw_opus_shim_decoder_create");
            Decode = (delegate* unmanaged<nint, byte*, int, short*, int, int, int>)NativeLibrary.GetExport(s_library, "sw_opus_shim_decode");
            DecoderDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(s_library, "sw_opus_shim_decoder_destroy");
        }
    }
}
