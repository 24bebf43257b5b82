// Loads the libosip2 baseline harness (bench/native/osip) and calls it without marshalling.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sipwire.Bench.Sip;

/// <summary>
/// libsw_osip_baseline.so: looked up in $SIPWIRE_OSIP_BASELINE_DIR, else /tmp/build-osip-baseline,
/// else artifacts/native/osip of the repository. Build: <c>cmake -S bench/native/osip -B DIR &amp;&amp; cmake --build DIR</c>.
/// </summary>
internal static unsafe class OsipBaseline
{
    private static readonly delegate* unmanaged<byte*, int, int> s_parseRead = Load();

    public static int ParseRead(byte[] message)
    {
        fixed (byte* p = message)
        {
            return s_parseRead(p, message.Length);
        }
    }

    private static delegate* unmanaged<byte*, int, int> Load()
    {
        string path = Locate();
        nint handle = NativeLibrary.Load(path);
        var init = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "sw_osip_init");
        if (init() != 0) throw new InvalidOperationException("libosip2 parser_init failed");
        return (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(handle, "sw_osip_parse_read");
    }

    private static string Locate([CallerFilePath] string source = "")
    {
        const string Name = "libsw_osip_baseline.so";
        string repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
        foreach (string? dir in new[]
        {
            Environment.GetEnvironmentVariable("SIPWIRE_OSIP_BASELINE_DIR"),
            "/tmp/build-osip-baseline",
            Path.Combine(repo, "artifacts", "native", "osip"),
        })
        {
            if (!string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, Name))) return Path.Combine(dir, Name);
        }
        throw new FileNotFoundException($"{Name} not found: build bench/native/osip with CMake and set SIPWIRE_OSIP_BASELINE_DIR.");
    }
}
