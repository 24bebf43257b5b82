// SPDX-License-Identifier: MIT
// sw_media_config: the audio a firmware wants on its calls (codecs, frame format, echo canceller, SRTP, RTP ports).

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>
/// Media settings of an endpoint, given to sw_endpoint_set_media() before the first account. Fill it
/// with sw_media_config_init(), then change fields.
/// </summary>
[CName("sw_media_config")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MediaConfig
{
    /// <summary>sizeof(sw_media_config), set by sw_media_config_init().</summary>
    public uint struct_size;

    /// <summary>Codecs in offer order, comma-separated from "pcmu", "pcma", "g722", "opus" (default "pcmu,pcma,g722"); "opus" needs a libsipwire built with it. Copied at sw_endpoint_set_media().</summary>
    [CType("const char *")]
    public byte* codecs;

    /// <summary>Sample rate of the PCM16 mono frames of sw_call_write_audio()/sw_call_read_audio(): 8000 or 16000 (default 16000), whatever the codec.</summary>
    public int sample_rate;

    /// <summary>Length of one frame: 10 or 20 ms (default 20).</summary>
    public int frame_ms;

    /// <summary>Packet time asked for in the SDP (a=ptime, RFC 4566 §6): 10, 20, 30, 40, 50 or 60 ms (default 20).</summary>
    public int ptime_ms;

    /// <summary>Nonzero runs the echo canceller on written frames with read frames as the far end (default 0).</summary>
    public int echo_canceller;

    /// <summary>An SW_SRTP_* policy (default SW_SRTP_OFF).</summary>
    public int srtp;

    /// <summary>First RTP port, even (RFC 3550 §11); call n of the endpoint uses rtp_port_base + 2n (default 40000).</summary>
    public int rtp_port_base;

    /// <summary>Ports in the RTP range, at least 2 (default 1000).</summary>
    public int rtp_port_count;
}
