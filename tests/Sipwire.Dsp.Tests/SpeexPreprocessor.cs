// SpeexDSP's preprocessor (Debian libspeexdsp) called directly: VAD and denoiser, the reference for Vad and NoiseSuppressor.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// speex_preprocess_state_init / _ctl / _run from libspeexdsp.so.1 through function pointers (no
/// shim to build), with SPEEX_PREPROCESS_SET_VAD and SET_DENOISE as asked, AGC and dereverb off,
/// noise suppression at its default -15 dB (the same as <see cref="NoiseSuppressor"/>'s default).
/// </summary>
internal sealed unsafe class SpeexPreprocessor : IDisposable
{
    // speex/speex_preprocess.h request numbers.
    private const int SetDenoise = 0;
    private const int SetAgc = 2;
    private const int SetVad = 4;
    private const int SetDereverb = 8;
    private const int SetNoiseSuppress = 18;

    private static readonly Lazy<nint> s_library = new(Load);
    private readonly delegate* unmanaged<nint, short*, int> _run;
    private readonly delegate* unmanaged<nint, void> _destroy;
    private nint _state;

    /// <summary>Creates a preprocessor for 10 ms frames at <paramref name="rate"/>.</summary>
    public SpeexPreprocessor(int rate, bool vad, bool denoise, int suppressDb = -15)
    {
        nint lib = s_library.Value;
        var init = (delegate* unmanaged<int, int, nint>)NativeLibrary.GetExport(lib, "speex_preprocess_state_init");
        var ctl = (delegate* unmanaged<nint, int, void*, int>)NativeLibrary.GetExport(lib, "speex_preprocess_ctl");
        _run = (delegate* unmanaged<nint, short*, int>)NativeLibrary.GetExport(lib, "speex_preprocess_run");
        _destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "speex_preprocess_state_destroy");
        FrameSize = rate / 100;
        _state = init(FrameSize, rate);
        if (_state == 0)
        {
            throw new InvalidOperationException("speex_preprocess_state_init failed.");
        }
        int off = 0;
        int v = vad ? 1 : 0;
        int d = denoise ? 1 : 0;
        int level = suppressDb;
        ctl(_state, SetVad, &v);
        ctl(_state, SetDenoise, &d);
        ctl(_state, SetAgc, &off);
        ctl(_state, SetDereverb, &off);
        ctl(_state, SetNoiseSuppress, &level);
    }

    /// <summary>Samples per frame.</summary>
    public int FrameSize { get; }

    /// <summary>Runs one frame in place; returns the VAD decision (always true with the VAD off).</summary>
    public bool Process(Span<short> frame)
    {
        if (frame.Length != FrameSize)
        {
            throw new ArgumentException($"A frame is {FrameSize} samples.", nameof(frame));
        }
        fixed (short* p = frame)
        {
            return _run(_state, p) != 0;
        }
    }

    public void Dispose()
    {
        if (_state != 0)
        {
            _destroy(_state);
            _state = 0;
        }
    }

    private static nint Load()
    {
        foreach (string name in (string[])["libspeexdsp.so.1", "libspeexdsp.so"])
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }
        throw new DllNotFoundException("SpeexDSP (libspeexdsp.so.1) is missing: apt-get install -y libspeexdsp-dev.");
    }
}
