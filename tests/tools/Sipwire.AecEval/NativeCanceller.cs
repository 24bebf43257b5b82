// native/src/aec.c (libsipwire_kernels.so) through the generated AecNative binding: the C fallback in the same evaluation run.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using Sipwire.Kernels.Native;

namespace Sipwire.AecEval;

/// <summary>The C99 canceller, state in 16-byte aligned native memory.</summary>
internal sealed unsafe class NativeCanceller : IDisposable
{
    private void* _memory;
    private readonly sw_aec* _state;

    public NativeCanceller(int rate, int tailMs, int maxDelayMs)
    {
        sw_aec_config cfg;
        AecNative.sw_aec_config_init(&cfg);
        if (cfg.struct_size != (uint)sizeof(sw_aec_config))
        {
            throw new InvalidOperationException($"libsipwire_kernels' sw_aec_config is {cfg.struct_size} bytes, the generated binding {sizeof(sw_aec_config)}: regenerate the bindings or rebuild native/.");
        }
        cfg.sample_rate = rate;
        cfg.tail_ms = tailMs;
        cfg.max_delay_ms = maxDelayMs;
        int size;
        if (AecNative.sw_aec_get_size(&cfg, &size) != 0)
        {
            throw new ArgumentException("sw_aec_get_size rejected the settings");
        }
        _memory = NativeMemory.AlignedAlloc((nuint)size, 16);
        sw_aec* state;
        if (AecNative.sw_aec_init(_memory, size, &cfg, &state) != 0)
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
            if (AecNative.sw_aec_process(_state, m, f, o) != 0)
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
}
