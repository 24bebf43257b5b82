// A snapshot of a media session's counters (RTP, SRTP, jitter buffer, RTCP), plain data for logs and the C ABI.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Session;

/// <summary>Counters of one <see cref="MediaSession"/> since it started.</summary>
/// <param name="PacketsSent">RTP packets sent (audio and telephone-event).</param>
/// <param name="PacketsReceived">RTP packets received that passed SRTP and header checks.</param>
/// <param name="SrtpRejected">Packets (RTP and RTCP) whose SRTP authentication or replay check failed: dropped, never played.</param>
/// <param name="Malformed">Datagrams that were not valid RTP/RTCP.</param>
/// <param name="UnknownPayloadType">RTP packets with a payload type the answer did not agree.</param>
/// <param name="DroppedNotReceiving">RTP packets dropped because the direction says we do not receive (sendonly, inactive).</param>
/// <param name="FramesDecoded">Received packets decoded and played.</param>
/// <param name="FramesConcealed">Playout periods filled by concealment (loss, lateness, underrun).</param>
/// <param name="LatePackets">Packets that arrived after their playout time.</param>
/// <param name="CumulativeLost">RFC 3550 cumulative number of packets lost from the peer.</param>
/// <param name="JitterUs">RFC 3550 A.8 interarrival jitter of the peer's stream, in microseconds.</param>
/// <param name="RoundTripUs">Round-trip time from the peer's last reception report (RFC 3550 §6.4.1), or -1.</param>
/// <param name="RtcpSent">RTCP compound packets sent.</param>
/// <param name="RtcpReceived">RTCP compound packets received and accepted.</param>
/// <param name="DtmfPacketsSent">RFC 4733 telephone-event packets sent.</param>
/// <param name="SendErrors">Datagrams the packet I/O could not send.</param>
/// <param name="FecRecovered">Lost Opus packets rebuilt from the next packet's in-band FEC (counted in <paramref name="FramesConcealed"/> too).</param>
public readonly record struct MediaSessionStatistics(
    long PacketsSent,
    long PacketsReceived,
    long SrtpRejected,
    long Malformed,
    long UnknownPayloadType,
    long DroppedNotReceiving,
    long FramesDecoded,
    long FramesConcealed,
    long LatePackets,
    int CumulativeLost,
    long JitterUs,
    long RoundTripUs,
    long RtcpSent,
    long RtcpReceived,
    long DtmfPacketsSent,
    long SendErrors,
    long FecRecovered);
