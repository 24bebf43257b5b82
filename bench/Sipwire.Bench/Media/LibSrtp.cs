// P/Invoke binding to the libsrtp2 shim (bench/native/srtp): the independent SRTP used as oracle and baseline.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sipwire.Bench.Media;

/// <summary>
/// Loads libsipwire_srtp_shim.so (built by CMake from bench/native/srtp) from, in order:
/// $SIPWIRE_SRTP_SHIM, the application directory, $SIPWIRE_ARTIFACTS/native/srtp-shim,
/// /tmp/build-media-srtp. One <see cref="LibSrtp"/> is one libsrtp2 session (one direction).
/// </summary>
internal sealed unsafe class LibSrtp : IDisposable
{
    public const string LibraryFile = "libsipwire_srtp_shim.so";

    private static readonly object s_lock = new();
    private static nint s_library;
    private static delegate* unmanaged<int> s_init;
    private static delegate* unmanaged<int, byte*, int, nint*, int> s_create;
    private static delegate* unmanaged<nint, byte*, int*, int, int> s_protect;
    private static delegate* unmanaged<nint, byte*, int*, int> s_unprotect;
    private static delegate* unmanaged<nint, byte*, int*, int, int> s_protectRtcp;
    private static delegate* unmanaged<nint, byte*, int*, int> s_unprotectRtcp;
    private static delegate* unmanaged<nint, void> s_destroy;

    private nint _session;

    /// <summary>Creates a libsrtp2 session: tag 80 or 32 bits, 30-octet key||salt, outbound or inbound.</summary>
    public LibSrtp(int tagBits, ReadOnlySpan<byte> keySalt, bool outbound)
    {
        EnsureLoaded();
        if (keySalt.Length != 30)
        {
            throw new ArgumentException("key||salt is 30 octets", nameof(keySalt));
        }

        nint session;
        int status;
        fixed (byte* k = keySalt)
        {
            status = s_create(tagBits, k, outbound ? 1 : 0, &session);
        }

        if (status != 0)
        {
            throw new InvalidOperationException($"srtp_create failed: {status}");
        }

        _session = session;
    }

    /// <summary>Where the shim was searched for, for error messages.</summary>
    public static string SearchPath { get; private set; } = "";

    /// <summary>srtp_protect in place; returns the srtp_err_status_t (0 = ok).</summary>
    public int Protect(Span<byte> buffer, ref int length)
    {
        fixed (byte* p = buffer)
        fixed (int* l = &length)
        {
            return s_protect(_session, p, l, buffer.Length);
        }
    }

    /// <summary>srtp_unprotect in place; returns the srtp_err_status_t (0 = ok).</summary>
    public int Unprotect(Span<byte> buffer, ref int length)
    {
        fixed (byte* p = buffer)
        fixed (int* l = &length)
        {
            return s_unprotect(_session, p, l);
        }
    }

    /// <summary>srtp_protect_rtcp in place.</summary>
    public int ProtectRtcp(Span<byte> buffer, ref int length)
    {
        fixed (byte* p = buffer)
        fixed (int* l = &length)
        {
            return s_protectRtcp(_session, p, l, buffer.Length);
        }
    }

    /// <summary>srtp_unprotect_rtcp in place.</summary>
    public int UnprotectRtcp(Span<byte> buffer, ref int length)
    {
        fixed (byte* p = buffer)
        fixed (int* l = &length)
        {
            return s_unprotectRtcp(_session, p, l);
        }
    }

    public void Dispose()
    {
        if (_session != 0)
        {
            s_destroy(_session);
            _session = 0;
        }
    }

    /// <summary>Loads the shim once; throws with the searched paths when it is missing.</summary>
    public static void EnsureLoaded()
    {
        lock (s_lock)
        {
            if (s_library != 0)
            {
                return;
            }

            string?[] candidates =
            [
                Environment.GetEnvironmentVariable("SIPWIRE_SRTP_SHIM"),
                Path.Combine(AppContext.BaseDirectory, LibraryFile),
                Environment.GetEnvironmentVariable("SIPWIRE_ARTIFACTS") is { Length: > 0 } art ? Path.Combine(art, "native", "srtp-shim", LibraryFile) : null,
                Path.Combine("/tmp/build-media-srtp", LibraryFile),
            ];
            SearchPath = string.Join(", ", candidates);
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
                    $"{LibraryFile} not found (searched: {SearchPath}). Install libsrtp2-dev and build it: " +
                    "cmake -S bench/native/srtp -B /tmp/build-srtp-shim && cmake --build /tmp/build-srtp-shim, then set SIPWIRE_SRTP_SHIM.");
            }

            s_init = (delegate* unmanaged<int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_init");
            s_create = (delegate* unmanaged<int, byte*, int, nint*, int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_create");
            s_protect = (delegate* unmanaged<nint, byte*, int*, int, int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_protect");
            s_unprotect = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_unprotect");
            s_protectRtcp = (delegate* unmanaged<nint, byte*, int*, int, int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_protect_rtcp");
            s_unprotectRtcp = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_unprotect_rtcp");
            s_destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(s_library, "sw_srtp_shim_destroy");
            int status = s_init();
            if (status != 0)
            {
                throw new InvalidOperationException($"srtp_init failed: {status}");
            }
        }
    }
}
