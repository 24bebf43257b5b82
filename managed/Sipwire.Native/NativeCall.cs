// SPDX-License-Identifier: MIT
// The object behind sw_call *: one call of the UA core and the account it belongs to.

using Sipwire.UserAgent;

namespace Sipwire.Native;

/// <summary>A call of an <see cref="EndpointHost"/>.</summary>
internal sealed class NativeCall(EndpointHost host, NativeAccount account, SipCall call)
{
    /// <summary>The endpoint that owns the call.</summary>
    public EndpointHost Host { get; } = host;

    /// <summary>The account the call was placed from or arrived for.</summary>
    public NativeAccount Account { get; } = account;

    /// <summary>The UA core's call.</summary>
    public SipCall Call { get; } = call;

    /// <summary>The C handle.</summary>
    public nint Handle { get; set; }

    /// <summary>Next CSeq-independent DTMF event number, for the log.</summary>
    public int DtmfSent { get; set; }

    /// <summary>The call's audio when the endpoint has media (sw_endpoint_set_media), else null.</summary>
    public Sipwire.Media.Session.CallMedia? Media { get; set; }

    /// <summary>The media session last reported to the firmware (started/updated/stopped detection).</summary>
    public Sipwire.Media.Session.MediaSession? MediaSeen { get; set; }
}
