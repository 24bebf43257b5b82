// SPDX-License-Identifier: MIT
// C ABI exports for call audio: media settings of an endpoint, PCM16 frames in and out of a call.

using System;
using System.Runtime.InteropServices;
using Sipwire.Media.Session;

namespace Sipwire.Native;

internal static unsafe class MediaExports
{
    /// <summary>Fills a media configuration with the defaults ("pcmu,pcma,g722", 16 kHz, 20 ms frames, ptime 20, no echo canceller, SRTP off, RTP ports 40000..40999) and sets its struct_size.</summary>
    /// <param name="config">The configuration to fill.</param>
    /// <returns>SW_OK, or SW_E_INVALID_ARG when config is NULL.</returns>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_media_config_init")]
    public static Status ConfigInit(MediaConfig* config)
    {
        if (config == null)
        {
            return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
        }
        *config = new MediaConfig
        {
            struct_size = (uint)sizeof(MediaConfig),
            codecs = null,
            sample_rate = 16000,
            frame_ms = 20,
            ptime_ms = 20,
            echo_canceller = 0,
            srtp = (int)MediaSrtpPolicy.Off,
            rtp_port_base = 40000,
            rtp_port_count = 1000,
        };
        return Status.Ok;
    }

    /// <summary>
    /// Gives the endpoint's calls audio: the SDP offers config->codecs in that order (RFC 3264 §5.1),
    /// and every call gets an RTP session (RFC 3550) on the port the UA core allocated, started on the
    /// answer or on early media, updated on re-INVITE, stopped with the call. Without this call the
    /// endpoint negotiates SDP (PCMU, PCMA) but carries no audio.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="config">Filled by sw_media_config_init(); only read during the call.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint, a NULL config, a wrong struct_size,
    /// an unknown codec, "opus" in a build without Opus, or a value out of range (sw_last_error_detail() names it);
    /// SW_E_INVALID_STATE after the first sw_account_add().</returns>
    /// <thread>The endpoint's thread, before the first sw_account_add().</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_set_media")]
    public static Status SetMedia(EndpointHandle* endpoint, [CType("const sw_media_config *")] MediaConfig* config)
    {
        try
        {
            EndpointHost? host = EndpointExports.Find(endpoint);
            if (host is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            if (config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
            }
            if (config->struct_size != (uint)sizeof(MediaConfig))
            {
                return AbiStatus.Fail(Status.InvalidArg, $"config->struct_size is {config->struct_size}, expected {sizeof(MediaConfig)}: call sw_media_config_init() first");
            }
            host.Enter();
            host.SetMedia(*config);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Sends microphone audio: one or more whole frames of PCM16 mono at sw_media_config.sample_rate
    /// (frame_ms each: 160/320 samples at 8/16 kHz for 20 ms). The session encodes them with the
    /// negotiated codec and sends RTP; queued RFC 4733 digits replace the audio while they play.
    /// On hold (sendonly/inactive from the peer) the frames only advance the RTP clock.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="samples">The PCM16 samples; only read during the call.</param>
    /// <param name="sample_count">A positive multiple of the frame length in samples.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call, NULL samples or a count that is not whole frames;
    /// SW_E_INVALID_STATE when the call has no running media (not yet answered, media failed or stopped, or no sw_endpoint_set_media()).</returns>
    /// <ownership>The caller owns samples.</ownership>
    /// <thread>Any thread: the media session takes a lock of its own; one writer per call at a time.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_write_audio")]
    public static Status WriteAudio(CallHandle* call, [CType("const int16_t *")] short* samples, int sample_count)
    {
        try
        {
            if (!TryGetSession(call, out MediaSession? session, out Status status))
            {
                return status;
            }
            int frame = session!.FrameSamples;
            if (samples == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "samples is NULL");
            }
            if (sample_count <= 0 || sample_count % frame != 0)
            {
                return AbiStatus.Fail(Status.InvalidArg, $"sample_count must be whole frames of {frame} samples ({session.SampleRate} Hz), not {sample_count}");
            }
            long now = EndpointHost.MediaNowUs();
            for (int offset = 0; offset < sample_count; offset += frame)
            {
                session.WriteAudio(new ReadOnlySpan<short>(samples + offset, frame), now);
            }
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Reads one frame of loudspeaker audio: PCM16 mono at sw_media_config.sample_rate, frame_ms long,
    /// from the jitter buffer and decoder; concealment for lost packets, silence before the first packet
    /// and on hold. Call it at the frame rate (every frame_ms); received packets are taken in by sw_endpoint_poll().
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="samples">Receives the frame.</param>
    /// <param name="capacity">Room in samples, at least one frame.</param>
    /// <param name="out_written">Receives the samples written (one frame); 0 on failure; may be NULL.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call or NULL samples; SW_E_BUFFER_TOO_SMALL when
    /// capacity is below one frame (nothing written, out_written gets the frame length);
    /// SW_E_INVALID_STATE when the call has no running media.</returns>
    /// <ownership>The caller owns samples.</ownership>
    /// <thread>Any thread: the media session takes a lock of its own; one reader per call at a time.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_read_audio")]
    public static Status ReadAudio(CallHandle* call, [CType("int16_t *")] short* samples, int capacity, int* out_written)
    {
        try
        {
            if (out_written != null)
            {
                *out_written = 0;
            }
            if (!TryGetSession(call, out MediaSession? session, out Status status))
            {
                return status;
            }
            int frame = session!.FrameSamples;
            if (samples == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "samples is NULL");
            }
            if (capacity < frame)
            {
                if (out_written != null)
                {
                    *out_written = frame;
                }
                return AbiStatus.Fail(Status.BufferTooSmall, $"capacity {capacity} is below one frame of {frame} samples");
            }
            session.ReadAudio(new Span<short>(samples, frame), EndpointHost.MediaNowUs());
            if (out_written != null)
            {
                *out_written = frame;
            }
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    // No Enter(): the handle table and the session lock make these safe from an audio thread.
    private static bool TryGetSession(CallHandle* call, out MediaSession? session, out Status status)
    {
        session = null;
        NativeCall? target = EndpointHost.CallHandles.Get((nint)call);
        if (target is null)
        {
            status = AbiStatus.Fail(Status.InvalidArg, "call is NULL or stale");
            return false;
        }
        // One read of Media: the poll thread may release it at the same time (call ended).
        CallMedia? media = target.Media;
        session = media?.Session;
        if (session is null || session.IsStopped)
        {
            status = AbiStatus.Fail(Status.InvalidState, !target.Host.HasMedia
                ? "the endpoint has no media: call sw_endpoint_set_media() before sw_account_add()"
                : $"the call has no running media ({media?.LastError ?? target.Call.State.ToString()})");
            return false;
        }
        status = Status.Ok;
        return true;
    }
}
