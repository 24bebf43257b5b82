// a=rtpmap (RFC 8866 §6.6).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sdp;

/// <summary>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;].</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels);
