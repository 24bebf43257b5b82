// SPDX-License-Identifier: MIT
// EndpointHost: the audio of calls - media settings, one CallMedia per call, media events, RFC 4733 DTMF.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Sipwire.Media.Session;
using Sipwire.Session;
using Sipwire.UserAgent;

namespace Sipwire.Native;

internal sealed unsafe partial class EndpointHost
{
    // While media runs the poll returns at least this often, so received RTP reaches the jitter
    // buffer in time for the next 10 or 20 ms frame read.
    private const long MediaPollIntervalUs = 10_000;

    private static readonly long s_mediaEpoch = Stopwatch.GetTimestamp();

    private MediaSessionOptions? _mediaOptions;
    private SessionCapabilities? _mediaCapabilities;
    private int _rtpPortBase = 40000;
    private int _rtpPortCount = 1000;
    private int _mediaSessions;

    /// <summary>True once sw_endpoint_set_media() gave the endpoint an audio engine.</summary>
    public bool HasMedia => _mediaOptions is not null;

    /// <summary>The media clock (monotonic microseconds) shared by poll, writes and reads.</summary>
    public static long MediaNowUs() => (Stopwatch.GetTimestamp() - s_mediaEpoch) * 1_000_000 / Stopwatch.Frequency;

    /// <summary>Applies sw_media_config; only before the first account creates the UA core (its SDP capabilities are fixed then).</summary>
    /// <exception cref="ArgumentException">A value is out of range or a codec is unknown or not in this build.</exception>
    /// <exception cref="InvalidOperationException">An account exists already.</exception>
    public void SetMedia(in MediaConfig config)
    {
        if (_ua is not null)
        {
            throw new InvalidOperationException("sw_endpoint_set_media() must come before the first sw_account_add() (the SDP capabilities are fixed then)");
        }
        string codecs = AbiStrings.Read(config.codecs, "config->codecs") ?? "pcmu,pcma,g722";
        var list = new List<AudioCodec>();
        foreach (string raw in codecs.Split(','))
        {
            string name = raw.Trim().ToLowerInvariant();
            AudioCodec codec = name switch
            {
                "pcmu" => AudioCodec.Pcmu,
                "pcma" => AudioCodec.Pcma,
                "g722" => AudioCodec.G722,
                "opus" when MediaFeatures.IsOpusSupported => AudioCodec.Opus,
                "opus" => throw new ArgumentException("config->codecs: this libsipwire is built without Opus (publish Sipwire.Native with -p:SipwireOpus=true)"),
                _ => throw new ArgumentException($"config->codecs: '{raw.Trim()}' is not one of pcmu, pcma, g722, opus"),
            };
            if (list.Contains(codec))
            {
                throw new ArgumentException($"config->codecs names '{name}' twice");
            }
            list.Add(codec);
        }
        if (config.srtp is < (int)MediaSrtpPolicy.Off or > (int)MediaSrtpPolicy.Accepted)
        {
            throw new ArgumentException($"config->srtp must be SW_SRTP_OFF, SW_SRTP_REQUIRED or SW_SRTP_ACCEPTED, not {config.srtp}");
        }
        // SRTP's AES and HMAC-SHA1 come from System.Security.Cryptography, which on Linux loads libssl;
        // without it the runtime aborts the process at the first key, so refuse the policy up front.
        if (config.srtp != (int)MediaSrtpPolicy.Off && !HasLibSsl())
        {
            throw new ArgumentException("config->srtp: SRTP needs OpenSSL's libssl (libssl.so.3 or libssl.so.1.1) on this system, and none loads");
        }
        if (config.ptime_ms is < 10 or > 60 || config.ptime_ms % 10 != 0)
        {
            throw new ArgumentException($"config->ptime_ms must be 10, 20, 30, 40, 50 or 60, not {config.ptime_ms}");
        }
        // RFC 3550 §11: RTP on an even port, RTCP on the odd one above it.
        if (config.rtp_port_base is <= 0 or > 65534 || config.rtp_port_base % 2 != 0)
        {
            throw new ArgumentException($"config->rtp_port_base must be an even port 2..65534, not {config.rtp_port_base}");
        }
        if (config.rtp_port_count < 2 || config.rtp_port_base + config.rtp_port_count > 65536)
        {
            throw new ArgumentException($"config->rtp_port_count must be at least 2 and end below port 65536, not {config.rtp_port_count}");
        }
        var options = new MediaSessionOptions
        {
            SampleRate = config.sample_rate,
            FrameMs = config.frame_ms,
            EchoCanceller = config.echo_canceller != 0,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"config: {ex.Message} (sample_rate 8000 or 16000, frame_ms 10 or 20)");
        }
        _mediaCapabilities = new SessionCapabilities
        {
            Codecs = list,
            PTimeMs = config.ptime_ms,
            Srtp = (SrtpPolicy)config.srtp,
        };
        _mediaCapabilities.Validate();
        _mediaOptions = options;
        _rtpPortBase = config.rtp_port_base;
        _rtpPortCount = config.rtp_port_count;
    }

    private static bool HasLibSsl()
    {
        foreach (string name in (ReadOnlySpan<string>)["libssl.so.3", "libssl.so.1.1", "libssl.so"])
        {
            if (System.Runtime.InteropServices.NativeLibrary.TryLoad(name, out nint handle))
            {
                System.Runtime.InteropServices.NativeLibrary.Free(handle);
                return true;
            }
        }
        return false;
    }

    /// <summary>The UA core's SDP capabilities (the media config's, else the core's defaults).</summary>
    private SessionCapabilities MediaCapabilities => _mediaCapabilities ?? new SessionCapabilities();

    // Called in Track before the call-state handler: CallMedia's handler (start/update/stop) runs
    // first, then ours queues SW_MEDIA_STOPPED ahead of SW_CALL_ENDED (the handle dies with that).
    private void AttachMedia(NativeCall call)
    {
        if (_mediaOptions is null) return;
        var media = new CallMedia(call.Call, _mediaOptions, clock: MediaNowUs);
        call.Media = media;
        media.Failed += reason =>
        {
            Log(LogLevel.Warning, $"call {call.Call.CallId}: {reason}");
            QueueMedia(call, MediaEventCode.Failed, "", 0, reason);
        };
        media.EventRaised += e =>
        {
            if (e.Kind == MediaSessionEventKind.DtmfEnd)
            {
                QueueMedia(call, MediaEventCode.Dtmf, "", e.Digit, e.DurationMs.ToString(CultureInfo.InvariantCulture) + " ms");
            }
        };
        call.Call.Changed += e =>
        {
            if (e.Kind == CallEventKind.Ended) NoteMediaChange(call, CallEventKind.Ended);
        };
    }

    // Called in Track after the call-state handler: SW_MEDIA_STARTED/UPDATED follow the call event.
    private void HookMediaEvents(NativeCall call)
    {
        if (call.Media is null) return;
        call.Call.Changed += e =>
        {
            if (e.Kind != CallEventKind.Ended) NoteMediaChange(call, e.Kind);
        };
    }

    private void NoteMediaChange(NativeCall call, CallEventKind kind)
    {
        MediaSession? session = call.Media?.Session;
        MediaSession? seen = call.MediaSeen;
        call.MediaSeen = session;
        if (session is not null && seen is null)
        {
            _mediaSessions++;
            QueueMedia(call, MediaEventCode.Started, CodecName(session.Audio), session.Audio.SendPayloadType, Describe(session));
        }
        else if (session is not null && ReferenceEquals(session, seen) && kind == CallEventKind.MediaUpdated)
        {
            QueueMedia(call, MediaEventCode.Updated, CodecName(session.Audio), session.Audio.SendPayloadType, Describe(session));
        }
        else if (session is null && seen is not null)
        {
            _mediaSessions--;
            QueueMedia(call, MediaEventCode.Stopped, CodecName(seen.Audio), 0, "stopped");
        }
    }

    private static string CodecName(NegotiatedAudio audio)
    {
        AudioCodec c = audio.SendCodec;
        string name = c.EncodingName + "/" + c.ClockRate.ToString(CultureInfo.InvariantCulture);
        return c.Channels > 1 ? name + "/" + c.Channels.ToString(CultureInfo.InvariantCulture) : name;
    }

    private static string Describe(MediaSession session)
    {
        NegotiatedAudio a = session.Audio;
        string direction = a.Send && a.Receive ? "sendrecv" : a.Send ? "sendonly" : a.Receive ? "recvonly" : "inactive";
        return $"{direction} to {a.Remote}{(a.Srtp is null ? "" : " SRTP")}";
    }

    private void QueueMedia(NativeCall call, MediaEventCode code, string codec, int value, string text)
    {
        if (code != MediaEventCode.Dtmf) Log(LogLevel.Info, $"call {call.Call.CallId}: media {code} {codec} {text}");
        Queue(new HostEvent(HostEventKind.Media, call.Account, call, (int)code, value, text, 0) { Text2 = codec });
    }

    private void DeliverMedia(in HostEvent e)
    {
        if (_callbacks.on_media == null || e.Call is not { } call) return;
        byte[] codec = Utf8Copy(e.Text2);
        fixed (byte* c = codec)
        fixed (byte* text = Utf8(e.Text))
        {
            _callbacks.on_media((CallHandle*)call.Handle, e.Code, c, e.StatusCode, text, _callbacks.user_data);
        }
    }

    // Received RTP/RTCP of every call into its jitter buffer; DTMF and latching events.
    private void PollMedia()
    {
        if (_mediaSessions == 0) return;
        foreach (NativeCall call in _calls)
        {
            call.Media?.Poll();
        }
    }

    // The poll waits no longer than this while media runs.
    private long MediaDeadline(long now) => _mediaSessions > 0 ? now + MediaPollIntervalUs : long.MaxValue;

    private static void ReleaseMedia(NativeCall call)
    {
        call.Media?.Dispose();
        call.Media = null;
        call.MediaSeen = null;
    }

    /// <summary>
    /// DTMF for a call: RFC 4733 telephone-events in the RTP stream when the media session runs and the
    /// peer agreed telephone-event (RFC 4733 §2.5); SIP INFO otherwise.
    /// </summary>
    public Status SendDtmf(NativeCall call, string digits, int durationMs)
    {
        if (call.Media?.Session is { IsStopped: false } session && call.Call.State == CallState.Active && session.SendDtmf(digits))
        {
            call.DtmfSent += digits.Length;
            Log(LogLevel.Info, $"call {call.Call.CallId}: DTMF {digits} queued as RFC 4733 telephone-events");
            return Status.Ok;
        }
        return SendDtmfInfo(call, digits, durationMs);
    }
}
