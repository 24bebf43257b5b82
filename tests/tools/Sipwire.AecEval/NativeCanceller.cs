// P/Invoke to native/src/aec.c (libsipwire_kernels.so): the C fallback in the same evaluation run.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;

namespace Sipwire.AecEval;

/// <summary>The C99 canceller, state in 16-byte aligned native memory.</summary>
internal sealed unsafe partial class NativeCanceller : IDisposable
{
    private const string Library = "sipwire_kernels";
    private void* _memory;
    private readonly IntPtr _state;

    public NativeCanceller(int rate, int tailMs, int maxDelayMs)
    {
        int* cfg = stackalloc int[6];
        ConfigInit(cfg);
        cfg[1] = rate;
        cfg[2] = tailMs;
        cfg[3] = maxDelayMs;
        int size;
        if (GetSize(cfg, &size) != 0)
        {
            throw new ArgumentException("sw_aec_get_size rejected the settings");
        }
        _memory = NativeMemory.AlignedAlloc((nuint)size, 16);
        IntPtr state;
        if (Init(_memory, size, cfg, &state) != 0)
        {
            throw new InvalidOperationException("sw_aec_init failed");
        }
        _state = state;
    }

    public void Process(ReadOnlySpan<short> mic, ReadOnlySpan<short> far, Span<short> output)
    {
        fixed (short* m = mic)
        fixed (short* f = far)
        fixed (short* o = output)
        {
            if (ProcessFrame(_state, m, f, o) != 0)
            {
                throw new InvalidOperationException("sw_aec_process failed");
            }
        }
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }

    [LibraryImport(Library, EntryPoint = "sw_aec_config_init")]
    private static partial void ConfigInit(int* cfg);

    [LibraryImport(Library, EntryPoint = "sw_aec_get_size")]
    private static partial int GetSize(int* cfg, int* size);

    [LibraryImport(Library, EntryPoint = "sw_aec_init")]
    private static partial int Init(void* memory, int size, int* cfg, IntPtr* state);

    [LibraryImport(Library, EntryPoint = "sw_aec_process")]
    private static partial int ProcessFrame(IntPtr state, short* mic, short* far, short* output);
}
